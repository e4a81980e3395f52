"""Drafts and files of the answering side: drafts saved page after page (a draft ``Response``, or an
``AnonymousDraft`` for an anonymous questionnaire: apart from the responses, deleted when sent), and the files sent
with an answer. ``services.answering`` re-exports them."""

from __future__ import annotations

import datetime
import uuid
from collections.abc import MutableMapping, Sequence
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from participe.attachments import files
from participe.modules.surveys import answers
from participe.modules.surveys.answers import QuestionSpec, Values
from participe.modules.surveys.models import AnonymousDraft, Questionnaire, Response
from participe.modules.surveys.results.scope import is_anonymous
from participe.modules.surveys.selectors import answering as selectors
from participe.modules.surveys.selectors.answering import Respondent

PLACEHOLDER_FILE = "-"  # preview and test mode check a file but do not keep it


def _signed_in(respondent: Respondent) -> bool:
    return bool(respondent.user is not None and getattr(respondent.user, "is_authenticated", False))


Draft = Response | AnonymousDraft


# --- drafts -----------------------------------------------------------------------------------------------------
def draft_save(
    *,
    questionnaire: Questionnaire,
    respondent: Respondent,
    draft: Draft | None,
    values: Values,
    page: int,
    session: MutableMapping[str, Any],
) -> Draft:
    """Keep the answers typed so far, and the page to resume at: a new draft, or ``draft`` updated.

    A draft started without an account is found again through the browser's session; once its author signs in,
    it becomes theirs (and can be resumed on another device). Drafts are not audited: nothing is decided yet.
    A draft of an anonymous questionnaire is an ``AnonymousDraft`` (apart from the responses, deleted when sent).
    """
    participant = respondent.user if _signed_in(respondent) and not respondent.is_paper else None
    if isinstance(draft, AnonymousDraft) or (draft is None and not respondent.is_test and is_anonymous(questionnaire)):
        return _anonymous_draft_save(questionnaire, respondent, draft, values, page, session, participant)
    if draft is None:
        draft = Response.objects.create(
            questionnaire=questionnaire,
            participant=participant,
            entered_by=respondent.entered_by,
            is_test=respondent.is_test,
            session_key=getattr(session, "session_key", None) or "",
            draft=values,
            page=page,
        )
        drafts = dict(session.get(selectors.DRAFTS_SESSION_KEY, {}))
        drafts[respondent.session_slot(questionnaire)] = draft.pk
        session[selectors.DRAFTS_SESSION_KEY] = drafts
        return draft
    changes: dict[str, Any] = {"draft": values, "page": page, "updated_at": timezone.now()}
    if draft.participant_id is None and participant is not None:
        changes["participant"] = participant
    Response.objects.filter(pk=draft.pk, submitted_at__isnull=True).update(**changes)
    draft.refresh_from_db()
    return draft


def _anonymous_draft_save(
    questionnaire: Questionnaire,
    respondent: Respondent,
    draft: AnonymousDraft | None,
    values: Values,
    page: int,
    session: MutableMapping[str, Any],
    participant: Any,
) -> AnonymousDraft:
    if draft is None:
        draft = AnonymousDraft.objects.create(
            questionnaire=questionnaire,
            participant=participant,
            entered_by=respondent.entered_by,
            session_key=getattr(session, "session_key", None) or "",
            draft=values,
            page=page,
        )
        drafts = dict(session.get(selectors.DRAFTS_SESSION_KEY, {}))
        drafts[respondent.session_slot(questionnaire)] = str(draft.pk)
        session[selectors.DRAFTS_SESSION_KEY] = drafts
        return draft
    changes: dict[str, Any] = {"draft": values, "page": page, "day": timezone.localdate()}
    if draft.participant_id is None and participant is not None:
        changes["participant"] = participant
    AnonymousDraft.objects.filter(pk=draft.pk).update(**changes)
    draft.refresh_from_db()
    return draft


def _delete_draft(draft: Draft) -> int:
    """Delete a draft (not a response already sent); returns how many rows went."""
    if isinstance(draft, AnonymousDraft):
        return int(AnonymousDraft.objects.filter(pk=draft.pk).delete()[0])
    return int(Response.objects.filter(pk=draft.pk, submitted_at__isnull=True).delete()[0])


