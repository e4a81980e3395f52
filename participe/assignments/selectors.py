"""Reads of routing to services: the assignment of an item (one, or a page of them at once), the annotations and
filters a module's own lists use, the queue of a service or of an agent across modules, counts and overdue items,
the notes and the history of an item."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Model, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from participe.assignments.models import Assignment, AssignmentEvent, Note
from participe.core.pagination import KeysetPage, keyset_paginate
from participe.core.registry import registry
from participe.organisation.models import Service
from participe.spaces.models import Module
from participe.spaces.predicates import is_agent, is_org_admin

# The module setting holding the expected delay, in days, of an item given to a service (``assignment_delay_field``).
DELAY_SETTING = "assignment_delay"
_CACHE = "_assignment"  # where ``assignment_of`` keeps its answer on the item
_NONE = object()


# --- one item ---------------------------------------------------------------------------------------------------
def target_reference(item: Model) -> tuple[int, int]:
    """``(content_type_id, object_id)`` of an item."""
    return ContentType.objects.get_for_model(item).pk, int(item.pk)


def assign_permission_for(item: Any) -> str | None:
    """The permission (on the item's module) its resource declares for routing it; None: it is not routed."""
    if item is None or not hasattr(item, "_meta"):
        return None
    resource = registry.resource(item._meta.label)
    return resource.assign_permission if resource is not None else None


def is_assignable(item: Any) -> bool:
    return assign_permission_for(item) is not None


def assignment_of(item: Model) -> Assignment | None:
    """The item's current assignment (with its service), read once per item object."""
    cached = item.__dict__.get(_CACHE, None)
    if cached is None:
        content_type_id, object_id = target_reference(item)
        found = (
            Assignment.objects.select_related("service")
            .filter(content_type_id=content_type_id, object_id=object_id)
            .first()
        )
        cached = item.__dict__[_CACHE] = found if found is not None else _NONE
    return None if cached is _NONE else cached  # type: ignore[return-value]


def forget_assignment(item: Model) -> None:
    """Drop what ``assignment_of`` kept on the item (after a write)."""
    item.__dict__.pop(_CACHE, None)


def prefetch_assignments(items: Sequence[Model]) -> None:
    """Read the assignments of a page of items at once (one query per model), so that ``assignment_of`` and the
    ``assignment_mark`` tag cost nothing per row."""
    by_type: dict[int, dict[int, Model]] = defaultdict(dict)
    for item in items:
        content_type_id, object_id = target_reference(item)
        by_type[content_type_id][object_id] = item
        item.__dict__[_CACHE] = _NONE
    for content_type_id, found in by_type.items():
        rows = Assignment.objects.select_related("service").filter(
            content_type_id=content_type_id, object_id__in=list(found)
        )
        for assignment in rows:
            found[assignment.object_id].__dict__[_CACHE] = assignment


def _of_outer(model: type[Model]) -> QuerySet[Assignment]:
    """The assignment of the outer query's row (a module's queryset of its items)."""
    content_type = ContentType.objects.get_for_model(model)
    return Assignment.objects.filter(content_type_id=content_type.pk, object_id=OuterRef("pk"))


def with_assignment(qs: QuerySet[Any]) -> QuerySet[Any]:
    """Annotate a module's items with their assignment, for lists and exports read in one query:
    ``assignment_service_id``, ``assignment_service_name``, ``assignment_due_at``, ``assignment_done_at``."""
    outer = _of_outer(qs.model)
    return qs.annotate(
        assignment_service_id=Subquery(outer.values("service_id")[:1]),
        assignment_service_name=Subquery(outer.values("service__name")[:1]),
        assignment_due_at=Subquery(outer.values("due_at")[:1]),
        assignment_done_at=Subquery(outer.values("done_at")[:1]),
    )


def assigned_condition(model: type[Model], service_ids: Iterable[int] | None = None) -> Exists:
    """True for the items of ``model`` given to one of ``service_ids`` (to any service when None); negate it for
    the items given to none. Usable in ``filter()`` and in an aggregate's ``filter=``."""
    outer = _of_outer(model)
    if service_ids is not None:
        outer = outer.filter(service_id__in=list(service_ids))
    return Exists(outer)


def assigned_to(qs: QuerySet[Any], service_ids: Iterable[int]) -> QuerySet[Any]:
    """The items of ``qs`` given to one of ``service_ids``.

    ``pk IN (the services' items)`` rather than ``EXISTS`` per item: a list filtered on a service counts its rows
    through the service's index instead of probing every item of the module (100,000 proposals, 6,000 of one
    service: page and bounded count SQLite 136 → 62 ms, PostgreSQL 72 → 67 ms on the loaded bench machine;
    bench/routing.py)."""
    content_type = ContentType.objects.get_for_model(qs.model)
    items = Assignment.objects.filter(content_type_id=content_type.pk, service_id__in=list(service_ids))
    return qs.filter(pk__in=items.values("object_id"))


def unassigned(qs: QuerySet[Any]) -> QuerySet[Any]:
    """The items of ``qs`` given to no service."""
    return qs.filter(~assigned_condition(qs.model))


def expected_delay(module: Module) -> datetime.timedelta | None:
    """The delay the module expects of a service (its ``assignment_delay`` setting, in days), or None."""
    value: Any = module.effective_settings(module.current_phase()).get(DELAY_SETTING)
    try:
        days = int(value)
    except (TypeError, ValueError):
        return None
    return datetime.timedelta(days=days) if days > 0 else None


def notes_of(item: Model) -> list[Note]:
    """The internal notes of an item, oldest first, with their authors."""
    content_type_id, object_id = target_reference(item)
    rows = Note.objects.filter(content_type_id=content_type_id, object_id=object_id).select_related("author")
    return list(rows.order_by("created_at", "pk"))


def history_of(item: Model) -> list[AssignmentEvent]:
    """The routing steps of an item, oldest first."""
    content_type_id, object_id = target_reference(item)
    rows = AssignmentEvent.objects.filter(content_type_id=content_type_id, object_id=object_id)
    return list(rows.select_related("actor", "from_service", "to_service").order_by("created_at", "pk"))


# --- people and services ----------------------------------------------------------------------------------------
def service_ids_of(user: Any) -> frozenset[int]:
    """Ids of the services ``user`` is an agent of (none before the second factor), kept on the user object for the
    request."""
    if not is_agent(user):
        return frozenset()
    if "_service_ids" not in user.__dict__:
        user.__dict__["_service_ids"] = frozenset(user.services.values_list("pk", flat=True))
    return user.__dict__["_service_ids"]  # type: ignore[no-any-return]


def queue_services(user: Any) -> QuerySet[Service]:
    """The services whose queue ``user`` reads: every service for an organisation administrator, else their own."""
    if is_org_admin(user):
        return Service.objects.order_by("name")
    return Service.objects.filter(pk__in=service_ids_of(user)).order_by("name")


# --- the queue --------------------------------------------------------------------------------------------------
OPEN = "open"
DONE = "done"
ALL = "all"


@dataclass(frozen=True)
class QueueFilters:
    """What an agent chose in the queue's filters."""

    service: int | None = None
    module: int | None = None
    status: str = OPEN  # OPEN, DONE or ALL
    overdue: bool = False
    older_than_days: int | None = None  # given to the service at least that many days ago


def overdue(qs: QuerySet[Assignment] | None = None, *, now: datetime.datetime | None = None) -> QuerySet[Assignment]:
    """Open assignments past their due date."""
    qs = Assignment.objects.all() if qs is None else qs
    return qs.filter(done_at__isnull=True, due_at__lt=now or timezone.now())


def queue(service_ids: Iterable[int], filters: QueueFilters | None = None) -> QuerySet[Assignment]:
    """The assignments of ``service_ids``, filtered, with what the queue shows (module, space, service)."""
    filters = filters or QueueFilters()
    ids = set(service_ids)
    if filters.service is not None:
        ids &= {filters.service}
    qs = Assignment.objects.filter(service_id__in=ids)
    if filters.module is not None:
        qs = qs.filter(module_id=filters.module)
    if filters.status == OPEN:
        qs = qs.filter(done_at__isnull=True)
    elif filters.status == DONE:
        qs = qs.filter(done_at__isnull=False)
    if filters.overdue:
        qs = overdue(qs)
    if filters.older_than_days:
        qs = qs.filter(assigned_at__lte=timezone.now() - datetime.timedelta(days=filters.older_than_days))
    return qs.select_related("module__space", "service", "content_type")


def queue_for(user: Any, filters: QueueFilters | None = None) -> QuerySet[Assignment]:
    """The queue of ``user``: the items given to their services (every service for an organisation admin)."""
    return queue(queue_services(user).values_list("pk", flat=True), filters)


def _ordering(filters: QueueFilters) -> tuple[str, ...]:
    # Open work by due date (overdue first, none last), then the oldest given; handled work most recent first.
    if filters.status == DONE:
        return ("-done_at", "-pk")
    return ("due_at", "assigned_at", "pk")


def queue_page(user: Any, filters: QueueFilters, *, cursor: str | None, size: int = 50) -> KeysetPage[Assignment]:
    """One keyset page of the queue of ``user``, each assignment with its item (``assignment.item``, None when it
    no longer exists) read with one query per model."""
    page = keyset_paginate(queue_for(user, filters), ordering=_ordering(filters), cursor=cursor, size=size)
    attach_items(page.items)
    return page


def attach_items(assignments: Sequence[Assignment]) -> None:
    """Set ``assignment.item`` on each, reading the items with one query per model; their module is the one the
    assignment already holds, so their back-office address costs no query."""
    by_type: dict[int, list[Assignment]] = defaultdict(list)
    for assignment in assignments:
        by_type[assignment.content_type_id].append(assignment)
    for group in by_type.values():
        model = group[0].content_type.model_class()
        found = model._default_manager.in_bulk([a.object_id for a in group]) if model else {}
        for assignment in group:
            item = found.get(assignment.object_id)
            if item is not None and getattr(item, "module_id", None) == assignment.module_id:
                item.module = assignment.module  # type: ignore[attr-defined]
            if item is not None:
                item.__dict__[_CACHE] = assignment
            assignment.item = item  # type: ignore[attr-defined]


def modules_in_queue(user: Any) -> QuerySet[Module]:
    """The modules that have items in the queue of ``user`` (the queue's filter)."""
    ids = queue_for(user, QueueFilters(status=ALL)).values("module_id")
    return Module.objects.filter(pk__in=ids).select_related("space").order_by("space__title", "title")


def counts_by_service(service_ids: Iterable[int], *, now: datetime.datetime | None = None) -> dict[int, dict[str, int]]:
    """For each service: its open, overdue and handled items, in one query."""
    now = now or timezone.now()
    service_ids = list(service_ids)
    rows = (
        Assignment.objects.filter(service_id__in=service_ids)
        .values("service_id")
        .annotate(
            open=Count("pk", filter=Q(done_at__isnull=True)),
            overdue=Count("pk", filter=Q(done_at__isnull=True, due_at__lt=now)),
            done=Count("pk", filter=Q(done_at__isnull=False)),
        )
        .order_by()
    )
    counts = {pk: {"open": 0, "overdue": 0, "done": 0} for pk in service_ids}
    for row in rows:
        counts[row["service_id"]] = {"open": row["open"], "overdue": row["overdue"], "done": row["done"]}
    return counts
