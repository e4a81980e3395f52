"""Every write of the agents analysing proposals: routing to a service (through the platform's assignments),
feasibility and cost, the official answer prepared (one by one or in bulk) and published (one by one or together).

Each service runs in a transaction, under a row lock on the proposals it changes (their counters belong to the
shared apps: only the fields named here are saved), is audited, and tells people once the transaction has
committed: the authors and the followers of an answered proposal. Giving proposals to a service, its due date,
the agents' private notes are ``participe.assignments``'s (it tells the service's agents); a published final answer
closes the proposal's assignment (« traitée »).
"""

from __future__ import annotations

import datetime
import decimal
from collections.abc import Iterable, Sequence
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.assignments import services as assignments
from participe.core.models import ModerationStatus
from participe.core.sanitize import sanitize_html
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.selectors.analysis import forget_counts
from participe.modules.proposals.services import proposals as services
from participe.notifications.selectors import recipients_for
from participe.notifications.services import notify
from participe.organisation.models import Service
from participe.search.services import index_object, unindex_object
from participe.spaces.models import Module

ANSWERED_EVENT = "proposals.answered"
ANSWER_STATUSES = frozenset(
    {
        Proposal.AnswerStatus.ANALYSIS,
        Proposal.AnswerStatus.SELECTED,
        Proposal.AnswerStatus.REJECTED,
        Proposal.AnswerStatus.DONE,
    }
)
MAX_COST = decimal.Decimal("9999999999.99")


# --- helpers ------------------------------------------------------------------------------------------------------
def _lock(proposal: Proposal) -> Proposal:
    return (
        Proposal.objects.select_for_update(of=("self",)).select_related("module__space", "author").get(pk=proposal.pk)
    )


def _lock_many(proposals: Iterable[Proposal]) -> list[Proposal]:
    """Lock rows in primary-key order, so that two agents working on overlapping selections never deadlock."""
    ids = sorted({p.pk for p in proposals})
    return list(
        Proposal.objects.select_for_update(of=("self",))
        .select_related("module__space", "author")
        .filter(pk__in=ids)
        .order_by("pk")
    )


def _changed(proposals: Iterable[Proposal]) -> None:
    """The back-office figures of their modules are computed again once the write is committed."""
    for module_id in {p.module_id for p in proposals}:
        transaction.on_commit(partial(forget_counts, module_id))


def _label(proposal: Proposal) -> str:
    return _("n° %(ref)s « %(title)s »") % {"ref": proposal.reference or proposal.pk, "title": proposal.title}


def has_text(html: str | None) -> bool:
    return bool(strip_tags(html or "").strip())


def _reindex(proposal: Proposal) -> None:
    """The answer is part of what search finds; only published, visible proposals are in the index."""
    if proposal.status == Proposal.Status.PUBLISHED and proposal.moderation_status == ModerationStatus.PUBLISHED:
        index_object(proposal)
    else:
        unindex_object(proposal)


def _check_answerable(proposal: Proposal) -> None:
    if proposal.status == Proposal.Status.DRAFT:
        raise ValidationError(
            _("La proposition %(p)s est un brouillon de son auteur : elle ne peut pas recevoir de réponse.")
            % {"p": _label(proposal)}
        )
    if proposal.status == Proposal.Status.WITHDRAWN:
        raise ValidationError(_("La proposition %(p)s a été retirée par son auteur.") % {"p": _label(proposal)})


def check_answer(status: str, answer: str) -> None:
    """An answer has one of the four statuses; "non retenue" always comes with its motive."""
    if status not in ANSWER_STATUSES:
        raise ValidationError({"status": _("Choisissez le statut de la réponse.")})
    if status == Proposal.AnswerStatus.REJECTED and not has_text(answer):
        raise ValidationError(
            {"answer": _("Une proposition non retenue doit recevoir le motif de la décision : rédigez la réponse.")}
        )


