"""Rows to JSON lines and back: one stable text for one row, whatever the database (docs/reversibility.md).

A line is a JSON object, keys sorted, no spaces, UTF-8: ``{"field": value, …}`` with the model's concrete fields by
name (a foreign key by the target's primary key; a content type or a permission by its natural key, a list). Values:
date-times in UTC, ISO 8601 (``2026-03-01T09:30:00+00:00``, microseconds when there are some), dates and times ISO
8601, decimals as strings with the field's decimal places, UUIDs hyphenated, binary data in base64, files by their
storage name (the file itself under ``media/``), JSON fields as they are.
"""

from __future__ import annotations

import base64
import datetime
import decimal
import json
import uuid
from collections.abc import Callable
from typing import Any

from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext as _

from participe.interchange.contracts import NATURAL_KEYS

Convert = Callable[[Any], Any]

UNUSABLE_PASSWORD = "!"  # Django's mark: ``has_usable_password()`` is False, the person resets it by email


def dumps(row: dict[str, Any]) -> str:
    return json.dumps(row, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False)


def _utc(value: datetime.datetime) -> str:
    if value.tzinfo is None:
        value = value.replace(tzinfo=datetime.UTC)
    return value.astimezone(datetime.UTC).isoformat()


def _decimal(places: int | None) -> Convert:
    if places is None:
        return lambda v: str(v)
    quantum = decimal.Decimal(1).scaleb(-places)
    return lambda v: str(decimal.Decimal(v).quantize(quantum))


def _kind(field: models.Field) -> str:
    return field.get_internal_type()


def natural_target(field: models.Field) -> str | None:
    """The label of the model a relation points to by natural key, if it does."""
    target = field.related_model
    if field.is_relation and isinstance(target, type) and target._meta.label in NATURAL_KEYS:
        return target._meta.label
    return None


def schema(model: type[models.Model]) -> dict[str, dict[str, Any]]:
    """The fields of one entity's rows, as the manifest documents them."""
    found: dict[str, dict[str, Any]] = {}
    for field in model._meta.local_concrete_fields:
        entry: dict[str, Any] = {"type": _kind(field), "null": field.null}
        if field.primary_key:
            entry["primary_key"] = True
        related = field.related_model
        if field.is_relation and isinstance(related, type):
            entry["to"] = related._meta.label
            target = natural_target(field)
            if target:
                entry["natural_key"] = list(NATURAL_KEYS[target])
        found[field.name] = entry
    return found


class NaturalKeys:
    """Content types and permissions by id (export) and by natural key (import), read once."""

    def __init__(self) -> None:
        self.content_types = {ct.pk: [ct.app_label, ct.model] for ct in ContentType.objects.all()}
        self.permissions = {
            p.pk: [p.codename, p.content_type.app_label, p.content_type.model]
            for p in Permission.objects.select_related("content_type")
        }
        self.content_type_ids = {tuple(key): pk for pk, key in self.content_types.items()}
        self.permission_ids = {tuple(key): pk for pk, key in self.permissions.items()}

    def to_key(self, target: str) -> Convert:
        table = self.content_types if target == "contenttypes.ContentType" else self.permissions
        return lambda v: table[v]

    def to_id(self, target: str) -> Convert:
        table = self.content_type_ids if target == "contenttypes.ContentType" else self.permission_ids
        if target == "contenttypes.ContentType":
            unknown = _("type de contenu inconnu ici : %(key)s")
        else:
            unknown = _("permission inconnue ici : %(key)s")

        def convert(value: list[str]) -> int:
            try:
                return table[tuple(value)]
            except KeyError:
                raise ValueError(unknown % {"key": ".".join(value)}) from None

        return convert


def _encoder(field: models.Field, keys: NaturalKeys) -> Convert | None:
    target = natural_target(field)
    if target:
        return keys.to_key(target)
    kind = _kind(field)
    if kind == "DateTimeField":
        return _utc
    if kind in ("DateField", "TimeField"):
        return lambda v: v.isoformat()
    if kind == "DecimalField":
        return _decimal(getattr(field, "decimal_places", None))
    if kind == "UUIDField":
        return lambda v: str(v if isinstance(v, uuid.UUID) else uuid.UUID(str(v)))
    if kind == "BinaryField":
        return lambda v: base64.b64encode(bytes(v)).decode("ascii")
    if kind == "DurationField":
        return lambda v: v.total_seconds()
    return None


def _decoder(field: models.Field, keys: NaturalKeys) -> Convert | None:
    target = natural_target(field)
    if target:
        return keys.to_id(target)
    kind = _kind(field)
    if kind == "DateTimeField":
        return datetime.datetime.fromisoformat
    if kind == "DateField":
        return datetime.date.fromisoformat
    if kind == "TimeField":
        return datetime.time.fromisoformat
    if kind == "DecimalField":
        return decimal.Decimal
    if kind == "UUIDField":
        return uuid.UUID
    if kind == "BinaryField":
        return base64.b64decode
    if kind == "DurationField":
        return lambda v: datetime.timedelta(seconds=v)
    return None


class RowWriter:
    """Turns the tuples of ``values_list(*columns)`` into lines."""

    def __init__(self, model: type[models.Model], keys: NaturalKeys, blanked: tuple[str, ...] = ()) -> None:
        fields = list(model._meta.local_concrete_fields)
        self.columns = [f.attname for f in fields]
        self.names = [f.name for f in fields]
        self.converters = [_encoder(f, keys) for f in fields]
        self.blanked = {self.names.index(name) for name in blanked}
        self.files = [i for i, f in enumerate(fields) if isinstance(f, models.FileField)]

    def line(self, values: tuple[Any, ...]) -> str:
        row: dict[str, Any] = {}
        for i, (name, convert, value) in enumerate(zip(self.names, self.converters, values, strict=True)):
            if i in self.blanked:
                value = UNUSABLE_PASSWORD
            elif value is not None and convert is not None:
                value = convert(value)
            row[name] = value
        return dumps(row) + "\n"

    def file_names(self, values: tuple[Any, ...]) -> list[str]:
        return [str(values[i]) for i in self.files if values[i]]


class RowReader:
    """Turns lines back into unsaved model instances, the fields the archive lacks taking their defaults."""

    def __init__(self, model: type[models.Model], keys: NaturalKeys) -> None:
        self.model = model
        self.fields = {f.name: (f.attname, _decoder(f, keys)) for f in model._meta.local_concrete_fields}

    def instance(self, line: str) -> models.Model:
        row = json.loads(line)
        values: dict[str, Any] = {}
        for name, value in row.items():
            attname, convert = self.fields[name]
            values[attname] = convert(value) if value is not None and convert is not None else value
        return self.model(**values)
