"""Answering a questionnaire: drafts saved page after page, files sent with an answer, and the submission.

Submission, in one transaction: the draft's row is locked (a double click submits once); for a signed-in
participant their account row, then their ``Participation`` row, are locked, so that the one-answer rule holds
when two tabs send at the same time (and the unique constraint on ``Participation`` backs it);
``Questionnaire.responses_count`` is incremented before the answers are written (the questionnaire's row stays
locked until commit, so the builder cannot remove a question under them); ``Answer`` rows are written; ``Tally``
counters are incremented with ``F()`` under their unique key, in a fixed order so that concurrent submissions queue
instead of deadlocking. On SQLite ``select_for_update`` is a no-op and the single writer gives the same guarantees.

Anonymous questionnaires (``services.anonymous``, decision 0016): drafts wait in their own table, and the
submission writes the ``Participation`` and a *staged* response; the anonymity mixer later moves staged responses in
shuffled batches into ``Response``/``Answer``/``Tally`` (random ids, the day only, no person), so that nothing —
column, transaction id, time, order, session — links a response to the account that sent it.
Test responses (staff trying the questionnaire) keep their values in ``draft``: no ``Answer`` row, no counter.
"""

from __future__ import annotations

from collections.abc import MutableMapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.activity.services import audit
from participe.core import dates
from participe.modules.surveys import answers
from participe.modules.surveys.answers import QuestionSpec, Validation, Values
from participe.modules.surveys.models import (
    AnonymousDraft,
    Answer,
    Participation,
    Question,
    Questionnaire,
    Response,
)
from participe.modules.surveys.selectors import answering as selectors
from participe.modules.surveys.selectors.answering import Respondent
from participe.modules.surveys.services import anonymous

# Re-exported (the ``name as name`` imports): the answering side's services in one place (``answering.draft_save``…).
from participe.modules.surveys.services.drafts import PLACEHOLDER_FILE as PLACEHOLDER_FILE
from participe.modules.surveys.services.drafts import Draft, _delete_draft, _forget_draft, _signed_in
from participe.modules.surveys.services.drafts import _original_name as _original_name
from participe.modules.surveys.services.drafts import draft_discard as draft_discard
from participe.modules.surveys.services.drafts import draft_save as draft_save
from participe.modules.surveys.services.drafts import drafts_purge as drafts_purge
from participe.modules.surveys.services.drafts import file_check as file_check
from participe.modules.surveys.services.drafts import file_replace as file_replace
from participe.modules.surveys.services.drafts import file_store as file_store
from participe.permissions.refusals import Reason, Refused


class AnswerRefused(Refused):
    """The respondent may not answer (closed, not eligible, already answered): the permission layer's refusal, with
    ``code`` and ``message`` of its first reason (as in ``selectors.Access``)."""

    def __init__(self, message: Any, code: str = "", why: Reason | None = None) -> None:
        super().__init__(why or Reason(code or "not_allowed", message))
        self.message = str(message)
        self.code = code


class AnswersInvalid(Exception):
    """Some answers do not pass: ``validation.errors`` and the first page to correct."""

    def __init__(self, validation: Validation, page: int) -> None:
        super().__init__(f"{len(validation.errors)} invalid answers")
        self.validation = validation
        self.page = page


# --- submission -------------------------------------------------------------------------------------------------
def check_all(specs: Sequence[QuestionSpec], values: Values) -> tuple[Validation, set[int]]:
    """Validate every visible question of the questionnaire; raise ``AnswersInvalid`` with the first page to fix."""
    visible = answers.visible_ids(specs, values)
    validation = answers.validate(specs, values, visible)
    if not validation.is_valid:
        first = validation.invalid_questions[0]
        page = next(p.number for p in answers.split_pages(specs) if any(q.id == first for q in p.questions))
        raise AnswersInvalid(validation, page)
    return validation, visible


@dataclass(frozen=True)
class Submission:
    questionnaire: Questionnaire
    respondent: Respondent
    values: Values
    anonymous: bool
    multiple: bool