# --- routing to a service ----------------------------------------------------------------------------------------
def proposals_assign(
    *,
    actor: User,
    proposals: Iterable[Proposal],
    service: Service | None,
    due_at: datetime.datetime | None = None,
    reason: str = "",
) -> list[Proposal]:
    """Give proposals to ``service`` (None: take them back), due by ``due_at`` or by the module's expected delay;
    its agents are told. Returns those that changed (``participe.assignments.services.assign_many``)."""
    changed = assignments.assign_many(actor=actor, items=proposals, service=service, due_at=due_at, reason=reason)
    _changed(changed)  # type: ignore[arg-type]
    return changed  # type: ignore[return-value]


def proposal_assign(
    *,
    actor: User,
    proposal: Proposal,
    service: Service | None,
    due_at: datetime.datetime | None = None,
    reason: str = "",
) -> Proposal:
    """Give one proposal to ``service`` (None: no service); its agents are told."""
    proposals_assign(actor=actor, proposals=[proposal], service=service, due_at=due_at, reason=reason)
    return Proposal.objects.select_related("module__space").get(pk=proposal.pk)


# --- feasibility and cost -----------------------------------------------------------------------------------------
def _check_assessment(feasibility: str, estimated_cost: decimal.Decimal | None) -> None:
    errors = {}
    if feasibility not in Proposal.Feasibility.values:
        errors["feasibility"] = _("Choisissez une faisabilité dans la liste.")
    if estimated_cost is not None and not (0 <= estimated_cost <= MAX_COST):
        errors["estimated_cost"] = _("Indiquez un coût positif, en euros, inférieur à 10 milliards.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def proposal_assess(
    *, actor: User, proposal: Proposal, feasibility: str, estimated_cost: decimal.Decimal | None
) -> Proposal:
    """Record the technical assessment of a proposal: feasibility and estimated cost (agents only)."""
    _check_assessment(feasibility, estimated_cost)
    locked = _lock(proposal)
    before = {"feasibility": locked.feasibility, "estimated_cost": locked.estimated_cost}
    locked.feasibility = feasibility
    locked.estimated_cost = estimated_cost
    locked.save(update_fields=["feasibility", "estimated_cost", "updated_at"])
    audit(
        actor=actor,
        action="proposals.assess",
        target=locked,
        before=before,
        after={"feasibility": feasibility, "estimated_cost": estimated_cost},
    )
    return locked


# --- answers: prepare ---------------------------------------------------------------------------------------------
def _prepare_one(*, actor: User, proposal: Proposal, status: str, answer: str) -> None:
    _check_answerable(proposal)
    before = {"draft_answer_status": proposal.draft_answer_status, "draft_answer": proposal.draft_answer}
    proposal.draft_answer_status = status
    proposal.draft_answer = sanitize_html(answer or "")
    proposal.save(update_fields=["draft_answer_status", "draft_answer", "updated_at"])
    audit(
        actor=actor,
        action="proposals.answer_prepare",
        target=proposal,
        before=before,
        after={"draft_answer_status": status, "draft_answer": proposal.draft_answer},
    )


@transaction.atomic
def answer_prepare(*, actor: User, proposal: Proposal, status: str, answer: str) -> Proposal:
    """Prepare (or correct) the official answer of a proposal; nobody sees it before it is published."""
    check_answer(status, answer)
    locked = _lock(proposal)
    _prepare_one(actor=actor, proposal=locked, status=status, answer=answer)
    _changed([locked])
    return locked


@transaction.atomic
def answers_prepare(
    *, actor: User, proposals: Iterable[Proposal], status: str, answer: str, replace: bool = True
) -> list[Proposal]:
    """Prepare the same answer for several proposals. With ``replace=False``, an answer already prepared for one
    of them is kept. Nothing is prepared when one of them cannot be answered (a draft, a withdrawn proposal)."""
    check_answer(status, answer)
    locked = _lock_many(proposals)
    _raise_all([_refusal(p, _check_answerable) for p in locked])
    done = []
    for proposal in locked:
        if replace or not proposal.draft_answer_status:
            _prepare_one(actor=actor, proposal=proposal, status=status, answer=answer)
            done.append(proposal)
    _changed(done)
    return done


