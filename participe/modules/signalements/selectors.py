"""Reads of the signalements: the visible reports of a module with filters, the map feed, duplicates near a point,
a report's page and timeline, the services' queue."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.utils import timezone

from participe.assignments.selectors import assigned_to, service_ids_of, with_assignment
from participe.modules.signalements import geo
from participe.modules.signalements.models import (
    GRID,
    OPEN_STATUSES,
    ROW,
    Category,
    Report,
    ResponseTemplate,
    Status,
    Update,
    grid_cell,
)
from participe.spaces.models import Module
from participe.spaces.predicates import is_org_admin, is_space_staff

PAGE = 50


def categories(module: Module, *, active: bool = True) -> QuerySet[Category]:
    qs = Category.objects.filter(module=module).select_related("default_service")
    return qs.filter(is_active=True) if active else qs


def public_reports(module: Module) -> QuerySet[Report]:
    """The reports everyone sees: confirmed, of a public category, not hidden by moderation."""
    return Report.objects.filter(
        module=module, confirmed_at__isnull=False, category__is_private=False, moderation_status="published"
    )


def reports_visible_to(user: Any, module: Module) -> QuerySet[Report]:
    """Public reports, plus the user's own (private categories, waiting confirmation is never anyone's)."""
    qs = Report.objects.filter(module=module)
    if user.is_authenticated and is_space_staff(user, module):
        return qs
    visible = Q(confirmed_at__isnull=False, category__is_private=False, moderation_status="published")
    if user.is_authenticated:
        visible |= Q(author_id=user.pk)
    return qs.filter(visible)


@dataclass(frozen=True)
class Filters:
    category: int | None = None
    status: str = ""  # a status, or "open" / "closed"
    territory: int | None = None
    since_days: int | None = None

    @classmethod
    def from_query(cls, query: Any) -> Filters:
        def number(name: str) -> int | None:
            value = str(query.get(name) or "")
            return int(value) if value.isdigit() else None

        status = str(query.get("status") or "")
        if status not in {*Status.values, "open", "closed"}:
            status = ""
        since = number("since")
        return cls(number("category"), status, number("territory"), since if since in (7, 30, 90, 365) else None)

    def apply(self, qs: QuerySet[Report]) -> QuerySet[Report]:
        if self.category:
            qs = qs.filter(category_id=self.category)
        if self.status == "open":
            qs = qs.filter(status__in=OPEN_STATUSES)
        elif self.status == "closed":
            qs = qs.exclude(status__in=OPEN_STATUSES)
        elif self.status:
            qs = qs.filter(status=self.status)
        if self.territory:
            qs = qs.filter(territory_id=self.territory)
        if self.since_days:
            qs = qs.filter(created_at__gte=timezone.now() - datetime.timedelta(days=self.since_days))
        return qs


def report_list(user: Any, module: Module, filters: Filters, *, before: int | None = None) -> list[Report]:
    """One page of the list, newest first (keyset on the id)."""
    qs = filters.apply(reports_visible_to(user, module)).select_related("category", "territory")
    if before:
        qs = qs.filter(pk__lt=before)
    return list(qs.order_by("-pk")[:PAGE])


def map_features(user: Any, module: Module, filters: Filters, *, limit: int = 5000) -> dict[str, Any]:
    """The GeoJSON feed of the map (points only, what a popup needs)."""
    rows = (
        filters.apply(reports_visible_to(user, module))
        .order_by("-pk")
        .values_list("pk", "title", "lat", "lon", "status", "category__name", "category__icon")[:limit]
    )
    labels = dict(Status.choices)
    base = Module.get_absolute_url(module)
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": pk,
                    "title": title,
                    "status": status,
                    "status_label": str(labels.get(status, status)),
                    "category": category,
                    "icon": icon,
                    "open": status in OPEN_STATUSES,
                    "url": f"{base}{pk}/",
                },
            }
            for pk, title, lat, lon, status, category, icon in rows
        ],
    }


def nearby_cells(lat: float, lon: float, radius_m: float) -> list[int]:
    """The grid cells the circle of ``radius_m`` around the point touches (one to four for small radii)."""
    south, west, north, east = geo.box(lat, lon, radius_m)
    rows = range(int((south + 90) * GRID), int((north + 90) * GRID) + 1)
    cols = range(int((west + 180) * GRID), int((east + 180) * GRID) + 1)
    return [r * ROW + c for r in rows for c in cols]


def duplicates(
    module: Module, category: Category | None, lat: float, lon: float, radius_m: float, *, limit: int = 5
) -> list[Report]:
    """Open public reports (of ``category`` when given) within ``radius_m`` of the point, nearest first."""
    south, west, north, east = geo.box(lat, lon, radius_m)
    qs = public_reports(module).filter(
        cell__in=nearby_cells(lat, lon, radius_m),
        status__in=OPEN_STATUSES,
        lat__range=(south, north),
        lon__range=(west, east),
    )
    if category is not None:
        qs = qs.filter(category=category)
    found = []
    for report in qs.select_related("category")[:200]:
        distance = geo.distance_m(lat, lon, report.lat, report.lon)
        if distance <= radius_m:
            report.distance = round(distance)  # type: ignore[attr-defined]
            found.append(report)
    found.sort(key=lambda r: r.distance)  # type: ignore[attr-defined]
    return found[:limit]


def report_for_page(module: Module, pk: int) -> Report | None:
    return (
        Report.objects.select_related("category", "territory", "author", "module__space")
        .filter(module=module, pk=pk)
        .first()
    )


def timeline(report: Report, *, internal: bool = False) -> list[Update]:
    qs = report.updates.select_related("author")
    return list(qs if internal else qs.filter(is_public=True))


def templates_for(report: Report) -> list[ResponseTemplate]:
    return list(
        ResponseTemplate.objects.filter(module=report.module).filter(
            Q(category__isnull=True) | Q(category=report.category)
        )
    )


def is_overdue(report: Report, now: datetime.datetime | None = None) -> bool:
    """Past the category's time to acknowledge (still « nouveau ») or to resolve (still open)."""
    now = now or timezone.now()
    if report.status not in OPEN_STATUSES or report.confirmed_at is None:
        return False
    category = report.category
    if report.status == Status.NEW and report.created_at + datetime.timedelta(days=category.acknowledge_days) < now:
        return True
    return report.created_at + datetime.timedelta(days=category.resolve_days) < now


