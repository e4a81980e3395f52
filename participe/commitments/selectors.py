"""Reads of the commitments: the follow-up across every démarche with its filters and overview, a space's list,
a commitment's timeline, the commitments answering an item. Nothing here writes."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Avg, Count, Model, Q, QuerySet
from django.utils import timezone

from participe.attachments.selectors import prefetch_attachments
from participe.commitments.models import CLOSED, OPEN, Commitment, CommitmentSource, CommitmentUpdate, Status
from participe.core.pagination import KeysetPage, keyset_paginate
from participe.permissions.second_factor import roles_count
from participe.spaces.models import Space, SpaceMembership
from participe.spaces.predicates import is_org_admin, item_is_visible

ORDERING = ("planned_date", "id")
VISIBLE_SPACE_STATUSES = (Space.Status.PUBLISHED, Space.Status.ARCHIVED)


@dataclass(frozen=True)
class Filters:
    """The follow-up's filters (each optional)."""

    space: Space | None = None
    status: str = ""
    service_id: int | None = None
    territory_id: int | None = None
    overdue: bool = False
    query: str = ""


def _public(qs: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return qs.filter(
        is_published=True,
        space__status__in=VISIBLE_SPACE_STATUSES,
        space__visibility=Space.Visibility.PUBLIC,
    )


def visible_to(user: Any) -> QuerySet[Commitment]:
    """The commitments ``user`` may see in lists: the published ones of the spaces they may see (public ones, and
    private ones they belong to). The staff's unpublished commitments are in the back-office's lists."""
    qs = Commitment.objects.all()
    if getattr(user, "is_authenticated", False):
        if is_org_admin(user):
            return qs.filter(is_published=True)
        member_of = SpaceMembership.objects.filter(user=user).values("space_id")
        return qs.filter(is_published=True, space__status__in=VISIBLE_SPACE_STATUSES).filter(
            Q(space__visibility=Space.Visibility.PUBLIC) | Q(space_id__in=member_of)
        )
    return _public(qs)


def managed_by(user: Any) -> QuerySet[Commitment]:
    """Every commitment ``user`` writes or carries, published or not (the back-office's list)."""
    qs = Commitment.objects.all()
    if is_org_admin(user):
        return qs
    if not roles_count(user):
        return qs.none()
    admin_of = SpaceMembership.objects.filter(user=user, role=SpaceMembership.Role.ADMIN).values("space_id")
    return qs.filter(Q(space_id__in=admin_of) | Q(service__members=user)).distinct()


def overdue_condition(today: datetime.date | None = None) -> Q:
    return Q(planned_date__lt=today or timezone.localdate()) & ~Q(status__in=CLOSED)


def filtered(qs: QuerySet[Commitment], filters: Filters) -> QuerySet[Commitment]:
    if filters.space is not None:
        qs = qs.filter(space=filters.space)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.service_id:
        qs = qs.filter(service_id=filters.service_id)
    if filters.territory_id:
        # A commitment of a sub-territory counts for its parent (a quartier's for its commune).
        qs = qs.filter(Q(territory_id=filters.territory_id) | Q(territory__parent_id=filters.territory_id))
    if filters.overdue:
        qs = qs.filter(overdue_condition())
    if filters.query:
        qs = qs.filter(Q(title__icontains=filters.query) | Q(reference__iexact=filters.query))
    return qs


def for_list(qs: QuerySet[Commitment]) -> QuerySet[Commitment]:
    return qs.select_related("space", "service", "territory")


def page(user: Any, filters: Filters, *, cursor: str | None, size: int = 30) -> KeysetPage[Commitment]:
    """One page of the follow-up (by planned date, those without a date last)."""
    qs = for_list(filtered(visible_to(user), filters))
    return keyset_paginate(qs, ordering=ORDERING, cursor=cursor, size=size)


@dataclass
class Overview:
    """How the commitments of a list stand: how many per status, overdue, the mean progress."""

    total: int = 0
    by_status: list[tuple[str, str, int]] = field(default_factory=list)  # (value, label, count)
    overdue: int = 0
    done: int = 0
    mean_progress: int = 0

    @property
    def done_share(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0


def overview(qs: QuerySet[Commitment]) -> Overview:
    """The figures of ``qs`` in one query."""
    counts = qs.aggregate(
        total=Count("pk"),
        overdue=Count("pk", filter=overdue_condition()),
        mean=Avg("progress"),
        **{s.value: Count("pk", filter=Q(status=s.value)) for s in Status},
    )
    return Overview(
        total=counts["total"],
        by_status=[(s.value, str(s.label), counts[s.value]) for s in Status],
        overdue=counts["overdue"],
        done=counts[Status.DONE.value],
        mean_progress=round(counts["mean"] or 0),
    )


def timeline(commitment: Commitment) -> list[CommitmentUpdate]:
    """The steps of a commitment, newest first, with their authors and their files (no query per step)."""
    updates = list(commitment.updates.select_related("author").order_by("-date", "-pk"))
    for update in updates:
        update.commitment = commitment  # their files' permission checks read the commitment: no query each
    prefetch_attachments(updates)
    return updates


def sources_of(commitment: Commitment, user: Any) -> list[Model]:
    """What ``commitment`` answers, as far as ``user`` may see (one query per kind of item)."""
    by_type: dict[int, list[int]] = {}
    for type_id, object_id in commitment.sources.order_by("pk").values_list("content_type_id", "object_id"):
        by_type.setdefault(type_id, []).append(object_id)
    found: list[Model] = []
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        rows = model._default_manager.filter(pk__in=ids)
        if any(f.name == "module" for f in model._meta.get_fields()):
            rows = rows.select_related("module", "module__space")
        found.extend(item for item in rows if item_is_visible(user, item) and _module_visible(user, item))
    return found


def _module_visible(user: Any, item: Model) -> bool:
    module = getattr(item, "module", None)
    return module is None or bool(user.has_perm("spaces.view_module", module))


def answering(item: Model, user: Any) -> list[Commitment]:
    """The commitments that answer ``item`` and that ``user`` may see (its page shows them). Most items answer none:
    their keys are read first, in one light query, and the commitments only when there are some (issue #12)."""
    content_type = ContentType.objects.get_for_model(item)
    ids = list(
        CommitmentSource.objects.filter(content_type=content_type, object_id=item.pk).values_list(
            "commitment_id", flat=True
        )
    )
    if not ids:
        return []
    return list(for_list(visible_to(user).filter(pk__in=ids)).order_by(*ORDERING))


def of_space(space: Space, user: Any) -> QuerySet[Commitment]:
    return for_list(visible_to(user).filter(space=space)).order_by(*ORDERING)


def spaces_with_commitments(user: Any) -> QuerySet[Space]:
    """The spaces of the commitments ``user`` may see (the follow-up's filter)."""
    return Space.objects.filter(pk__in=visible_to(user).values("space_id")).order_by("title")


def open_statuses() -> tuple[Status, ...]:
    return OPEN