@transaction.atomic
def answer_discard(*, actor: User, proposal: Proposal) -> Proposal:
    """Drop the prepared answer (the published one, if any, stays)."""
    locked = _lock(proposal)
    if not locked.draft_answer_status:
        raise ValidationError(_("Aucune réponse n'est en préparation pour cette proposition."))
    before = {"draft_answer_status": locked.draft_answer_status, "draft_answer": locked.draft_answer}
    locked.draft_answer_status = ""
    locked.draft_answer = ""
    locked.save(update_fields=["draft_answer_status", "draft_answer", "updated_at"])
    _changed([locked])
    audit(actor=actor, action="proposals.answer_discard", target=locked, before=before)
    return locked


# --- answers: publish ---------------------------------------------------------------------------------------------
def _refusal(proposal: Proposal, check: Any) -> str | None:
    try:
        check(proposal)
    except ValidationError as exc:
        return " ".join(exc.messages)
    return None


def _raise_all(refusals: Iterable[str | None]) -> None:
    messages = [m for m in refusals if m]
    if messages:
        raise ValidationError(messages)


def _check_publishable(proposal: Proposal) -> None:
    _check_answerable(proposal)
    if not proposal.draft_answer_status:
        raise ValidationError(_("La proposition %(p)s n'a pas de réponse préparée.") % {"p": _label(proposal)})
    if (
        proposal.answered_at is not None
        and proposal.draft_answer_status == proposal.answer_status
        and proposal.draft_answer == proposal.answer
    ):
        raise ValidationError(_("La réponse préparée pour %(p)s est déjà publiée.") % {"p": _label(proposal)})
    try:
        check_answer(proposal.draft_answer_status, proposal.draft_answer)
    except ValidationError:
        raise ValidationError(
            _("La réponse préparée pour %(p)s est « non retenue » sans motif : rédigez le motif.")
            % {"p": _label(proposal)}
        ) from None


def _notification_context(proposal: Proposal) -> dict[str, Any]:
    context: dict[str, Any] = {
        "subject": _("Réponse de la collectivité : %(status)s") % {"status": proposal.get_answer_status_display()},
        "resource_title": proposal.title,
        "answer_status": proposal.answer_status,
    }
    if proposal.answer_status == Proposal.AnswerStatus.REJECTED:
        context["reason"] = Truncator(strip_tags(proposal.answer)).chars(300)
    return context


def _notify_answer(*, actor: User, proposal: Proposal) -> None:
    """The author (even one who stopped following it) and the followers of the proposal, its module and space."""
    recipients = recipients_for(proposal, actor=actor)
    if proposal.author is not None:
        recipients.append(proposal.author)
    notify(
        event=ANSWERED_EVENT,
        target=proposal,
        actor=actor,
        recipients=recipients,
        context=_notification_context(proposal),
    )


def _publish_one(*, actor: User, proposal: Proposal, now: Any) -> None:
    before = {"answer_status": proposal.answer_status, "answer": proposal.answer}
    proposal.answer_status = proposal.draft_answer_status
    proposal.answer = proposal.draft_answer
    proposal.answered_at = now
    proposal.answered_by = actor
    proposal.draft_answer_status = ""
    proposal.draft_answer = ""
    proposal.save(
        update_fields=[
            "answer_status",
            "answer",
            "answered_at",
            "answered_by",
            "draft_answer_status",
            "draft_answer",
            "updated_at",
        ]
    )
    StatusChange.objects.create(
        proposal=proposal, kind=StatusChange.Kind.ANSWERED, answer_status=proposal.answer_status, actor=actor
    )
    audit(
        actor=actor,
        action="proposals.answer_publish",
        target=proposal,
        before=before,
        after={"answer_status": proposal.answer_status, "answer": proposal.answer},
    )
    _reindex(proposal)
    transaction.on_commit(lambda: _notify_answer(actor=actor, proposal=proposal), robust=True)


