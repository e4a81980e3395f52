"""Figures of the signalements: per service and category, counts, median times to acknowledge and to resolve, the
share resolved within the expected time, per month; the manifest's ``statistics`` and the public page."""

from __future__ import annotations

import datetime
import statistics as stats
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils.translation import gettext_lazy as _

from participe.assignments.selectors import with_assignment
from participe.core.registry import Statistic, figures
from participe.modules.signalements.models import OPEN_STATUSES, Report
from participe.spaces.models import Module

SAMPLE = 20_000  # rows read for the medians (the most recent): enough for a stable median, bounded in time


@dataclass
class Row:
    label: str
    total: int = 0
    open: int = 0
    resolved: int = 0
    within: int = 0
    ack_hours: list[float] = field(default_factory=list)
    resolve_days: list[float] = field(default_factory=list)

    @property
    def median_ack_hours(self) -> float | None:
        return round(stats.median(self.ack_hours), 1) if self.ack_hours else None

    @property
    def median_resolve_days(self) -> float | None:
        return round(stats.median(self.resolve_days), 1) if self.resolve_days else None

    @property
    def within_share(self) -> int | None:
        return round(100 * self.within / self.resolved) if self.resolved else None


def _public(module: Module) -> Any:
    return Report.objects.filter(module=module, confirmed_at__isnull=False)


def table(module: Module) -> dict[str, Any]:
    """Per category and per service (the service in charge now), and per month."""
    by_category: dict[str, Row] = {}
    by_service: dict[str, Row] = {}
    rows = (
        with_assignment(_public(module))
        .order_by("-pk")
        .values_list(
            "category__name",
            "assignment_service_name",
            "status",
            "created_at",
            "acknowledged_at",
            "resolved_at",
            "category__resolve_days",
        )[:SAMPLE]
    )
    for category, service, status, created, acknowledged, resolved, resolve_days in rows:
        for key, holder in ((category, by_category), (service or str(_("Sans service")), by_service)):
            row = holder.setdefault(key, Row(key))
            row.total += 1
            row.open += status in OPEN_STATUSES
            if acknowledged:
                row.ack_hours.append((acknowledged - created).total_seconds() / 3600)
            if resolved and status not in OPEN_STATUSES:
                row.resolved += 1
                days = (resolved - created).total_seconds() / 86400
                row.resolve_days.append(days)
                row.within += days <= (resolve_days or 15)
    months = (
        _public(module)
        .filter(created_at__gte=datetime.datetime.now(tz=datetime.UTC) - datetime.timedelta(days=366))
        .annotate(month=TruncMonth("created_at"))
        .values("month")
        .annotate(total=Count("pk"), resolved=Count("pk", filter=~Q(status__in=OPEN_STATUSES)))
        .order_by("month")
    )
    return {
        "categories": sorted(by_category.values(), key=lambda r: -r.total),
        "services": sorted(by_service.values(), key=lambda r: -r.total),
        "months": [
            {"month": m["month"].strftime("%Y-%m"), "total": m["total"], "resolved": m["resolved"]}
            for m in months
            if m["month"]
        ],
    }


LABELS = {
    "contributions": _("Signalements"),
    "participants": _("Auteurs"),
    "open": _("Ouverts"),
    "resolved": _("Résolus ou fermés"),
}


def statistics(module: Module) -> list[Statistic]:
    qs = _public(module)
    counts = qs.aggregate(
        contributions=Count("pk"),
        participants=Count("author", distinct=True),
        open=Count("pk", filter=Q(status__in=OPEN_STATUSES)),
        resolved=Count("pk", filter=~Q(status__in=OPEN_STATUSES)),
    )
    return figures(counts, LABELS)
