"""Read endpoints of the surveys module, under /api/v1/surveys/ (public data, no authentication needed).

The structure of a questionnaire is readable by whoever sees the module; its aggregated results when the module
publishes them (``results_public``) or by the staff of the space. No individual answer is ever served here.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from participe.core.schemas import Id, errors
from participe.modules.surveys.models import Question, Questionnaire
from participe.modules.surveys.open_data import results_payload
from participe.modules.surveys.results import EVERYONE, Scope, numbered, results_for
from participe.organisation.models import Territory
from participe.spaces.models import Module

router = Router(tags=["surveys"])


class ChoiceOut(Schema):
    id: int
    label: str
    is_other: bool


class RowOut(Schema):
    id: int
    label: str


class ConditionOut(Schema):
    question_id: int
    choice_ids: list[int]


class QuestionOut(Schema):
    id: int
    number: int | None  # None for a section
    position: int
    kind: str
    title: str
    help_text: str
    required: bool
    config: dict[str, Any]
    condition: ConditionOut | None
    choices: list[ChoiceOut]
    rows: list[RowOut]


class QuestionnaireOut(Schema):
    id: int
    module_id: int
    title: str
    intro: str
    url: str
    results_public: bool
    results_open_data: bool
    responses_count: int
    questions: list[QuestionOut]


class LineOut(Schema):
    id: int
    label: str
    count: int
    percent: float | None
    mean_rank: float | None


class ValueOut(Schema):
    value: int
    label: str
    count: int
    percent: float | None


class CellOut(Schema):
    choice_id: int
    label: str
    count: int
    percent: float | None


class MatrixRowOut(Schema):
    id: int
    label: str
    answered: int
    cells: list[CellOut]


class StatsOut(Schema):
    count: int
    minimum: float | str | None
    maximum: float | str | None
    mean: float | None
    median: float | None


class QuestionResultOut(Schema):
    id: int
    number: int
    kind: str
    title: str
    respondents: int
    answered: int | None
    choices: list[LineOut]
    values: list[ValueOut]
    rows: list[MatrixRowOut]
    mean: float | None
    stats: StatsOut | None
    answers_count: int | None


class ResultsOut(Schema):
    module_id: int
    title: str
    respondents: int
    territory_id: int | None
    questions: list[QuestionResultOut]


class ResultsFilter(Schema):
    territory: int | None = None


def _questionnaire(request: HttpRequest, module_id: int, perm: str) -> Questionnaire:
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_id, module_type="surveys")
    if not request.user.has_perm("surveys.view_questionnaire", module) or not request.user.has_perm(perm, module):
        raise HttpError(404, "Not found")
    questionnaire = Questionnaire.objects.filter(module=module).select_related("module").first()
    if questionnaire is None:
        raise HttpError(404, "Not found")
    return questionnaire


def _question_out(number: int | None, question: Question) -> dict[str, Any]:
    condition = None
    if question.condition_question_id:
        ids = sorted(c.pk for c in question.condition_choices.all())
        condition = {"question_id": question.condition_question_id, "choice_ids": ids}
    return {
        "id": question.pk,
        "number": number,
        "position": question.position,
        "kind": question.kind,
        "title": question.title,
        "help_text": question.help_text,
        "required": question.required,
        "config": question.config or {},
        "condition": condition,
        "choices": [{"id": c.pk, "label": c.label, "is_other": c.is_other} for c in question.choices.all()],
        "rows": [{"id": r.pk, "label": r.label} for r in question.rows.all()],
    }


@router.get("/modules/{module_id}/questionnaire", response={200: QuestionnaireOut, **errors(404, 422)})
def questionnaire_detail(request: HttpRequest, module_id: Id) -> dict[str, Any]:
    """The structure of a questionnaire: its questions in order (sections included), choices, matrix rows,
    options of each kind and conditions of display."""
    questionnaire = _questionnaire(request, module_id, "surveys.view_questionnaire")
    module = questionnaire.module
    items = list(
        Question.objects.filter(questionnaire=questionnaire)
        .prefetch_related("choices", "rows", "condition_choices")
        .order_by("position", "pk")
    )
    numbers = {q.pk: n for n, q in numbered(items)}
    settings = module.effective_settings(module.current_phase())
    return {
        "id": questionnaire.pk,
        "module_id": module.pk,
        "title": module.title,
        "intro": questionnaire.intro,
        "url": request.build_absolute_uri(module.get_absolute_url()),
        "results_public": bool(settings.get("results_public")),
        "results_open_data": bool(settings.get("results_open_data")),
        "responses_count": questionnaire.responses_count,
        "questions": [_question_out(numbers.get(q.pk), q) for q in items],
    }


@router.get("/modules/{module_id}/results", response={200: ResultsOut, **errors(403, 404, 422)})
def results_detail(request: HttpRequest, module_id: Id, filters: Query[ResultsFilter]) -> dict[str, Any]:
    """The aggregated results of a questionnaire, when they are published: counts and percentages per choice,
    scale value and matrix cell, mean ranks, statistics of numbers and dates, numbers of free-text answers.
    ``territory`` keeps the respondents of a territory and of the territories under it (not shown below
    10 respondents)."""
    questionnaire = _questionnaire(request, module_id, "surveys.view_results")
    scope = EVERYONE
    if filters.territory is not None:
        territory = Territory.objects.filter(pk=filters.territory).first()
        if territory is None:
            raise HttpError(404, "Unknown territory")
        scope = Scope.of_territory(territory)
    results = results_for(questionnaire, scope)
    staff = request.user.has_perm("surveys.view_responses", questionnaire.module)
    if results.hidden_from(staff=staff):
        raise HttpError(403, "Too few respondents in this territory to publish their results")
    return results_payload(results)
