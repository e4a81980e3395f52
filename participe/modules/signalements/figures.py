"""Statistics kept per day (decision 0028): what each confirmed report adds to ``DayFigures`` and ``DelayFigures``,
applied by the services that change a report in the same transaction, and counted again from the reports by
``rebuild`` (``manage.py signalements_figures_rebuild``).

A service takes ``share(report)`` before its change and after it, then ``record(before, after)``: the difference is
written as increments (``UPDATE … SET total = total + 1``), row by row in one order, so two transactions moving
reports between the same rows never wait on each other in a cycle.
"""

from __future__ import annotations

import datetime
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import IntegrityError, models, transaction
from django.db.models import F
from django.utils import timezone

from participe.assignments.models import Assignment
from participe.assignments.selectors import assignment_of, forget_assignment
from participe.modules.signalements.models import OPEN_STATUSES, DayFigures, Delay, DelayFigures, Report
from participe.spaces.models import Module

# The histograms' steps, finer where most delays fall: (up to this many seconds, steps of that many seconds). A
# tenth of an hour to acknowledge (the page's precision) for a day, then an hour for a week, then a day; a tenth
# of a day to resolve for 30 days, then a day. Every step up to a whole day ends on a whole day, so « resolved within
# the category's days » is exact; a median is the upper end of its step (at most a step too high).
Steps = tuple[tuple[int | None, int], ...]
ACK_STEPS: Steps = ((86_400, 360), (7 * 86_400, 3_600), (None, 86_400))
RESOLVE_STEPS: Steps = ((30 * 86_400, 8_640), (None, 86_400))


def bucket(seconds: float, steps: Steps) -> int:
    """The bucket of a delay: the number of steps it takes, rounded up."""
    base, lower = 0, 0
    for limit, size in steps:
        if limit is None or seconds <= limit:
            return base + max(0, math.ceil((seconds - lower) / size))
        base += (limit - lower) // size
        lower = limit
    raise AssertionError("the last step has no limit")


def upper(found: float, steps: Steps) -> float:
    """The delay in seconds at the upper end of a bucket (or between two buckets, for a median's mean)."""
    base, lower = 0, 0
    for limit, size in steps:
        count = (limit - lower) // size if limit is not None else None
        if count is None or found <= base + count:
            return lower + (found - base) * size
        base += count
        lower = limit  # type: ignore[assignment]  # not None here
    raise AssertionError("the last step has no limit")


@dataclass(frozen=True)
class Share:
    """What one confirmed report adds to the figures."""

    module_id: int
    day: datetime.date
    category_id: int
    service_id: int
    open: bool
    ack: int | None
    resolve: int | None


def share_of(report: Report, service_id: int | None) -> Share | None:
    """The share of ``report`` given to the service ``service_id`` (None: to none); None when it is not counted."""
    if report.confirmed_at is None or report.created_at is None:
        return None
    is_open = report.status in OPEN_STATUSES
    created = report.created_at
    ack = bucket((report.acknowledged_at - created).total_seconds(), ACK_STEPS) if report.acknowledged_at else None
    resolved = report.resolved_at if report.resolved_at and not is_open else None
    return Share(
        module_id=report.module_id,
        day=timezone.localdate(created),
        category_id=report.category_id,
        service_id=service_id or 0,
        open=is_open,
        ack=ack,
        resolve=bucket((resolved - created).total_seconds(), RESOLVE_STEPS) if resolved else None,
    )


def share(report: Report) -> Share | None:
    """The report's share now (its current assignment read again: a change may just have moved it)."""
    forget_assignment(report)
    assignment = assignment_of(report)
    return share_of(report, assignment.service_id if assignment is not None else None)


Key = tuple[type[models.Model], tuple[tuple[str, Any], ...]]


def _changes(part: Share, sign: int, into: dict[Key, Counter[str]]) -> None:
    day_key = (("module_id", part.module_id), ("day", part.day), ("category_id", part.category_id),
               ("service_id", part.service_id))  # fmt: skip
    into.setdefault((DayFigures, day_key), Counter()).update(
        {"total": sign, "open": sign * part.open, "closed": sign * (not part.open)}
    )
    for kind, found in ((Delay.ACKNOWLEDGE, part.ack), (Delay.RESOLVE, part.resolve)):
        if found is not None:
            delay_key = (("module_id", part.module_id), ("category_id", part.category_id),
                         ("service_id", part.service_id), ("kind", str(kind)), ("bucket", found))  # fmt: skip
            into.setdefault((DelayFigures, delay_key), Counter()).update({"count": sign})


