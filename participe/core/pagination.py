"""Keyset pagination: pages that cost the same at item 10 and at item 1,000,000."""

from __future__ import annotations

import base64
import contextlib
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.core.exceptions import FieldDoesNotExist, ValidationError
from django.db.models import F, Model, OrderBy, Q, QuerySet

M = TypeVar("M", bound=Model)


def _encode(values: list[Any]) -> str:
    return base64.urlsafe_b64encode(json.dumps(values, default=str).encode()).decode().rstrip("=")


def _decode(cursor: str) -> list[Any] | None:
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        values = json.loads(base64.urlsafe_b64decode(padded.encode()))
    except (ValueError, json.JSONDecodeError):
        return None
    return values if isinstance(values, list) else None


@dataclass
class KeysetPage(Generic[M]):
    items: list[M]
    next_cursor: str | None

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def keyset_paginate(
    queryset: QuerySet[M], *, ordering: tuple[str, ...], cursor: str | None, size: int = 20
) -> KeysetPage[M]:
    """Return one page of ``queryset`` ordered by ``ordering`` (ending with a unique field, e.g. "-pk").

    The cursor holds the ordering values of the last item shown; an invalid cursor restarts at the top.
    NULLs sort last in both directions, on every database, so nullable fields (a space without dates) work.
    """
    queryset = queryset.order_by(*(_order_by(field) for field in ordering))
    values = _decode(cursor) if cursor else None
    if values is not None and len(values) == len(ordering):
        # A tampered cursor (values of the wrong type) starts again from the top rather than fail.
        with contextlib.suppress(ValueError, TypeError, ValidationError):
            queryset = queryset.filter(_after(queryset.model, ordering, values))
    items = list(queryset[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = _encode([_value(last, f.lstrip("-")) for f in ordering])
    return KeysetPage(items=items, next_cursor=next_cursor)


def _order_by(field: str) -> OrderBy:
    name = field.lstrip("-")
    return F(name).desc(nulls_last=True) if field.startswith("-") else F(name).asc(nulls_last=True)


def _after(model: type[Model], ordering: tuple[str, ...], values: list[Any]) -> Q:
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
        if _nullable(model, name):
            beyond |= Q(**{f"{name}__isnull": True})
        condition |= equal & beyond
        equal &= Q(**{name: value})
    return condition


def _nullable(model: type[Model], path: str) -> bool:
    try:
        field = model._meta.get_field(path)
    except FieldDoesNotExist:
        return True  # a relation path or an annotation: assume it may be NULL
    return bool(getattr(field, "null", True))


def _value(obj: Model, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj
