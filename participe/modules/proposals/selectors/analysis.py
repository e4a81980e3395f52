"""Reads of the back-office of a proposals module: the agents' list with its filters and counts, a proposal's
analysis page, the answers waiting for publication.

The staff of the space see every proposal of the module; the agents of a service see the
proposals assigned to their service (``rules``). Drafts stay their authors' own: the back-office never
shows them. Which service a proposal is given to is the platform's (``participe.assignments``): lists read it as
annotations (``with_assignment``) and filter on it with ``EXISTS`` (no column on the proposal).
"""

from __future__ import annotations

import hashlib
import re
import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Q, QuerySet

from participe.assignments import selectors as assignments
from participe.assignments.selectors import service_ids_of
from participe.core.pagination import KeysetPage, keyset_paginate
from participe.modules.proposals.models import Proposal, StatusChange
from participe.organisation.models import Territory
from participe.spaces.models import Module

ANY = ""
NO_SERVICE = "aucun"
NO_ANSWER = "aucune"
PREPARED = "preparee"
OFFLINE = "hors-ligne"  # every origin but "en ligne": the proposals agents entered
PAGE_SIZE = 50

# Sort name -> (field, descending); each is followed by the id.
SORTS: dict[str, tuple[str, bool]] = {
    "recentes": ("published_at", True),
    "anciennes": ("published_at", False),
    "numero": ("reference", False),
    "soutiens": ("supports_count", True),
    "commentaires": ("comments_count", True),
    "modifiees": ("updated_at", True),
}
REFERENCE = re.compile(r"^(?:n[°o]\s*)?(\d{1,9})$", re.IGNORECASE)


@dataclass(frozen=True)
class AgentFilters:
    """What the agent chose in the filters of the list (``BackofficeFilterForm`` builds it from the query)."""

    status: str = Proposal.Status.PUBLISHED  # ANY: every status
    answer: str = ANY  # an answer status, NO_ANSWER or PREPARED (an answer waits for publication)
    service: int | str | None = None  # a service id, NO_SERVICE, or None for any
    theme: int | None = None
    territory: int | None = None  # its sub-territories included
    retained: bool | None = None  # the support threshold was reached
    origin: str = ANY
    q: str = ""
    sort: str = "recentes"

    @classmethod
    def from_cleaned(cls, data: dict[str, Any]) -> AgentFilters:
        service = data.get("service") or None
        if service not in (None, NO_SERVICE):
            service = getattr(service, "pk", service)
        retained = {"oui": True, "non": False}.get(data.get("retained") or "")
        return cls(
            status=data.get("status") or ANY,
            answer=data.get("answer") or ANY,
            service=service,
            theme=getattr(data.get("theme"), "pk", None),
            territory=getattr(data.get("territory"), "pk", None),
            retained=retained,
            origin=data.get("origin") or ANY,
            q=(data.get("q") or "").strip(),
            sort=data.get("sort") or "recentes",
        )

    def as_dict(self) -> dict[str, Any]:
        """For the audit log of an export: what was chosen."""
        return {k: v for k, v in self.__dict__.items() if v not in (None, "")}


def can_manage(user: Any, module: Module) -> bool:
    return bool(user.has_perm("proposals.manage_proposals", module))


def visible_to_agent(module: Module, user: Any) -> QuerySet[Proposal]:
    """The proposals of ``module`` an agent works on: all of them for the staff of the space, else those of the
    agent's services. Never the drafts: they belong to their authors until they deposit them ("vous seul le
    voyez")."""
    qs = Proposal.objects.filter(module=module).exclude(status=Proposal.Status.DRAFT)
    if not can_manage(user, module):
        qs = assignments.assigned_to(qs, service_ids_of(user))
    return qs


def _filter_answer(qs: QuerySet[Proposal], answer: str) -> QuerySet[Proposal]:
    if answer == NO_ANSWER:
        return qs.filter(answer_status="")
    if answer == PREPARED:
        return qs.exclude(draft_answer_status="")
    if answer:
        return qs.filter(answer_status=answer)
    return qs


