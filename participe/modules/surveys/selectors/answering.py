"""Reads of the answering side: the questions of a questionnaire as ``answers.QuestionSpec``, when it opens and closes,
why someone may not answer (in words a resident understands), drafts and one's own responses."""

from __future__ import annotations

import datetime
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format, number_format
from django.utils.translation import gettext as _

from participe.core.capabilities import Cap
from participe.modules.surveys import answers
from participe.modules.surveys.answers import ChoiceSpec, QuestionSpec, RowSpec
from participe.modules.surveys.models import Answer, Choice, Participation, Question, Questionnaire, Response
from participe.spaces.models import Module, Phase, Space
from participe.spaces.predicates import is_verified
from participe.verifications.eligibility import check_eligibility, rule_for

DRAFTS_SESSION_KEY = "surveys_drafts"  # {"<questionnaire pk>[-test|-paper]": response pk}
ANSWERED_SESSION_KEY = "surveys_answered"  # questionnaires answered from this browser without an account
RECEIPTS_SESSION_KEY = "surveys_receipts"  # receipts this browser may show again


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
@dataclass(frozen=True)
class Window:
    """The answering phase in force (``current``), or the next one, or the last one that ended."""

    current: Phase | None = None
    next: Phase | None = None
    last: Phase | None = None

    @property
    def is_open(self) -> bool:
        return self.current is not None


def answer_window(module: Module, now: datetime.datetime | None = None) -> Window:
    now = now or timezone.now()
    phases = [p for p in module.phases.all() if Cap.ANSWER in p.capabilities]
    current = next((p for p in phases if p.start <= now < p.end), None)
    upcoming = [p for p in phases if p.start > now]
    past = [p for p in phases if p.end <= now]
    return Window(
        current=current,
        next=min(upcoming, key=lambda p: p.start) if upcoming else None,
        last=max(past, key=lambda p: p.end) if past else None,
    )


def survey_settings(module: Module) -> dict[str, Any]:
    return module.effective_settings(module.current_phase(timezone.now()))


# --- may this person answer? ------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Access:
    """Whether a respondent may answer now, and if not why: ``code`` for the page, ``reason`` for the person."""

    allowed: bool
    code: str = ""
    reason: str = ""
    participation: Participation | None = None
    rule_description: str = ""


def _when(moment: datetime.datetime) -> str:
    return date_format(timezone.localtime(moment), "j F Y à H\xa0\\h\xa0i")


def _closed(module: Module) -> Access | None:
    if module.space.status == Space.Status.ARCHIVED:
        return Access(False, "archived", _("Cette démarche est archivée : le questionnaire est clos."))
    window = answer_window(module)
    if window.is_open:
        return None
    if window.next is not None:
        return Access(
            False, "upcoming", _("Le questionnaire ouvrira le %(date)s.") % {"date": _when(window.next.start)}
        )
    if window.last is not None:
        return Access(
            False, "closed", _("Le questionnaire est clos depuis le %(date)s.") % {"date": _when(window.last.end)}
        )
    return Access(False, "closed", _("Le questionnaire n'est pas ouvert aux réponses."))


def _not_eligible(user: Any, module: Module) -> Access:
    rule = rule_for(module, Cap.ANSWER)
    description = rule.describe() if rule is not None else ""
    if getattr(user, "blocked_at", None):
        return Access(False, "blocked", _("Votre compte a été bloqué par la modération : vous ne pouvez pas répondre."))
    if not getattr(user, "is_authenticated", False):
        return Access(
            False, "login", _("Connectez-vous pour répondre à ce questionnaire."), rule_description=description
        )
    eligibility = check_eligibility(user, module, Cap.ANSWER)
    unverified = rule is not None and rule.require_verification and not is_verified(user)
    code = "not_verified" if unverified else "not_eligible"
    return Access(
        False,
        code,
        eligibility.reason or _("Vous ne pouvez pas répondre à ce questionnaire."),
        rule_description=description,
    )


def answer_access(
    respondent: Respondent,
    module: Module,
    questionnaire: Questionnaire | None,
    session: Mapping[str, Any] | None = None,
) -> Access:
    """May ``respondent`` answer now? Checks the phase, the access setting, the eligibility rule and the
    one-answer rule (the service checks the last one again under a lock when the answers are sent)."""
    if (
        questionnaire is None
        or not Question.objects.filter(questionnaire=questionnaire).exclude(kind="section").exists()
    ):
        return Access(False, "empty", _("Le questionnaire est en préparation : il n'a pas encore de questions."))
    if respondent.is_test or respondent.is_paper:
        return _staff_access(respondent, module)
    closed = _closed(module)
    if closed is not None:
        return closed
    user = respondent.user
    if not (user or _anonymous_user()).has_perm("surveys.answer_questionnaire", module):
        return _not_eligible(user or _anonymous_user(), module)
    return _one_answer(respondent, module, questionnaire, session or {})


def _staff_access(respondent: Respondent, module: Module) -> Access:
    """Test mode and paper questionnaires: whatever the phase, for the staff of the space."""
    agent = respondent.user if respondent.is_test else respondent.entered_by
    permission = "surveys.try_questionnaire" if respondent.is_test else "surveys.enter_paper_response"
    if agent is not None and agent.has_perm(permission, module):
        return Access(True)
    return Access(False, "staff_only", _("Réservé aux gestionnaires de la démarche."))


def _anonymous_user() -> Any:
    return AnonymousUser()


def _one_answer(
    respondent: Respondent, module: Module, questionnaire: Questionnaire, session: Mapping[str, Any]
) -> Access:
    multiple = bool(survey_settings(module).get("multiple_answers"))
    user = respondent.user
    if user is not None and user.is_authenticated:
        participation = Participation.objects.filter(questionnaire=questionnaire, user=user).first()
        if participation is not None and not multiple:
            return Access(
                False,
                "already",
                _("Vous avez déjà répondu à ce questionnaire, le %(date)s : une seule réponse par participant.")
                % {"date": date_format(timezone.localtime(participation.last_at), "j F Y")},
                participation,
            )
        return Access(True, participation=participation)
    if not multiple and questionnaire.pk in session.get(ANSWERED_SESSION_KEY, []):
        return Access(False, "already", _("Vous avez déjà répondu à ce questionnaire depuis ce navigateur."))
    return Access(True)


def eligibility_description(module: Module) -> str:
    """Who may answer, in a sentence ("être un habitant vérifié, résider à Centre"), or "" without a rule."""
    rule = rule_for(module, Cap.ANSWER)
    return rule.describe() if rule is not None else ""


# --- drafts and responses ---------------------------------------------------------------------------------------
def draft_for(respondent: Respondent, questionnaire: Questionnaire, session: Mapping[str, Any]) -> Response | None:
    """The draft this respondent left, found by account (any device) or by this browser's session."""
    drafts = Response.objects.filter(questionnaire=questionnaire, submitted_at__isnull=True, is_test=respondent.is_test)
    user = respondent.user
    if user is not None and getattr(user, "is_authenticated", False) and not respondent.is_paper:
        own = drafts.filter(participant=user, entered_by=respondent.entered_by).order_by("-updated_at").first()
        if own is not None:
            return own
    pk = session.get(DRAFTS_SESSION_KEY, {}).get(respondent.session_slot(questionnaire))
    if not pk:
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
        return date_format(row.date, "j F Y")
    if row.file:
        return row.file_name or _("fichier joint")
    return row.text
