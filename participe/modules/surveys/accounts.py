"""What becomes of a person's answers when their account is deleted (the manifest's ``Hooks.account_deleted``)."""

from __future__ import annotations

from participe.accounts.models import User
from participe.modules.surveys.models import AnonymousDraft, Response
from participe.modules.surveys.services.answering import _delete_files_on_commit, _draft_files


def account_deleted(user: User) -> None:
    """The person's drafts (of anonymous questionnaires too) go, with their files; their submitted answers stay counted in the
    results, detached from the account (no one behind them, as an anonymous answer); that they took part
    (``Participation``) stays, on the account that no longer names anyone, as a roll of voters does
    (docs/security.md, « Account deletion »)."""
    drafts = Response.objects.select_for_update().filter(participant=user, submitted_at__isnull=True)
    for draft in drafts.only("pk", "draft").order_by("pk"):
        files = _draft_files(draft.draft)
        draft.delete()
        _delete_files_on_commit(files)
    anonymous = AnonymousDraft.objects.select_for_update().filter(participant=user)
    for anonymous_draft in anonymous.only("pk", "draft").order_by("pk"):
        files = _draft_files(anonymous_draft.draft)
        anonymous_draft.delete()
        _delete_files_on_commit(files)
    Response.objects.filter(participant=user).update(participant=None, session_key="")
