"""The shape of a person's data, as every app and module gives it to « Mes données » (decision 0035).

A provider — a module's ``personal_data`` (its manifest), a platform app's (``accounts.hooks.register_personal_data``)
— returns *named tables*: ``{"propositions": [row, …]}``, each row a flat dict of JSON values (strings, numbers,
booleans, None, lists or dicts of them). ``rows`` builds them from a queryset and the fields to show, so that
providers stay a few lines and every table reads alike (dates in ISO 8601, related objects by their name).
"""

from __future__ import annotations

import datetime
import decimal
import uuid
from collections.abc import Iterable, Mapping
from typing import Any

from django.db.models import Model, QuerySet

Row = dict[str, Any]
Tables = dict[str, list[Row]]


def plain(value: Any) -> Any:
    """``value`` as a JSON value: dates in ISO 8601, decimals and UUIDs as text, a model by its name, files by name."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.datetime | datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, Model):
        return str(value)
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [plain(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "storage"):  # a FieldFile
        return value.name or None
    return str(value)


def rows(queryset: QuerySet[Any] | Iterable[Model], fields: Iterable[str]) -> list[Row]:
    """One row per object with ``fields`` (attribute paths: ``"module.space"``, ``"get_status_display"``)."""
    names = list(fields)
    found = []
    for obj in queryset:
        row: Row = {}
        for name in names:
            value: Any = obj
            for part in name.split("."):
                value = getattr(value, part, None) if value is not None else None
            if callable(value):
                value = value()
            row[name.replace(".", "_")] = plain(value)
        found.append(row)
    return found
