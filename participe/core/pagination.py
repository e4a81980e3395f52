"""Keyset pagination: pages that cost the same at item 10 and at item 1,000,000."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from django.db.models import Model, Q, QuerySet

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


def keyset_paginate(queryset: QuerySet[M], *, ordering: tuple[str, ...], cursor: str | None, size: int = 20) -> KeysetPage[M]:
    """Return one page of ``queryset`` ordered by ``ordering`` (ending with a unique field, e.g. "-pk").

    The cursor holds the ordering values of the last item shown; an invalid cursor restarts at the top.
    """
    queryset = queryset.order_by(*ordering)
    values = _decode(cursor) if cursor else None
    if values is not None and len(values) == len(ordering):
        condition = Q()
        equal = Q()
        for field, value in zip(ordering, values, strict=True):
            name = field.lstrip("-")
            lookup = "lt" if field.startswith("-") else "gt"
            condition |= equal & Q(**{f"{name}__{lookup}": value})
            equal &= Q(**{name: value})
        queryset = queryset.filter(condition)
    items = list(queryset[: size + 1])
    next_cursor = None
    if len(items) > size:
        items = items[:size]
        last = items[-1]
        next_cursor = _encode([_value(last, f.lstrip("-")) for f in ordering])
    return KeysetPage(items=items, next_cursor=next_cursor)


def _value(obj: Model, path: str) -> Any:
    for part in path.split("__"):
        obj = getattr(obj, part)
    return obj
