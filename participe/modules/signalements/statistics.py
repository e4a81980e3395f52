"""Figures of the signalements: per service and category, counts, median times to acknowledge and to resolve, the
share resolved within the expected time, per month; the manifest's ``statistics`` and the public page."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.core.registry import Statistic
from participe.core.registry import figures as labelled
from participe.modules.signalements import figures
from participe.modules.signalements.models import OPEN_STATUSES, Category, DayFigures, Delay, DelayFigures, Report
from participe.organisation.models import Service
from participe.spaces.models import Module


@dataclass
class Row:
    label: str
    total: int = 0
    open: int = 0
    resolved: int = 0
    within: int = 0
    ack_steps: Counter[int] = field(default_factory=Counter)  # buckets of ``figures.ACK_STEPS``: how many reports
    resolve_steps: Counter[int] = field(default_factory=Counter)  # buckets of ``figures.RESOLVE_STEPS``

    @property
    def median_ack_hours(self) -> float | None:
        found = median(self.ack_steps, figures.ACK_STEPS)
        return round(found / 3600, 1) if found is not None else None

    @property
    def median_resolve_days(self) -> float | None:
        found = median(self.resolve_steps, figures.RESOLVE_STEPS)
        return round(found / 86400, 1) if found is not None else None

    @property
    def within_share(self) -> int | None:
        return round(100 * self.within / self.resolved) if self.resolved else None


def median(histogram: Counter[int] | dict[int, int], steps: figures.Steps) -> float | None:
    """The median delay in seconds of a histogram of buckets (the mean of the two middle ones for an even count)."""
    total = sum(histogram.values())
    if not total:
        return None
    middle = ((total - 1) // 2, total // 2)
    found: list[int] = []
    seen = 0
    for value in sorted(histogram):
        seen += histogram[value]
        while len(found) < 2 and seen > middle[len(found)]:
            found.append(value)
        if len(found) == 2:
            break
    return (figures.upper(found[0], steps) + figures.upper(found[1], steps)) / 2


@dataclass
class _Rows:
    """The rows of the two tables, found by a pair (category, service) of the figures."""

    categories: dict[int, Category]
    services: dict[int, str]
    by_category: dict[str, Row] = field(default_factory=dict)
    by_service: dict[str, Row] = field(default_factory=dict)

    def of(self, category_id: int, service_id: int) -> tuple[Row, Row]:
        category = self.categories[category_id].name
        service = self.services.get(service_id) or str(_("Sans service"))
        if category not in self.by_category:
            self.by_category[category] = Row(category)
        if service not in self.by_service:
            self.by_service[service] = Row(service)
        return self.by_category[category], self.by_service[service]

    def add_delays(self, category_id: int, service_id: int, kind: str, histogram: dict[int, int]) -> None:
        if kind == Delay.ACKNOWLEDGE:
            for row in self.of(category_id, service_id):
                row.ack_steps.update(histogram)
            return
        limit = 86_400 * (self.categories[category_id].resolve_days or 15)
        resolved = sum(histogram.values())
        within = sum(n for bucket, n in histogram.items() if figures.upper(bucket, figures.RESOLVE_STEPS) <= limit)
        for row in self.of(category_id, service_id):
            row.resolve_steps.update(histogram)
            row.resolved += resolved
            row.within += within

    def sorted(self, holder: dict[str, Row]) -> list[Row]:
        return sorted((row for row in holder.values() if row.total), key=lambda r: -r.total)


def table(module: Module) -> dict[str, Any]:
    """Per category and per service (the service in charge now), and per month (the last twelve), from the figures
    kept per day (``figures``): a few thousand rows whatever the number of reports."""
    days = list(
        DayFigures.objects.filter(module=module)
        .values("category_id", "service_id")
        .annotate(total=Sum("total"), open=Sum("open"))
        .order_by()
    )
    delays = list(
        DelayFigures.objects.filter(module=module, count__gt=0).values_list(
            "category_id", "service_id", "kind", "bucket", "count"
        )
    )
    service_ids = {row["service_id"] for row in days} | {row[1] for row in delays}
    rows = _Rows(
        categories={c.pk: c for c in Category.objects.filter(module=module).only("pk", "name", "resolve_days")},
        services=dict(Service.objects.filter(pk__in=service_ids).values_list("pk", "name")),
    )
    for day in days:
        for row in rows.of(day["category_id"], day["service_id"]):
            row.total += day["total"]
            row.open += day["open"]
    # The histograms per category and service first (thousands of buckets), then each pair into its two rows.
    histograms: dict[tuple[int, int, str], dict[int, int]] = defaultdict(dict)
    for category_id, service_id, kind, bucket, count in delays:
        histograms[(category_id, service_id, kind)][bucket] = count
    for (category_id, service_id, kind), histogram in histograms.items():
        rows.add_delays(category_id, service_id, kind, histogram)
    return {
        "categories": rows.sorted(rows.by_category),
        "services": rows.sorted(rows.by_service),
        "months": _months(module),
    }


def _months(module: Module) -> list[dict[str, Any]]:
    since = timezone.localdate(timezone.now() - datetime.timedelta(days=366))
    months = (
        DayFigures.objects.filter(module=module, day__gte=since)
        .annotate(month=TruncMonth("day"))
        .values("month")
        .annotate(total=Sum("total"), resolved=Sum("closed"))
        .order_by("month")
    )
    return [
        {"month": m["month"].strftime("%Y-%m"), "total": m["total"], "resolved": m["resolved"]}
        for m in months
        if m["month"] and m["total"]
    ]


LABELS = {
    "contributions": _("Signalements"),
    "participants": _("Auteurs"),
    "open": _("Ouverts"),
    "resolved": _("Résolus ou fermés"),
}


def _public(module: Module) -> Any:
    return Report.objects.filter(module=module, confirmed_at__isnull=False)


def statistics(module: Module) -> list[Statistic]:
    qs = _public(module)
    counts = qs.aggregate(
        contributions=Count("pk"),
        participants=Count("author", distinct=True),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        resolved=Count("pk", filter=~Q(status__in=OPEN_STATUSES)),
    )
    return labelled(counts, LABELS)
