"""Reads of the questionnaire builder (back-office): the questions with what the builder shows of each."""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from participe.modules.surveys.models import Choice, Question, Questionnaire, Response
from participe.spaces.models import Module


@dataclass
class BuilderItem:
    """A question (or a section) as the builder lists it."""

    question: Question
    page: int
    number: int | None  # questions are numbered Q1, Q2…; sections are not
    choices: list[Choice] = field(default_factory=list)
    condition_number: int | None = None
    condition_labels: list[str] = field(default_factory=list)
    dependents: list[int] = field(default_factory=list)  # numbers of the questions depending on this one

    def _date(self, key: str) -> datetime.date | None:
        value = (self.question.config or {}).get(key) if self.question.kind == Question.Kind.DATE else None
        try:
            return datetime.date.fromisoformat(value) if value else None
        except (TypeError, ValueError):
            return None

    @property
    def date_min(self) -> datetime.date | None:
        return self._date("min")

    @property
    def date_max(self) -> datetime.date | None:
        return self._date("max")

    @property
    def condition_answers(self) -> str:
        """The answers that show the question, spelled out: « Vélo » ou « Trottinette »."""
        return f" {_('ou')} ".join(f"« {label} »" for label in self.condition_labels)


def builder_items(questionnaire: Questionnaire) -> list[BuilderItem]:
    """Every question in order with its page, its number and its condition spelled out (a fixed number of queries)."""
    questions = list(
        Question.objects.filter(questionnaire=questionnaire)
        .order_by("position", "pk")
        .prefetch_related("choices", "rows", "condition_choices")
    )
    items: list[BuilderItem] = []
    by_pk: dict[int, BuilderItem] = {}
    page, number = 1, 0
    for question in questions:
        if question.is_section and items:
            page += 1
        if not question.is_section:
            number += 1
        item = BuilderItem(question=question, page=page, number=None if question.is_section else number)
        item.choices = sorted(question.choices.all(), key=lambda c: (c.position, c.pk))
        items.append(item)
        by_pk[question.pk] = item
    for item in items:
        condition_pk = item.question.condition_question_id
        if condition_pk is None or condition_pk not in by_pk:
            continue
        source = by_pk[condition_pk]
        item.condition_number = source.number
        chosen = {c.pk for c in item.question.condition_choices.all()}
        item.condition_labels = [c.label for c in source.choices if c.pk in chosen]
        if item.number is not None:
            source.dependents.append(item.number)
    return items


def condition_candidates(question: Question) -> list[Question]:
    """The questions a condition on ``question`` may depend on: earlier single or multiple choice questions."""
    earlier = Question.objects.filter(questionnaire_id=question.questionnaire_id, kind__in=Question.CONDITION_KINDS)
    ordered = list(Question.objects.filter(questionnaire_id=question.questionnaire_id).order_by("position", "pk"))
    before = {q.pk for q in ordered[: next(i for i, q in enumerate(ordered) if q.pk == question.pk)]}
    return list(earlier.filter(pk__in=before).order_by("position", "pk"))


def test_responses_count(questionnaire: Questionnaire) -> int:
    return Response.objects.filter(questionnaire=questionnaire, is_test=True).count()


def duplicate_targets(user: Any, module: Module) -> QuerySet[Module]:
    """The other surveys modules ``user`` manages whose questionnaire has received no response."""
    candidates = (
        Module.objects.filter(module_type="surveys")
        .exclude(pk=module.pk)
        .exclude(questionnaire__responses_count__gt=0)
        .select_related("space")
        .order_by("space__title", "title")
    )
    allowed = [m.pk for m in candidates if user.has_perm("surveys.manage_questionnaire", m)]
    return candidates.filter(pk__in=allowed)


def module_statistics(module: Module) -> dict[str, int]:
    """The manifest's ``statistics``: questions (sections left out), pages and submitted responses."""
    questionnaire = Questionnaire.objects.filter(module=module).first()
    if questionnaire is None:
        return {"questions": 0, "sections": 0, "responses": 0}
    kinds = list(questionnaire.questions.values_list("kind", flat=True))
    sections = kinds.count(Question.Kind.SECTION)
    return {"questions": len(kinds) - sections, "sections": sections, "responses": questionnaire.responses_count}
