"""What becomes of a person's answers when their account is deleted (the manifest's ``Hooks.account_deleted``)."""

from __future__ import annotations

import datetime

from django.db import transaction

from participe.accounts.models import User
from participe.modules.surveys.models import AnonymousDraft, Response
from participe.modules.surveys.services.drafts import delete_with_files


def account_deleted(user: User) -> None:
    """The person's drafts (of anonymous questionnaires too) go, with their files; their submitted answers stay
    counted in the results, detached from the account (no one behind them, as an anonymous answer); that they took part
    (``Participation``) stays, on the account that no longer names anyone, as a roll of voters does
    (docs/security.md, « Account deletion »)."""
    for drafts in (
        Response.objects.select_for_update().filter(participant=user, submitted_at__isnull=True),
        AnonymousDraft.objects.select_for_update().filter(participant=user),
    ):
        for draft in drafts.only("pk", "draft").order_by("pk"):
            delete_with_files(draft)
    Response.objects.filter(participant=user).update(participant=None, session_key="")


def purge_drafts(before: datetime.datetime) -> int:
    """Drafts nobody touched since ``before`` go with their files (``Hooks.purge_drafts``, the retention period of
    drafts: decision 0035); an anonymous questionnaire's draft keeps its day only, so it goes the day after."""
    count = 0
    with transaction.atomic():
        for drafts in (
            Response.objects.select_for_update().filter(submitted_at__isnull=True, updated_at__lt=before),
            AnonymousDraft.objects.select_for_update().filter(day__lt=before.date()),
        ):
            for draft in drafts.only("pk", "draft").order_by("pk"):
                delete_with_files(draft)
                count += 1
    return count
