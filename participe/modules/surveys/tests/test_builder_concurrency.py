"""The builder under concurrent requests (PostgreSQL): positions stay a sequence, and no structural edit slips in
between a response being counted and the check that none exists.

Each thread has its own database connection, as concurrent web requests would; a barrier releases them together.
"""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from django.db import transaction
from django.db.models import F

from participe.modules.surveys.models import Question, Questionnaire
from participe.modules.surveys.services import builder
from participe.modules.surveys.services.builder_checks import ChoiceSpec
from participe.modules.surveys.tests.factories import QuestionFactory, QuestionnaireFactory
from tests.concurrency import race
from tests.factories import make_org_admin

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_agents_adding_questions_at_once_get_distinct_positions():
    survey = QuestionnaireFactory()
    agents = [make_org_admin() for _ in range(8)]

    def add(agent: Any, n: int) -> None:
        builder.question_create(
            actor=agent,
            questionnaire=Questionnaire.objects.get(pk=survey.pk),
            data={"kind": "single", "title": f"Question {n}"},
            choices=[ChoiceSpec("Oui"), ChoiceSpec("Non")],
        )

    race([lambda a=a, n=n: add(a, n) for n, a in enumerate(agents)])
    positions = sorted(Question.objects.filter(questionnaire=survey).values_list("position", flat=True))
    assert positions == list(range(1, 9))


def test_moves_at_once_keep_the_positions_a_sequence():
    survey = QuestionnaireFactory()
    questions = [QuestionFactory(questionnaire=survey, kind="short_text", position=n) for n in range(1, 7)]
    agent = make_org_admin()
    race(
        [
            lambda q=q, o=o: builder.question_move(actor=agent, question=Question.objects.get(pk=q.pk), offset=o)
            for q, o in zip(questions[1:5], (-1, 1, -1, 1), strict=True)
        ]
    )
    positions = sorted(Question.objects.filter(questionnaire=survey).values_list("position", flat=True))
    assert positions == list(range(1, 7))


def test_a_deletion_racing_a_submission_waits_for_it_and_is_then_refused():
    survey = QuestionnaireFactory()
    question = QuestionFactory(questionnaire=survey, kind="short_text")
    agent = make_org_admin()
    counted = threading.Event()

    def submit() -> None:
        # What the answering service does when a response is submitted: count it on the questionnaire row,
        # in a transaction that holds that row until it commits.
        with transaction.atomic():
            Questionnaire.objects.filter(pk=survey.pk).update(responses_count=F("responses_count") + 1)
            counted.set()
            time.sleep(0.5)

    def delete() -> None:
        counted.wait(5)
        builder.question_delete(actor=agent, question=Question.objects.get(pk=question.pk))

    outcomes = race([submit, delete])
    assert sorted(outcomes) == ["ok", "refused"]
    assert Question.objects.filter(pk=question.pk).exists()
