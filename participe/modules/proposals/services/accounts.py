"""What becomes of a person's proposals when their account is deleted (the manifest's ``Hooks.account_deleted``)."""

from __future__ import annotations

import datetime

from django.db import transaction

from participe.accounts.models import User
from participe.activity.services import audit, redact_target
from participe.core.registry import registry
from participe.modules.proposals.models import Proposal
from participe.search.services import unindex_object


def account_deleted(user: User) -> None:
    """Delete the person's drafts, with what the shared apps hold about them (follows, files, reports…); their
    deposited proposals stay, shown as by « participant supprimé ». Each deletion is audited without a copy of the
    draft's text (docs/security.md, « Account deletion »)."""
    for draft in Proposal.objects.select_for_update().filter(author=user, status=Proposal.Status.DRAFT).order_by("pk"):
        _erase(draft)


def purge_drafts(before: datetime.datetime) -> int:
    """The drafts nobody touched since ``before`` go, as a deleted account's do (``Hooks.purge_drafts``, the
    retention period of drafts: decision 0035)."""
    count = 0
    with transaction.atomic():
        stale = Proposal.objects.select_for_update().filter(status=Proposal.Status.DRAFT, updated_at__lt=before)
        for draft in stale.order_by("pk"):
            _erase(draft)
            count += 1
    return count


def _erase(draft: Proposal) -> None:
    redact_target(draft)
    audit(actor=None, action="proposals.draft_erased", after={"proposal": draft.pk, "module": draft.module_id})
    registry.delete_shared(draft)
    unindex_object(draft)
    draft.delete()
