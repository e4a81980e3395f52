"""Proposals taken in from a Decidim open-data archive (``ModuleManifest.import_decidim``, decision 0040).

The platform's import (``participe.decidim_import``) reads the archive, finds or creates the space and this module,
the authors (imported accounts that cannot sign in), and hands each proposal here as a record of plain values. Each
becomes a deposited proposal (or a withdrawn one) with its number in the module, its date of deposit, the official
answer Decidim published (accepted → retenue, rejected → non retenue, evaluating → en analyse) and its public
history; it enters the search index. Nobody is notified and nobody follows anything: the people are not here.
"""

from __future__ import annotations

import datetime
import html
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.core.models import ModerationStatus
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.selectors.proposals import new_shuffle
from participe.permissions.refusals import require
from participe.search.services import index_object
from participe.spaces.models import Module

ANSWERS = {
    "accepted": Proposal.AnswerStatus.SELECTED,
    "rejected": Proposal.AnswerStatus.REJECTED,
    "evaluating": Proposal.AnswerStatus.ANALYSIS,
}


def body_html(text: str) -> str:
    """Plain text (one paragraph per line) as HTML; HTML is kept (and sanitised when saved)."""
    if text.lstrip().startswith("<"):
        return text
    return "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _proposal(module: Module, record: dict[str, Any], actor: User, reference: int) -> Proposal:
    published_at = record.get("published_at") or record.get("created_at") or timezone.now()
    state = record.get("state") or ""
    withdrawn = bool(record.get("withdrawn")) or state == "withdrawn"
    answer_status = ANSWERS.get(state, "")
    answer = body_html(record.get("answer") or "")
    proposal = Proposal(
        module=module,
        reference=reference,
        title=" ".join(str(record.get("title") or "").split())[:200],
        body=body_html(record.get("body") or ""),
        author=record.get("author"),
        entered_by=actor,
        origin=Proposal.Origin.ONLINE,
        status=Proposal.Status.WITHDRAWN if withdrawn else Proposal.Status.PUBLISHED,
        published_at=published_at,
        withdrawn_at=(record.get("withdrawn_at") or published_at) if withdrawn else None,
        shuffle=new_shuffle(),
        address=str(record.get("address") or "")[:255],
        latitude=_coordinate(record.get("latitude")),
        longitude=_coordinate(record.get("longitude")),
        estimated_cost=record.get("cost"),
        moderation_status=ModerationStatus.PUBLISHED,
    )
    if proposal.latitude is None or proposal.longitude is None:
        proposal.latitude = proposal.longitude = None
    if answer_status and (answer_status == Proposal.AnswerStatus.ANALYSIS or strip_tags(answer).strip()):
        proposal.answer_status = answer_status
        proposal.answer = answer
        proposal.answered_at = record.get("answered_at") or published_at
    return proposal


def _coordinate(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    return Decimal(str(value)).quantize(Decimal("0.000001"))


def _reason(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        return " ; ".join(f"{name} : {' '.join(e.messages)}" for name, errors in exc.error_dict.items() for e in errors)
    return " ".join(exc.messages)


def _history(proposal: Proposal, created: datetime.datetime) -> None:
    change = StatusChange.objects.create(proposal=proposal, kind=StatusChange.Kind.PUBLISHED)
    StatusChange.objects.filter(pk=change.pk).update(created_at=proposal.published_at)
    if proposal.answered_at:
        change = StatusChange.objects.create(
            proposal=proposal, kind=StatusChange.Kind.ANSWERED, answer_status=proposal.answer_status
        )
        StatusChange.objects.filter(pk=change.pk).update(created_at=proposal.answered_at)
    if proposal.withdrawn_at:
        change = StatusChange.objects.create(proposal=proposal, kind=StatusChange.Kind.WITHDRAWN)
        StatusChange.objects.filter(pk=change.pk).update(created_at=proposal.withdrawn_at)
    Proposal.objects.filter(pk=proposal.pk).update(created_at=created)


@transaction.atomic
def load(*, actor: User, module: Module, records: list[dict[str, Any]]) -> dict[str, Proposal | str]:
    """Each record a proposal of ``module``, or the reason it is refused; see the module's docstring.

    Refused unless ``actor`` may enter proposals for others in the module (``proposals.enter_on_behalf``)."""
    require(actor, "proposals.enter_on_behalf", module)
    Module.objects.select_for_update().get(pk=module.pk)  # numbers are counted: one at a time
    last = Proposal.objects.filter(module=module).aggregate(last=Max("reference"))["last"] or 0
    done: dict[str, Proposal | str] = {}
    for record in records:
        proposal = _proposal(module, record, actor, last + 1)
        try:
            if not proposal.title:
                raise ValidationError({"title": _("Le titre est vide.")})
            if not strip_tags(proposal.body).strip():
                raise ValidationError({"body": _("La description est vide.")})
            proposal.full_clean(exclude=["body", "module", "answer", "draft_answer"])
        except ValidationError as exc:
            done[str(record["id"])] = _reason(exc)
            continue
        proposal.save()
        last += 1
        _history(proposal, record.get("created_at") or proposal.published_at)
        if proposal.is_published:
            index_object(proposal)
        done[str(record["id"])] = proposal
    count = sum(1 for value in done.values() if not isinstance(value, str))
    audit(actor=actor, action="proposals.import_decidim", target=module, after={"proposals": count})
    return done
