"""Reads of the answering side: the questions of a questionnaire as ``answers.QuestionSpec``, when it opens and closes,
whether someone may answer (the permission layer's answer, with its reasons), drafts and one's own responses."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from participe.core import dates
from participe.core.capabilities import Cap
from participe.modules.surveys import answers
from participe.modules.surveys.answers import ChoiceSpec, QuestionSpec, RowSpec
from participe.modules.surveys.models import (
    AnonymousDraft,
    Answer,
    Choice,
    Participation,
    Question,
    Questionnaire,
    Response,
)
from participe.permissions.explain import explain
from participe.permissions.refusals import Reason
from participe.spaces.models import Module
from participe.spaces.participation import Window, capability_window
from participe.verifications.eligibility import rule_for

DRAFTS_SESSION_KEY = "surveys_drafts"  # {"<questionnaire pk>[-test|-paper]": response pk, or anonymous draft id}
ANSWERED_SESSION_KEY = "surveys_answered"  # questionnaires answered from this browser without an account
RECEIPTS_SESSION_KEY = "surveys_receipts"  # receipts this browser may show again (never of an anonymous response)


@dataclass(frozen=True)
class Respondent:
    """Who is answering, and how.

    ``user``: the participant (the signed-in person, or the resident an agent acts for); None for a visitor without
    account and for a paper questionnaire. ``entered_by``: the agent typing the answers (acting for a resident, or
    a paper questionnaire). ``is_test``: a staff member trying the questionnaire (never counted).
    """

    user: Any = None
    entered_by: Any = None
    is_test: bool = False
    is_paper: bool = False

    @property
    def mode(self) -> str:
        return "test" if self.is_test else "paper" if self.is_paper else ""

    def session_slot(self, questionnaire: Questionnaire) -> str:
        return f"{questionnaire.pk}-{self.mode}" if self.mode else str(questionnaire.pk)


def questionnaire_of(module: Module) -> Questionnaire | None:
    return Questionnaire.objects.filter(module=module).select_related("module__space").first()


def question_specs(questionnaire: Questionnaire) -> list[QuestionSpec]:
    """Every item of the questionnaire in order, with its choices, rows and condition (four queries)."""
    questions = Question.objects.filter(questionnaire=questionnaire).prefetch_related(
        "choices", "rows", Prefetch("condition_choices", queryset=Choice.objects.only("pk"))
    )
    return [spec_of(question) for question in questions]


def spec_of(question: Question) -> QuestionSpec:
    return QuestionSpec(
        id=question.pk,
        kind=question.kind,
        title=question.title,
        help_text=question.help_text,
        required=question.required,
        config=dict(question.config or {}),
        choices=tuple(ChoiceSpec(c.pk, c.label, c.is_other) for c in question.choices.all()),
        rows=tuple(RowSpec(r.pk, r.label) for r in question.rows.all()),
        condition_question_id=question.condition_question_id,
        condition_choice_ids=frozenset(c.pk for c in question.condition_choices.all()),
    )


# --- when it is open --------------------------------------------------------------------------------------------
def answer_window(module: Module, now: datetime.datetime | None = None) -> Window:
    """The answering phase in force (``current``), or the next one, and the last one that ended."""
    return capability_window(module, Cap.ANSWER, now)


def survey_settings(module: Module) -> dict[str, Any]:
    return module.effective_settings(module.current_phase(timezone.now()))


# --- may this person answer? ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Access:
    """Whether a respondent may answer now, and if not why: ``code`` for the page, ``reason`` for the person and
    ``why`` (the permission layer's reason, with where to fix it: sign in, get verified)."""

    allowed: bool
    code: str = ""
    reason: str = ""
    participation: Participation | None = None
    why: Reason | None = None

    @classmethod
    def refused(cls, why: Reason, participation: Participation | None = None) -> Access:
        return cls(False, why.code, str(why.message), participation, why)


def answer_access(
    respondent: Respondent,
    module: Module,
    questionnaire: Questionnaire | None,
    session: Mapping[str, Any] | None = None,
) -> Access:
    """May ``respondent`` answer now? The questionnaire has questions; then ``surveys.answer_questionnaire`` as
    ``explain`` answers it (the phase, the account, the eligibility rule: the rule's own steps and reasons); then the
    one-answer rule (the service checks the last one again under a lock when the answers are sent)."""
    if (
        questionnaire is None
        or not Question.objects.filter(questionnaire=questionnaire).exclude(kind="section").exists()
    ):
        return Access.refused(
            Reason("empty", _("Le questionnaire est en préparation : il n'a pas encore de questions."))
        )
    if respondent.is_test or respondent.is_paper:
        return _staff_access(respondent, module)
    verdict = explain(respondent.user or AnonymousUser(), "surveys.answer_questionnaire", module)
    if verdict.reason is not None:
        return Access.refused(verdict.reason)
    return _one_answer(respondent, module, questionnaire, session or {})


def _staff_access(respondent: Respondent, module: Module) -> Access:
    """Test mode and paper questionnaires: whatever the phase, for the staff of the space."""
    agent = respondent.user if respondent.is_test else respondent.entered_by
    permission = "surveys.try_questionnaire" if respondent.is_test else "surveys.enter_paper_response"
    if agent is not None and agent.has_perm(permission, module):
        return Access(True)
    return Access.refused(Reason("staff_only", _("Réservé aux gestionnaires de la démarche.")))


def _one_answer(
    respondent: Respondent, module: Module, questionnaire: Questionnaire, session: Mapping[str, Any]
) -> Access:
    multiple = bool(survey_settings(module).get("multiple_answers"))
    user = respondent.user
    if user is not None and user.is_authenticated:
        participation = Participation.objects.filter(questionnaire=questionnaire, user=user).first()
        if participation is not None and not multiple:
            return Access.refused(
                Reason(
                    "already",
                    _("Vous avez déjà répondu à ce questionnaire, le %(date)s : une seule réponse par participant.")
                    % {"date": dates.long_date(participation.last_at)},
                ),
                participation,
            )
        return Access(True, participation=participation)
    if not multiple and questionnaire.pk in session.get(ANSWERED_SESSION_KEY, []):
        return Access.refused(Reason("already", _("Vous avez déjà répondu à ce questionnaire depuis ce navigateur.")))
    return Access(True)


def eligibility_description(module: Module) -> str:
    """Who may answer, in a sentence ("être un habitant vérifié, résider à Centre"), or "" without a rule."""
    rule = rule_for(module, Cap.ANSWER)
    return rule.describe() if rule is not None else ""


# --- drafts and responses ---------------------------------------------------------------------------------------
def draft_for(
    respondent: Respondent, questionnaire: Questionnaire, session: Mapping[str, Any]
) -> Response | AnonymousDraft | None:
    """The draft this respondent left, found by account (any device) or by this browser's session: a draft
    ``Response``, or an ``AnonymousDraft`` for an anonymous questionnaire."""
    if not respondent.is_test:
        anonymous = _draft_in(
            AnonymousDraft.objects.filter(questionnaire=questionnaire), respondent, questionnaire, session
        )
        if anonymous is not None:
            return anonymous
    drafts = Response.objects.filter(questionnaire=questionnaire, submitted_at__isnull=True, is_test=respondent.is_test)
    return _draft_in(drafts, respondent, questionnaire, session)


def _draft_in(
    drafts: QuerySet[Any], respondent: Respondent, questionnaire: Questionnaire, session: Mapping[str, Any]
) -> Any:
    user = respondent.user
    if user is not None and getattr(user, "is_authenticated", False) and not respondent.is_paper:
        latest = "-day" if drafts.model is AnonymousDraft else "-updated_at"
        own = drafts.filter(participant=user, entered_by=respondent.entered_by).order_by(latest).first()
        if own is not None:
            return own
    pk = str(session.get(DRAFTS_SESSION_KEY, {}).get(respondent.session_slot(questionnaire)) or "")
    # A draft response has a number; an anonymous draft a UUID: each table is asked only for its own kind of id.
    if not pk or pk.isdigit() != (drafts.model is Response):
        return None
    candidate = drafts.filter(pk=pk, participant__isnull=True).first()
    if candidate is None or candidate.entered_by_id != getattr(respondent.entered_by, "pk", None):
        return None
    return candidate


def own_responses(user: Any, questionnaire: Questionnaire) -> QuerySet[Response]:
    """The responses ``user`` sent (not test ones), the latest first."""
    return Response.objects.filter(
        questionnaire=questionnaire, participant=user, submitted_at__isnull=False, is_test=False
    ).order_by("-submitted_at", "-pk")


def response_by_receipt(questionnaire: Questionnaire, receipt: Any) -> Response | None:
    return (
        Response.objects.filter(questionnaire=questionnaire, receipt=receipt, submitted_at__isnull=False)
        .select_related("questionnaire__module__space")
        .first()
    )


@dataclass
class ShownAnswer:
    """A question and the answer given, as text lines (a ranking or a matrix has one line per item)."""

    question: QuestionSpec
    lines: list[str] = field(default_factory=list)
    file_url: str = ""


def shown_answers(
    specs: Sequence[QuestionSpec], responses: Sequence[Response], module: Module
) -> dict[int, list[ShownAnswer]]:
    """The answers of ``responses`` question by question, for reading them back (one query for all)."""
    rows: dict[int, list[Answer]] = {}
    for answer in Answer.objects.filter(response__in=[r.pk for r in responses]).order_by("pk"):
        rows.setdefault(answer.response_id, []).append(answer)
    return {response.pk: _shown(specs, rows.get(response.pk, []), module) for response in responses}


def _shown(specs: Sequence[QuestionSpec], rows: Sequence[Answer], module: Module) -> list[ShownAnswer]:
    by_question: dict[int, list[Answer]] = {}
    for row in rows:
        by_question.setdefault(row.question_id, []).append(row)
    shown = []
    for spec in specs:
        if spec.is_section or spec.id not in by_question:
            continue
        shown.append(_lines(spec, by_question[spec.id], module))
    return shown


def _lines(spec: QuestionSpec, rows: list[Answer], module: Module) -> ShownAnswer:
    choices = {c.id: c.label for c in spec.choices}
    labels = {r.id: r.label for r in spec.rows}
    shown = ShownAnswer(spec)
    for row in sorted(rows, key=lambda r: (r.rank or 0, r.pk)):
        shown.lines.append(_line(spec, row, choices, labels))
        if row.file:
            shown.file_url = answer_file_url(module, row.pk)
    return shown


def answer_file_url(module: Module, answer_pk: int) -> str:
    """The permission-checked address of a file sent with an answer (never served as public media)."""
    return reverse(
        "spaces:surveys:answer_file", kwargs={"slug": module.space.slug, "module_slug": module.slug, "pk": answer_pk}
    )


def _line(spec: QuestionSpec, row: Answer, choices: dict[int, str], labels: dict[int, str]) -> str:
    if spec.kind == answers.RANKING:
        return f"{row.rank}. {choices.get(row.choice_id or 0, '')}"
    if spec.kind == answers.MATRIX:
        return f"{labels.get(row.row_id or 0, '')} : {choices.get(row.choice_id or 0, '')}"
    if row.choice_id:
        label = choices.get(row.choice_id, "")
        return f"{label} : {row.text}" if row.text else label
    if row.number is not None:
        unit = spec.option("unit") if spec.kind == answers.NUMBER else ""
        return f"{number_format(row.number.normalize())} {unit}".strip()
    if row.date is not None:
        return dates.long_date(row.date)
    if row.file:
        return row.file_name or _("fichier joint")
    return row.text