def _filter_text(qs: QuerySet[Proposal], text: str) -> QuerySet[Proposal]:
    match = REFERENCE.match(text)
    if match:  # a number is the proposal's: found through the module's index, whatever the module's size
        return qs.filter(reference=int(match.group(1)), reference__gt=0)  # "> 0": the unique index's condition
    for word in text.split()[:6]:
        qs = qs.filter(Q(title__icontains=word) | Q(body__icontains=word) | Q(address__icontains=word))
    return qs


def filter_proposals(qs: QuerySet[Proposal], filters: AgentFilters) -> QuerySet[Proposal]:
    """Apply the agent's filters (not the order)."""
    if filters.status:
        qs = qs.filter(status=filters.status)
    qs = _filter_answer(qs, filters.answer)
    if filters.service == NO_SERVICE:
        qs = assignments.unassigned(qs)
    elif filters.service is not None:
        qs = assignments.assigned_to(qs, [int(filters.service)])
    if filters.theme is not None:
        qs = qs.filter(theme_id=filters.theme)
    if filters.territory is not None:
        territory = Territory.objects.filter(pk=filters.territory).first()
        qs = qs.filter(territory_id__in=territory.descendant_ids()) if territory else qs.none()
    if filters.retained is not None:
        qs = qs.filter(retained_at__isnull=not filters.retained)
    if filters.origin == OFFLINE:
        qs = qs.exclude(origin=Proposal.Origin.ONLINE)
    elif filters.origin:
        qs = qs.filter(origin=filters.origin)
    if filters.q:
        qs = _filter_text(qs, filters.q)
    return qs


COUNT_LIMIT = 10_000


def bounded_count(qs: QuerySet[Proposal]) -> tuple[int, bool]:
    """How many rows, counted up to ``COUNT_LIMIT`` (beyond it: "plus de 10 000"), and whether it stopped there."""
    found = qs.order_by()[: COUNT_LIMIT + 1].count()
    return min(found, COUNT_LIMIT), found > COUNT_LIMIT


def proposals_for_agent(module: Module, user: Any, filters: AgentFilters) -> QuerySet[Proposal]:
    """The filtered proposals an agent sees, with what the list shows (no query per row)."""
    qs = filter_proposals(visible_to_agent(module, user), filters)
    return assignments.with_assignment(qs.select_related("theme", "territory", "author", "entered_by"))


def _sort_key(filters: AgentFilters) -> tuple[str, bool]:
    return SORTS.get(filters.sort, SORTS["recentes"])


def proposals_page(
    module: Module, user: Any, filters: AgentFilters, *, cursor: str | None, size: int = PAGE_SIZE
) -> KeysetPage[Proposal]:
    """One page of the agent's list (keyset: the same cost on the first and the thousandth page).

    Each order is (a column that is never empty, id), so that the database walks the module's index in order.
    """
    field, descending = _sort_key(filters)
    qs = proposals_for_agent(module, user, filters)
    if field == "published_at":
        qs = qs.filter(published_at__isnull=False)
    ordering = (f"-{field}", "-pk") if descending else (field, "pk")
    return keyset_paginate(qs, ordering=ordering, cursor=cursor, size=size, nulls=False)


COUNTS_TTL = 60  # seconds; the agents' own writes refresh them at once (``forget_counts``)


def _counts_version_key(module_id: int) -> str:
    return f"proposals:bo-counts-version:{module_id}"


def forget_counts(module_id: int) -> None:
    """The figures of a module changed (an answer, a service, a proposal entered): compute them again."""
    cache.set(_counts_version_key(module_id), time.time_ns(), None)