def _add(model: type[models.Model], key: dict[str, Any], increments: dict[str, int]) -> None:
    """``row += increments``, the row created at the first report it counts (another transaction may create it
    between our update and our insert: the insert then fails in its savepoint and the update is done again)."""
    changes = {name: F(name) + value for name, value in increments.items()}
    if model._default_manager.filter(**key).update(**changes):
        return
    try:
        with transaction.atomic():
            model._default_manager.create(**key, **increments)
    except IntegrityError:
        model._default_manager.filter(**key).update(**changes)


def record(before: Share | None, after: Share | None) -> None:
    """Write the difference between a report's share before a change and after it (inside the change's
    transaction)."""
    if before == after:
        return
    changes: dict[Key, Counter[str]] = {}
    if before is not None:
        _changes(before, -1, changes)
    if after is not None:
        _changes(after, 1, changes)
    ordered = sorted(changes.items(), key=lambda item: (item[0][0].__name__, [str(v) for _n, v in item[0][1]]))
    for (model, key), counter in ordered:
        increments = {name: value for name, value in counter.items() if value}
        if increments:
            _add(model, dict(key), increments)


# --- counting again -----------------------------------------------------------------------------------------------
def recount(module: Module) -> tuple[Counter[Any], Counter[Any]]:
    """The figures counted from the reports: ``(days, delays)``, each a Counter by row key (zeros left out)."""
    content_type = ContentType.objects.get_for_model(Report)
    service_of = dict(
        Assignment.objects.filter(content_type=content_type, module=module).values_list("object_id", "service_id")
    )
    days: Counter[Any] = Counter()
    delays: Counter[Any] = Counter()
    fields = ("pk", "module_id", "category_id", "status", "created_at", "confirmed_at", "acknowledged_at",
              "resolved_at")  # fmt: skip
    rows = Report.objects.filter(module=module, confirmed_at__isnull=False).only(*fields)
    for report in rows.iterator(chunk_size=5000):
        part = share_of(report, service_of.get(report.pk))
        if part is None:
            continue
        key = (part.day, part.category_id, part.service_id)
        days[(*key, "total")] += 1
        days[(*key, "open" if part.open else "closed")] += 1
        if part.ack is not None:
            delays[(part.category_id, part.service_id, str(Delay.ACKNOWLEDGE), part.ack)] += 1
        if part.resolve is not None:
            delays[(part.category_id, part.service_id, str(Delay.RESOLVE), part.resolve)] += 1
    return days, delays


def stored(module: Module) -> tuple[Counter[Any], Counter[Any]]:
    """The figures as kept, in ``recount``'s shape."""
    days: Counter[Any] = Counter()
    for day, category, service, total, is_open, closed in DayFigures.objects.filter(module=module).values_list(
        "day", "category_id", "service_id", "total", "open", "closed"
    ):
        for name, value in (("total", total), ("open", is_open), ("closed", closed)):
            if value:
                days[(day, category, service, name)] = value
    delays: Counter[Any] = Counter(
        {
            (category, service, kind, bucket): count
            for category, service, kind, bucket, count in DelayFigures.objects.filter(module=module)
            .exclude(count=0)
            .values_list("category_id", "service_id", "kind", "bucket", "count")
        }
    )
    return days, delays


@transaction.atomic
def rebuild(module: Module) -> int:
    """Count the module's figures again from its reports (the command; after a bulk load or a restore). Returns the
    number of reports counted. The module's row is locked: two rebuilds do not interleave."""
    Module.objects.select_for_update().filter(pk=module.pk).first()
    days, delays = recount(module)
    DayFigures.objects.filter(module=module).delete()
    DelayFigures.objects.filter(module=module).delete()
    merged: dict[tuple[Any, ...], dict[str, int]] = {}
    for (day, category, service, name), value in days.items():
        merged.setdefault((day, category, service), {})[name] = value
    DayFigures.objects.bulk_create(
        [
            DayFigures(module=module, day=day, category_id=category, service_id=service, **values)
            for (day, category, service), values in merged.items()
        ],
        batch_size=2000,
    )
    DelayFigures.objects.bulk_create(
        [
            DelayFigures(module=module, category_id=category, service_id=service, kind=kind, bucket=bucket, count=n)
            for (category, service, kind, bucket), n in delays.items()
        ],
        batch_size=2000,
    )
    return sum(values.get("total", 0) for values in merged.values())
