"""Keyset pagination: pages that cost the same at item 10 and at item 1,000,000.

Every list of the platform and its modules writes its cursors with one encoding (``encode_cursor`` and
``decode_cursor``): an opaque, URL-safe token holding the order it was made for and the sort values of the last item
shown (integers, text, booleans, NULLs, decimals, dates and datetimes come back as they went). A cursor that this
encoding did not make, or made for another order, raises ``InvalidCursor`` when it is decoded, and every list lets it
go up, so that all answer it the same way (issue #19, finding 8): the API with a 400 that says so (the handler of
``participe.api``), the pages with the first page and a notice (``participe.core.middleware.InvalidCursorMiddleware``)
— never silently the first page as if the cursor were good.

Most lists only need ``keyset_paginate``; a list with its own walk (a random order in laps, a search in windows)
uses ``after_cursor``, ``cursor_of`` or the encoding directly.
"""

from __future__ import annotations

import base64
import datetime
import json
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, Generic, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db import models
from django.db.models import F, Field, Model, OrderBy, Q, QuerySet

M = TypeVar("M", bound=Model)

# Values JSON cannot hold are written as a one-key object naming their type.
_TAGS: dict[str, Any] = {"dt": datetime.datetime.fromisoformat, "d": datetime.date.fromisoformat, "n": Decimal}


class InvalidCursor(ValueError):
    """A cursor the list did not make: tampered, truncated, or made for another order (``cursor``: the value)."""

    def __init__(self, cursor: Any) -> None:
        super().__init__(cursor)
        self.cursor = cursor


INVALID_CURSOR_MESSAGE = "Invalid cursor: use the next_cursor of a previous page, or none for the first page."


def encode_cursor(values: Sequence[Any], *, order: str) -> str:
    """The cursor holding ``values`` (the sort values of the last item shown) for the order named ``order``."""
    payload = {"o": order, "v": [_tagged(value) for value in values]}
    text = json.dumps(payload, separators=(",", ":"), allow_nan=False)
    return base64.urlsafe_b64encode(text.encode()).decode().rstrip("=")


def decode_cursor(cursor: str, *, order: str, types: Sequence[type | tuple[type, ...]] | None = None) -> list[Any]:
    """The values ``encode_cursor`` put in ``cursor`` for ``order``; raise ``InvalidCursor`` for anything else.

    ``types`` (one entry per value: a type, or a tuple of them with ``type(None)`` where NULL is allowed) checks the
    number and the exact type of the values (``True`` is not an ``int``, a datetime is not a date).
    """
    try:
        payload = json.loads(base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)), parse_constant=_no_constant)
    except ValueError as error:  # not base64, not UTF-8, not JSON (each a ValueError)
        raise InvalidCursor(cursor) from error
    if not isinstance(payload, dict) or payload.keys() != {"o", "v"} or payload["o"] != order:
        raise InvalidCursor(cursor)
    if not isinstance(payload["v"], list):
        raise InvalidCursor(cursor)
    values = [_untagged(value) for value in payload["v"]]
    if types is not None and not _typed(values, types):
        raise InvalidCursor(cursor)
    return values