def module_counts(module: Module, user: Any) -> dict[str, int]:
    """How many proposals in each state, among those the agent sees.

    One pass over the module's proposals; kept a minute in the cache (a module of 100,000 proposals costs tens
    of milliseconds to count), and computed again at once after an agent's write.
    """
    scope = "all" if can_manage(user, module) else ",".join(map(str, sorted(service_ids_of(user))))
    version = cache.get(_counts_version_key(module.pk), 0)
    key = f"proposals:bo-counts:{module.pk}:{version}:{hashlib.sha256(scope.encode()).hexdigest()[:16]}"
    counts = cache.get(key)
    if counts is None:
        counts = _count(visible_to_agent(module, user))
        cache.set(key, counts, COUNTS_TTL)
    return counts  # type: ignore[no-any-return]


def _count(qs: QuerySet[Proposal]) -> dict[str, int]:
    published = Q(status=Proposal.Status.PUBLISHED)
    figures = qs.aggregate(
        total=Count("pk"),
        published=Count("pk", filter=published),
        withdrawn=Count("pk", filter=Q(status=Proposal.Status.WITHDRAWN)),
        unanswered=Count("pk", filter=published & Q(answer_status="")),
        analysis=Count("pk", filter=published & Q(answer_status=Proposal.AnswerStatus.ANALYSIS)),
        selected=Count("pk", filter=published & Q(answer_status=Proposal.AnswerStatus.SELECTED)),
        rejected=Count("pk", filter=published & Q(answer_status=Proposal.AnswerStatus.REJECTED)),
        done=Count("pk", filter=published & Q(answer_status=Proposal.AnswerStatus.DONE)),
        prepared=Count("pk", filter=published & ~Q(draft_answer_status="")),
        retained=Count("pk", filter=published & Q(retained_at__isnull=False)),
        unassigned=Count("pk", filter=published & ~assignments.assigned_condition(Proposal)),
        entered=Count("pk", filter=~Q(origin=Proposal.Origin.ONLINE)),
    )
    return {key: int(value or 0) for key, value in figures.items()}


def proposal_for_analysis(pk: int) -> Proposal | None:
    return (
        Proposal.objects.select_related("module__space", "theme", "territory", "author", "entered_by", "answered_by")
        .prefetch_related("module__phases")
        .filter(pk=pk, module__module_type="proposals")
        .exclude(status=Proposal.Status.DRAFT)
        .first()
    )


def history_of(proposal: Proposal) -> list[StatusChange]:
    return list(StatusChange.objects.filter(proposal=proposal).select_related("actor").order_by("created_at", "pk"))


def selected_proposals(module: Module, user: Any, ids: list[int]) -> list[Proposal]:
    """The proposals an agent ticked in the list (those of another module or out of reach are left out)."""
    if not ids:
        return []
    qs = visible_to_agent(module, user).filter(pk__in=ids[:500])
    return list(assignments.with_assignment(qs.select_related("theme")).order_by("reference", "pk"))


def awaiting_publication(module: Module, user: Any) -> QuerySet[Proposal]:
    """Published proposals whose prepared answer is not published yet."""
    qs = visible_to_agent(module, user).filter(status=Proposal.Status.PUBLISHED).exclude(draft_answer_status="")
    return assignments.with_assignment(qs.select_related("theme")).order_by("reference", "pk")


def modules_for_agent(user: Any) -> list[dict[str, Any]]:
    """The proposals modules where the agent has work: every module of the spaces they administer, and those
    with proposals assigned to their services, with the number of proposals awaiting an answer."""
    modules = (
        Module.objects.filter(module_type="proposals").select_related("space").order_by("space__title", "position")
    )
    found = []
    for module in modules:
        if not user.has_perm("proposals.view_analysis", module):
            continue
        qs = visible_to_agent(module, user).filter(status=Proposal.Status.PUBLISHED)
        counts = qs.aggregate(total=Count("pk"), waiting=Count("pk", filter=Q(answer_status="")))
        if counts["total"] or can_manage(user, module):
            found.append({"module": module, "total": counts["total"], "waiting": counts["waiting"]})
    return found