def response_submit(
    *,
    questionnaire: Questionnaire,
    respondent: Respondent,
    draft: Draft | None,
    specs: Sequence[QuestionSpec],
    values: Values,
    session: MutableMapping[str, Any],
) -> Response:
    """Send the answers: checked again whole (conditions, required questions, every kind), then recorded at once.

    Raises ``AnswerRefused`` (closed, not eligible, already answered: checked again under a lock) or
    ``AnswersInvalid``. Sending the same draft twice returns the response sent the first time.

    Anonymous questionnaire: the response is staged (``services.anonymous``) and the mixer saves it later under
    another id; what is returned is the response as sent, **unsaved** (``pk`` None): its receipt and its day, to
    show once and keep nowhere.
    """
    if isinstance(draft, Response):
        draft.refresh_from_db(fields=["submitted_at"])
        if draft.is_submitted:
            return draft
    module = questionnaire.module
    access = selectors.answer_access(respondent, module, questionnaire, session)
    if not access.allowed:
        raise AnswerRefused(access.reason, access.code, access.why)
    validation, _visible = check_all(specs, values)
    settings = selectors.survey_settings(module)
    submission = Submission(
        questionnaire, respondent, values, bool(settings.get("anonymous")), bool(settings.get("multiple_answers"))
    )
    if submission.anonymous and not respondent.is_test:
        return _submit_anonymous(submission, draft, validation.rows, session)
    with transaction.atomic():
        if isinstance(draft, AnonymousDraft):  # the questionnaire stopped being anonymous while it was drafted
            _delete_draft(draft)
            draft = None
        response = _locked_draft(draft)
        if response is not None and response.is_submitted:
            return response
        if _signed_in(respondent) and not (respondent.is_test or respondent.is_paper):
            _count_participation(submission)
        response = _record(submission, response, validation.rows, {s.id: s.kind for s in specs})
        _audit(submission, response)
    _remember(session, questionnaire, respondent, response)
    return response


def _submit_anonymous(
    submission: Submission, draft: Draft | None, rows: list[answers.AnswerRow], session: MutableMapping[str, Any]
) -> Response:
    """The participation and the staged response in one transaction, the draft deleted in it; nothing else."""
    respondent, questionnaire = submission.respondent, submission.questionnaire
    with transaction.atomic():
        if draft is not None and not _lock_and_delete(draft):
            raise AnswerRefused(_("Ces réponses ont déjà été envoyées."), "sent")
        if _signed_in(respondent) and not respondent.is_paper:
            _count_participation(submission)
        _count_response(questionnaire, rows)
        user = respondent.user if _signed_in(respondent) and not respondent.is_paper else None
        keeps_territory = bool(selectors.survey_settings(questionnaire.module).get("territory_results"))
        territory_id = getattr(user, "territory_id", None) if keeps_territory else None
        receipt = anonymous.stage(questionnaire=questionnaire, rows=rows, territory_id=territory_id)
        _audit(submission, None)
    sent = Response(questionnaire=questionnaire, receipt=receipt, submitted_at=dates.day_start())
    _remember(session, questionnaire, respondent, sent, draft=draft)
    return sent


def _lock_and_delete(draft: Draft) -> bool:
    """Lock the draft (a double click sends once) and delete it; False when another request sent it already."""
    model: Any = type(draft)
    found = model.objects.select_for_update().filter(pk=draft.pk).first()
    if found is None or getattr(found, "is_submitted", False):
        return False
    return bool(_delete_draft(found))


def _locked_draft(draft: Response | None) -> Response | None:
    if draft is None:
        return None
    return Response.objects.select_for_update().filter(pk=draft.pk).first()