@transaction.atomic
def answers_publish(*, actor: User, proposals: Iterable[Proposal]) -> list[Proposal]:
    """Publish the answers prepared for several proposals together, or none of them when one cannot be published
    (the error lists each one refused). Each published answer adds a step to the proposal's public history; its
    author and its followers are told once the transaction has committed."""
    locked = _lock_many(proposals)
    if not locked:
        raise ValidationError(_("Choisissez au moins une proposition."))
    _raise_all([_refusal(p, _check_publishable) for p in locked])
    now = timezone.now()
    for proposal in locked:
        _publish_one(actor=actor, proposal=proposal, now=now)
    _route_after_answers(actor=actor, proposals=locked)
    _changed(locked)
    return locked


def _route_after_answers(*, actor: User, proposals: Sequence[Proposal]) -> None:
    """A final answer (retenue, non retenue, réalisée) closes the proposal's assignment; « en analyse » keeps the
    service at work (and reopens it after a final answer)."""
    final = [p for p in proposals if p.answer_status != Proposal.AnswerStatus.ANALYSIS]
    analysing = [p for p in proposals if p.answer_status == Proposal.AnswerStatus.ANALYSIS]
    if final:
        assignments.mark_done_many(actor=actor, items=final)
    if analysing:
        assignments.reopen_many(actor=actor, items=analysing)


@transaction.atomic
def answer_publish(
    *, actor: User, proposal: Proposal, status: str | None = None, answer: str | None = None
) -> Proposal:
    """Publish the answer prepared for one proposal; with ``status`` (and ``answer``), prepare it first."""
    if status is not None:
        answer_prepare(actor=actor, proposal=proposal, status=status, answer=answer or "")
    return answers_publish(actor=actor, proposals=[proposal])[0]


# --- proposals received on paper, at the counter, in a meeting ----------------------------------------------------
@transaction.atomic
def proposal_enter(
    *,
    agent: User,
    module: Module,
    data: dict[str, Any],
    origin: str,
    author: User | None = None,
    name: str = "",
    received_at: datetime.datetime | None = None,
    allow_online: bool = False,
) -> Proposal:
    """An agent enters a proposal a resident handed in on paper, at the counter or in a meeting, and deposits it.

    ``author``: the resident's account (one they have, or one an agent created for them), or None ("anonyme":
    ``name``, what they gave as a name, is kept as a private note). The proposal is marked as entered by the
    agent (``entered_by``, ``origin``); ``received_at``, when given, is its date of deposit. ``allow_online``: the
    CSV import also brings proposals deposited online on another platform.
    """
    if origin == Proposal.Origin.ONLINE and not allow_online:
        raise ValidationError({"origin": _("Indiquez comment la proposition a été reçue.")})
    if received_at is not None and received_at > timezone.now():
        raise ValidationError({"received_at": _("La date de réception ne peut pas être dans le futur.")})
    proposal = services.proposal_create(
        actor=author or agent, module=module, data=data, publish=True, author=author, entered_by=agent, origin=origin
    )
    _changed([proposal])
    if received_at is not None:
        backdate(actor=agent, proposal=proposal, when=received_at)
    name = " ".join((name or "").split())[:200]
    if name and author is None:
        assignments.note_add(
            actor=agent,
            item=proposal,
            body=_("Déposée par : %(name)s (sans compte)") % {"name": name},
            authorised_by="proposals.enter_on_behalf",
        )
    return proposal


def backdate(*, actor: User, proposal: Proposal, when: datetime.datetime) -> None:
    """Date a proposal received earlier than it was typed: the order of the lists and its history follow."""
    Proposal.objects.filter(pk=proposal.pk).update(published_at=when)
    StatusChange.objects.filter(proposal=proposal, kind=StatusChange.Kind.PUBLISHED).update(created_at=when)
    proposal.published_at = when
    audit(actor=actor, action="proposals.backdate", target=proposal, after={"published_at": when})
