"""The services' analysis of the projects (as for proposals): routing to a service is the platform's
(``participe.assignments``); the agents prepare each project's feasibility, cost and argued answer (one by one or in
bulk), and who runs the budget publishes them together — the followers of each project are told."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from participe.activity.services import audit
from participe.assignments import services as assignments
from participe.core.sanitize import sanitize_html
from participe.modules.budgets.models import Project
from participe.notifications.services import notify
from participe.permissions.refusals import require

ANSWERED_EVENT = "budgets.answered"


def _lock_many(projects: Iterable[Project]) -> list[Project]:
    ids = sorted({p.pk for p in projects})
    return list(
        Project.objects.select_for_update(of=("self",))
        .select_related("module__space", "envelope")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _check_draft(project: Project, feasibility: str, answer: str, cost: int | None, merged_into: Any) -> None:
    if feasibility not in Project.Feasibility.values or not feasibility:
        raise ValidationError({"feasibility": _("Choisissez l'avis de faisabilité.")})
    if not strip_tags(answer or "").strip():
        raise ValidationError({"answer": _("Argumentez l'avis : il sera publié avec le projet.")})
    wrong_merge = merged_into is None or merged_into.pk == project.pk or merged_into.module_id != project.module_id
    if feasibility == Project.Feasibility.MERGED and wrong_merge:
        raise ValidationError({"merged_into": _("Choisissez le projet de ce budget avec lequel il est fusionné.")})
    if cost is not None and (cost <= 0 or cost > project.envelope.amount):
        raise ValidationError(
            {
                "cost": _("Un coût est positif et ne dépasse pas l'enveloppe (%(amount)s €).")
                % {"amount": project.envelope.amount}
            }
        )


@transaction.atomic
def answers_prepare(
    *,
    actor: Any,
    projects: Iterable[Project],
    feasibility: str,
    answer: str,
    cost: int | None = None,
    merged_into: Project | None = None,
) -> list[Project]:
    """Prepare the same feasibility and answer (and cost, when given) for ``projects`` (not yet public)."""
    locked = _lock_many(projects)
    for project in locked:
        require(actor, "budgets.analyse_project", project)
        _check_draft(project, feasibility, answer, cost, merged_into)
    for project in locked:
        project.draft_feasibility, project.draft_answer = feasibility, sanitize_html(answer)
        if cost is not None:
            project.draft_cost = cost
        if merged_into is not None:
            project.merged_into = merged_into
        project.save(update_fields=["draft_feasibility", "draft_answer", "draft_cost", "merged_into", "updated_at"])
        audit(actor=actor, action="budgets.answer_prepare", target=project, after={"feasibility": feasibility})
    return locked


@transaction.atomic
def answers_publish(*, actor: Any, projects: Iterable[Project]) -> list[Project]:
    """Publish the prepared answers of ``projects`` (those without one are left); the followers of each are told and
    the service's assignment is marked handled. Refused for a project whose envelope's vote is open."""
    locked = _lock_many(projects)
    for project in locked:
        require(actor, "budgets.manage_budget", project.module)
        if project.draft_feasibility and project.envelope.election_id:
            raise ValidationError(
                _("Le vote de l'enveloppe de « %(title)s » est ouvert : son avis ne change plus.") % {"title": project}
            )
    published = []
    now = timezone.now()
    for project in (p for p in locked if p.draft_feasibility):
        project.feasibility, project.answer = project.draft_feasibility, project.draft_answer
        if project.draft_cost:
            project.estimated_cost = project.draft_cost
        project.answered_at = now
        project.draft_feasibility, project.draft_answer, project.draft_cost = "", "", None
        project.save()
        audit(actor=actor, action="budgets.answer_publish", target=project, after={"feasibility": project.feasibility})
        notify(event=ANSWERED_EVENT, target=project, actor=actor)
        published.append(project)
    if published:
        assignments.mark_done_many(actor=actor, items=published)
    return published