@dataclass
class KeysetPage(Generic[M]):
    items: list[M]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def keyset_paginate(
    queryset: QuerySet[M], *, ordering: tuple[str, ...], cursor: str | None, size: int = 20, nulls: bool = True
) -> KeysetPage[M]:
    """Return one page of ``queryset`` ordered by ``ordering`` (ending with a unique field, e.g. "-pk").

    The cursor holds the ordering values of the last item shown; an invalid cursor raises ``InvalidCursor``.
    NULLs sort last in both directions, on every database, so nullable fields (a space without dates) work.
    ``nulls=False`` says the list holds no NULL in its ordering fields (the caller filtered them out): the order is
    then the plain one of the database's indexes, which PostgreSQL can read without sorting.
    """
    queryset = after_cursor(queryset, ordering=ordering, cursor=cursor, nulls=nulls)
    items = list(queryset[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        next_cursor = cursor_of(items[-1], ordering)
    return KeysetPage(items=items, next_cursor=next_cursor)


def after_cursor(
    queryset: QuerySet[M], *, ordering: tuple[str, ...], cursor: str | None, nulls: bool = True
) -> QuerySet[M]:
    """``queryset`` in the order ``ordering``, from the item after ``cursor`` (from the top without one).

    Raise ``InvalidCursor`` when the cursor was not made by ``cursor_of`` for this ordering, or holds values the
    ordering's fields cannot take.
    """
    model = queryset.model
    queryset = queryset.order_by(*(_order_by(model, field, nulls) for field in ordering))
    if not cursor:
        return queryset
    values = decode_cursor(cursor, order=order_key(ordering))
    if len(values) != len(ordering) or (not nulls and None in values):
        raise InvalidCursor(cursor)
    if not all(_fits(model, field.lstrip("-"), value) for field, value in zip(ordering, values, strict=True)):
        raise InvalidCursor(cursor)
    try:
        return queryset.filter(_after(model, ordering, values, nulls))
    except (ValueError, TypeError, ValidationError) as error:  # a value an annotation cannot be compared with
        raise InvalidCursor(cursor) from error


def cursor_of(obj: Model, ordering: tuple[str, ...]) -> str:
    """The cursor of the page that follows ``obj`` in the order ``ordering``."""
    return encode_cursor([_value(obj, field.lstrip("-")) for field in ordering], order=order_key(ordering))


def order_key(ordering: tuple[str, ...]) -> str:
    """The name of an ordering in its cursors, so that a cursor of another order is refused."""
    return ",".join(ordering)


def _tagged(value: Any) -> Any:
    if isinstance(value, datetime.datetime):
        return {"dt": value.isoformat()}
    if isinstance(value, datetime.date):
        return {"d": value.isoformat()}
    if isinstance(value, Decimal):
        return {"n": str(value)}
    if value is None or isinstance(value, bool | int | float | str):
        return value
    raise TypeError(f"A cursor cannot hold a {type(value).__name__}.")


def _untagged(value: Any) -> Any:
    if isinstance(value, dict):
        if len(value) != 1 or next(iter(value)) not in _TAGS or not isinstance(next(iter(value.values())), str):
            raise InvalidCursor(value)
        ((tag, text),) = value.items()
        try:
            restored = _TAGS[tag](text)
        except (ValueError, InvalidOperation) as error:
            raise InvalidCursor(value) from error
        if isinstance(restored, Decimal) and not restored.is_finite():
            raise InvalidCursor(value)
        return restored
    if isinstance(value, list):
        raise InvalidCursor(value)
    return value


def _no_constant(name: str) -> Any:
    raise InvalidCursor(name)  # NaN and infinities: no sort value is one


def _typed(values: list[Any], types: Sequence[type | tuple[type, ...]]) -> bool:
    if len(values) != len(types):
        return False
    return all(type(v) in (t if isinstance(t, tuple) else (t,)) for v, t in zip(values, types, strict=True))


# Python types a cursor value may have for a field of each class (the first class that matches decides).
_FIELD_TYPES: tuple[tuple[type[Field[Any, Any]], tuple[type, ...]], ...] = (
    (models.DateTimeField, (datetime.datetime,)),
    (models.DateField, (datetime.date,)),
    (models.DecimalField, (Decimal,)),
    (models.FloatField, (float, int)),
    (models.BooleanField, (bool,)),
    (models.IntegerField, (int,)),
    (models.CharField, (str,)),
    (models.TextField, (str,)),
)


def _fits(model: type[Model], path: str, value: Any) -> bool:
    """Whether ``value`` can be a value of the field ``path`` (fields of other kinds, paths and annotations: yes)."""
    field = _field(model, path)
    if field is None:
        return True
    if value is None:
        return bool(field.null)
    if field.is_relation and field.target_field is not None:
        field = field.target_field
    for field_class, types in _FIELD_TYPES:
        if isinstance(field, field_class):
            return type(value) in types
    return True


def _field(model: type[Model], path: str) -> Any:
    if path == "pk":
        return model._meta.pk
    try:
        return model._meta.get_field(path)
    except FieldDoesNotExist:
        return None  # a relation path or an annotation


def _order_by(model: type[Model], field: str, nulls: bool) -> OrderBy:
    name = field.lstrip("-")
    # NULLS LAST only where a NULL may be: elsewhere the plain order is the one the indexes hold.
    nulls_last = True if nulls and _nullable(model, name) else None
    return F(name).desc(nulls_last=nulls_last) if field.startswith("-") else F(name).asc(nulls_last=nulls_last)


def _after(model: type[Model], ordering: tuple[str, ...], values: list[Any], nulls: bool) -> Q:
    """Rows that come strictly after the row whose ordering values are ``values`` (NULLs last)."""
    condition = Q(pk__in=[])  # nothing, until a field says otherwise
    equal = Q()
    for field, value in zip(ordering, values, strict=True):
        name = field.lstrip("-")
        if value is None:
            # After a NULL only other NULLs come, and they are ordered by the next fields.
            equal &= Q(**{f"{name}__isnull": True})
            continue
        lookup = "lt" if field.startswith("-") else "gt"
        beyond = Q(**{f"{name}__{lookup}": value})
        if nulls and _nullable(model, name):
            beyond |= Q(**{f"{name}__isnull": True})
        condition |= equal & beyond
        equal &= Q(**{name: value})
    return _bounded(model, ordering, values, nulls) & condition


def _bounded(model: type[Model], ordering: tuple[str, ...], values: list[Any], nulls: bool) -> Q:
    """``first <= value`` (``>=`` ascending): implied by the condition, it lets the database start its index scan
    at the cursor rather than filter from the top. Only where the first field holds no NULL."""
    first, value = ordering[0], values[0]
    name = first.lstrip("-")
    if len(ordering) == 1 or value is None or (nulls and _nullable(model, name)):
        return Q()
    return Q(**{f"{name}__{'lte' if first.startswith('-') else 'gte'}": value})


def _nullable(model: type[Model], path: str) -> bool:
    field = _field(model, path)
    if field is None:
        return True  # a relation path or an annotation: assume it may be NULL
    return bool(getattr(field, "null", True))


def _value(obj: Model, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj
