"""Writes of the audience counter: sums added to the counts of the day, and the counts older than the retention
period deleted. No person acts here (the counter's flush and the nightly purge): nothing to check but the data."""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Mapping
from typing import Any, Protocol

from django.conf import settings
from django.db import connection, transaction
from django.utils import timezone

from participe.audience.models import DailyCount, Dimension
from participe.spaces.models import Module, Space

CHUNK = 400


class Sums(Protocol):
    views: int
    visits: int


def _places(keys: Iterable[Any]) -> tuple[dict[str, int], dict[tuple[str, str], tuple[int, int]]]:
    """The ids of the spaces and modules named by slug in ``keys``: space slug → id, (space, module) → (id, space)."""
    slugs = {k.space for k in keys if k.space}
    if not slugs:
        return {}, {}
    spaces = dict(Space.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    modules = {
        (space_slug, slug): (pk, space_id)
        for space_slug, slug, pk, space_id in Module.objects.filter(space__slug__in=slugs).values_list(
            "space__slug", "slug", "pk", "space_id"
        )
    }
    return spaces, modules


def _rows(sums: Mapping[Any, Sums]) -> dict[tuple[datetime.date, str, str], DailyCount]:
    """The rows to add, keyed as the table's unique constraint: a space or module as its id; a page of a space or
    module that does not exist (any more) is counted without it, a space or module that does not exist is dropped."""
    spaces, modules = _places(sums)
    rows: dict[tuple[datetime.date, str, str], DailyCount] = {}
    for key, tally in sums.items():
        space_id = spaces.get(key.space) if key.space else None
        module_id = None
        if key.module:
            module_id, space_id = modules.get((key.space, key.module), (None, space_id))
        final = key.key
        if key.dimension == Dimension.SPACE:
            if space_id is None:
                continue
            final = str(space_id)
        elif key.dimension == Dimension.MODULE:
            if module_id is None:
                continue
            final = str(module_id)
        row = rows.get((key.day, key.dimension, final))
        if row is None:
            row = rows[(key.day, key.dimension, final)] = DailyCount(
                day=key.day, dimension=key.dimension, key=final, space_id=space_id, module_id=module_id
            )
        row.views += tally.views
        row.visits += tally.visits
    return rows


def _time_limit(seconds: int) -> None:
    """The longest the flush may wait on the database, inside its transaction."""
    if connection.vendor == "postgresql" and seconds > 0:
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL statement_timeout = %s", [seconds * 1000])
            cursor.execute("SET LOCAL lock_timeout = %s", [seconds * 1000])


def counts_add(sums: Mapping[Any, Sums], *, timeout: int = 5) -> int:
    """Add ``sums`` (``counter.Key`` → views and visits) to the counts of their days, in one transaction (all or
    nothing: the caller keeps them when it fails); the number of counts touched. The rows are created first (a
    concurrent flush of another process may create them too), then locked in a fixed order and added to."""
    rows = _rows(sums)
    if not rows:
        return 0
    items = list(rows.items())
    with transaction.atomic():
        _time_limit(timeout)
        for start in range(0, len(items), CHUNK):
            chunk = dict(items[start : start + CHUNK])
            DailyCount.objects.bulk_create(
                [
                    DailyCount(day=d, dimension=dim, key=k, space_id=r.space_id, module_id=r.module_id)
                    for (d, dim, k), r in chunk.items()
                ],
                ignore_conflicts=True,
            )
            existing = (
                DailyCount.objects.select_for_update()
                .filter(
                    day__in={d for d, _, _ in chunk},
                    dimension__in={dim for _, dim, _ in chunk},
                    key__in={k for _, _, k in chunk},
                )
                .order_by("pk")
            )
            changed = []
            for row in existing:
                delta = chunk.get((row.day, row.dimension, row.key))
                if delta is None:
                    continue
                row.views += delta.views
                row.visits += delta.visits
                changed.append(row)
            DailyCount.objects.bulk_update(changed, ["views", "visits"])
    return len(rows)


def retention_start(today: datetime.date | None = None) -> datetime.date:
    """The first day whose counts are kept: the same day ``PARTICIPE_AUDIENCE_RETENTION_MONTHS`` months ago."""
    today = today or timezone.localdate()
    months = int(getattr(settings, "PARTICIPE_AUDIENCE_RETENTION_MONTHS", 25))
    index = today.year * 12 + (today.month - 1) - months
    year, month = divmod(index, 12)
    month += 1
    for day in (today.day, 30, 29, 28):
        try:
            return datetime.date(year, month, day)
        except ValueError:
            continue
    raise AssertionError("unreachable")


def counts_purge(*, today: datetime.date | None = None) -> int:
    """Delete the counts of the days before :func:`retention_start`; how many were deleted."""
    deleted, _ = DailyCount.objects.filter(day__lt=retention_start(today)).delete()
    return deleted