@dataclass(frozen=True)
class QueueFilters:
    service: int | None = None
    category: int | None = None
    status: str = "open"
    territory: int | None = None
    older_than: int | None = None  # days
    overdue: bool = False
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_query(cls, query: Any) -> QueueFilters:
        def number(name: str) -> int | None:
            value = str(query.get(name) or "")
            return int(value) if value.isdigit() else None

        status = str(query.get("status") or "open")
        if status not in {*Status.values, "open", "closed", "all"}:
            status = "open"
        older = number("older")
        return cls(
            number("service"),
            number("category"),
            status,
            number("territory"),
            older if older in (2, 7, 30, 90) else None,
            query.get("overdue") == "1",
        )


def _queue_reports(user: Any, module: Module, filters: QueueFilters, now: datetime.datetime) -> QuerySet[Report]:
    """The reports of the user's services (every report for the module's staff) the queue's filters keep."""
    qs = Report.objects.filter(module=module, confirmed_at__isnull=False)
    if not (is_org_admin(user) or is_space_staff(user, module)):
        qs = assigned_to(qs, service_ids_of(user))
    if filters.service:
        qs = assigned_to(qs, [filters.service])
    qs = with_assignment(qs)  # annotations read for the page's 50 rows
    qs = Filters(filters.category, "" if filters.status == "all" else filters.status, filters.territory).apply(qs)
    if filters.older_than:
        qs = qs.filter(created_at__lt=now - datetime.timedelta(days=filters.older_than))
    if filters.overdue:
        qs = qs.filter(status__in=OPEN_STATUSES, assignment_due_at__lt=now)  # type: ignore[misc]  # annotated
    return qs


def queue(user: Any, module: Module, filters: QueueFilters, *, before: int | None = None) -> list[Report]:
    """The reports of the user's services (every report for the module's staff), with their assignment."""
    now = timezone.now()
    qs = _queue_reports(user, module, filters, now)
    if before:
        qs = qs.filter(pk__lt=before)
    rows = list(qs.select_related("category", "territory").order_by("-pk")[:PAGE])
    for report in rows:
        report.overdue = is_overdue(report, now) or bool(  # type: ignore[attr-defined]
            report.is_open and report.assignment_due_at and report.assignment_due_at < now  # type: ignore[attr-defined]
        )
    return rows


def queue_features(user: Any, module: Module, filters: QueueFilters, *, limit: int = 5000) -> dict[str, Any]:
    """The GeoJSON of the queue's map: the reports the queue's filters keep (not only its page), each linking to
    its back-office page; ``truncated`` says when more than ``limit`` matched (the newest are shown)."""
    from django.urls import reverse

    rows = list(
        _queue_reports(user, module, filters, timezone.now())
        .order_by("-pk")
        .values_list("pk", "title", "lat", "lon", "status", "category__name")[: limit + 1]
    )
    labels = dict(Status.choices)
    base = reverse("backoffice:signalements:report", kwargs={"pk": 0})[: -len("0/")]
    return {
        "type": "FeatureCollection",
        "truncated": len(rows) > limit,
        "features": [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [lon, lat]},
                "properties": {
                    "id": pk,
                    "title": title,
                    "status": status,
                    "status_label": str(labels.get(status, status)),
                    "category": category,
                    "open": status in OPEN_STATUSES,
                    "url": f"{base}{pk}/",
                },
            }
            for pk, title, lat, lon, status, category in rows[:limit]
        ],
    }


def failed_forwards(user: Any, module: Module, *, limit: int = 20) -> list[Any]:
    """The user's reports whose forwarding to an external Open311 endpoint failed (newest first)."""
    from participe.modules.signalements.models import Forward

    reports = _queue_reports(user, module, QueueFilters(status="all"), timezone.now())
    return list(
        Forward.objects.filter(state=Forward.State.FAILED, report__in=reports.values("pk"))
        .select_related("report", "forwarding")
        .order_by("-pk")[:limit]
    )


def cell_of(lat: float, lon: float) -> int:
    return grid_cell(lat, lon)