def _count_participation(submission: Submission) -> None:
    """The one-answer rule, under the participant's row lock (and the unique constraint, whatever happens)."""
    user = submission.respondent.user
    get_user_model().objects.select_for_update().filter(pk=user.pk).values_list("pk", flat=True).first()
    questionnaire = submission.questionnaire
    participation = Participation.objects.select_for_update().filter(questionnaire=questionnaire, user=user).first()
    # Anonymous: the day only, so that the participation's time cannot be paired with anything of a response.
    stamp = dates.day_start() if submission.anonymous else timezone.now()
    if participation is not None:
        if not submission.multiple:
            raise AnswerRefused(
                _("Vous avez déjà répondu à ce questionnaire : une seule réponse par participant."), "already"
            )
        Participation.objects.filter(pk=participation.pk).update(count=F("count") + 1, last_at=stamp)
        return
    try:
        with transaction.atomic():
            Participation.objects.create(questionnaire=questionnaire, user=user, first_at=stamp, last_at=stamp)
    except IntegrityError:  # another request of the same person got there first
        if not submission.multiple:
            raise AnswerRefused(
                _("Vous avez déjà répondu à ce questionnaire : une seule réponse par participant."), "already"
            ) from None
        Participation.objects.filter(questionnaire=questionnaire, user=user).update(count=F("count") + 1, last_at=stamp)


def _record(
    submission: Submission, response: Response | None, rows: list[answers.AnswerRow], kinds: dict[int, str]
) -> Response:
    respondent, now = submission.respondent, timezone.now()
    if response is None:
        response = Response(questionnaire=submission.questionnaire, is_test=respondent.is_test)
    user = respondent.user if _signed_in(respondent) and not respondent.is_paper else None
    response.participant = user
    response.territory_id = getattr(user, "territory_id", None)
    response.entered_by = respondent.entered_by
    response.session_key = ""
    response.submitted_at = now
    response.draft = submission.values if respondent.is_test else {}
    if not respondent.is_test:
        _count_response(submission.questionnaire, rows)
    response.save()
    if respondent.is_test:
        return response
    Answer.objects.bulk_create([anonymous.answer_of(response.pk, row) for row in rows])
    anonymous.add_to_tallies(answers.tally_increments(rows, kinds, response.territory_id))
    return response


def _count_response(questionnaire: Questionnaire, rows: Sequence[answers.AnswerRow]) -> None:
    """Count the response first: the questionnaire's row stays locked until commit, so that the builder's "no
    response yet" check (taken under the same row lock) cannot let a question be removed under these answers."""
    Questionnaire.objects.filter(pk=questionnaire.pk).update(responses_count=F("responses_count") + 1)
    used = {row.question_id for row in rows}
    if used and Question.objects.filter(questionnaire=questionnaire, pk__in=used).count() != len(used):
        raise AnswerRefused(
            _("Le questionnaire vient d'être modifié : relisez vos réponses avant de les envoyer."), "changed"
        )


def _audit(submission: Submission, response: Response | None) -> None:
    """Answers typed by an agent (for a resident, or from paper) and test responses are written in the audit log;
    a resident's own answers are not (the response is the record). Anonymous (``response`` None): the
    questionnaire is the target and no receipt is written (it would sit beside the resident's account)."""
    respondent = submission.respondent
    if respondent.entered_by is None and not respondent.is_test:
        return
    action = "surveys.response_test" if respondent.is_test else "surveys.response_enter"
    after: dict[str, Any] = {"paper": respondent.is_paper}
    if response is not None:
        after["receipt"] = response.short_receipt
    audit(
        actor=respondent.entered_by or respondent.user,
        on_behalf_of=respondent.user if respondent.entered_by is not None and _signed_in(respondent) else None,
        action=action,
        target=response if response is not None and not submission.anonymous else submission.questionnaire,
        after=after,
    )


def _remember(
    session: MutableMapping[str, Any],
    questionnaire: Questionnaire,
    respondent: Respondent,
    response: Response,
    draft: Draft | None = None,
) -> None:
    """This browser may show the receipt again; without an account, it has answered (the soft one-answer rule).
    An anonymous response (unsaved) leaves no receipt in the session: the session row holds the account."""
    _forget_draft(session, draft if draft is not None else response)
    if response.pk is not None:
        receipts = [*session.get(selectors.RECEIPTS_SESSION_KEY, [])][-19:]
        session[selectors.RECEIPTS_SESSION_KEY] = [*receipts, str(response.receipt)]
    if not _signed_in(respondent) and not (respondent.is_test or respondent.is_paper):
        answered = list(session.get(selectors.ANSWERED_SESSION_KEY, []))
        if questionnaire.pk not in answered:
            session[selectors.ANSWERED_SESSION_KEY] = [*answered, questionnaire.pk]