def delete_with_files(draft: Draft) -> bool:
    """Delete a draft and, once committed, the files it holds; False when it was gone (or sent) already."""
    if not _delete_draft(draft):
        return False
    _delete_files_on_commit(_draft_files(draft.draft))
    return True


def draft_discard(*, draft: Draft, session: MutableMapping[str, Any]) -> None:
    """Start again: the draft and the files it holds are deleted."""
    with transaction.atomic():
        delete_with_files(draft)
    _forget_draft(session, draft)


def drafts_purge(*, older_than: datetime.timedelta = datetime.timedelta(days=60)) -> int:
    """Delete the drafts nobody touched for ``older_than`` (and their files); returns how many."""
    stale: list[Any] = [
        Response.objects.filter(submitted_at__isnull=True, updated_at__lt=timezone.now() - older_than),
        AnonymousDraft.objects.filter(day__lt=timezone.localdate() - older_than),
    ]
    count = 0
    for queryset in stale:
        for draft in queryset.only("pk", "draft").iterator(chunk_size=500):
            with transaction.atomic():
                count += delete_with_files(draft)
    return count


def _draft_files(values: Any) -> list[str]:
    """Stored files a draft refers to (keys "<pk>" whose value is a path under "surveys/")."""
    names = []
    for key, value in (values or {}).items():
        if "-" in key:
            continue
        for item in answers.as_list(value):
            if item.startswith("surveys/"):
                names.append(item)
    return names


def _forget_draft(session: MutableMapping[str, Any], draft: Draft) -> None:
    drafts = {k: v for k, v in session.get(selectors.DRAFTS_SESSION_KEY, {}).items() if str(v) != str(draft.pk)}
    session[selectors.DRAFTS_SESSION_KEY] = drafts


def _delete_files_on_commit(names: Sequence[str]) -> None:
    def delete() -> None:
        for name in names:
            if name and name != PLACEHOLDER_FILE:
                default_storage.delete(name)

    transaction.on_commit(delete)


# --- files ------------------------------------------------------------------------------------------------------
def file_check(*, question: QuestionSpec, upload: Any) -> Any:
    """Check a file sent for ``question`` from its content (type, size, the question's limit); return its type."""
    detected = files.detect(upload)
    max_mb = int(question.option("max_mb"))
    if upload.size > max_mb * 1_048_576:
        raise ValidationError(
            _("Ce fichier pèse %(size)s ; la limite pour cette question est de %(max)s Mo.")
            % {"size": files.format_size(upload.size), "max": max_mb}
        )
    return detected


def file_store(*, questionnaire: Questionnaire, question: QuestionSpec, upload: Any) -> tuple[str, str]:
    """Check and keep a file sent for ``question``; return its storage name and its name on the person's device.

    Images are re-encoded (EXIF, GPS position included, dropped). The file is stored under a random name
    in a private folder (never served as public media; read through a permission-checked view).
    """
    detected = file_check(question=question, upload=upload)
    if detected.kind == files.IMAGE:
        image = files.prepare_image(upload, detected.mime_type)
        content: Any = ContentFile(image.content)
        extension = image.extension
    else:
        upload.seek(0)
        content, extension = upload, detected.extension
    name = default_storage.save(f"surveys/{questionnaire.pk}/{uuid.uuid4().hex}.{extension}", content)
    return name, _original_name(getattr(upload, "name", ""))


def _original_name(name: str) -> str:
    base = (name or "").replace("\\", "/").rsplit("/", 1)[-1]
    return (get_valid_filename(base) if base.strip(". ") else "")[:255]


def file_replace(*, values: Values, question: QuestionSpec, name: str, original: str) -> Values:
    """Put a new file in the draft values; the one it replaces leaves storage once committed."""
    previous = answers.as_list(values.get(str(question.id)))
    updated = dict(values)
    updated[str(question.id)] = [name] if name else []
    updated[f"{question.id}-name"] = original if name else ""
    if previous and previous[0] != name:
        _delete_files_on_commit([p for p in previous if p.startswith("surveys/")])
    return updated
