"""Submissions under concurrent requests (PostgreSQL): the one-answer rule holds, counters equal the rows.

Each thread has its own database connection, as concurrent web requests would; a barrier releases them together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.models import Sum

from participe.modules.surveys.models import Answer, Participation, Question, Questionnaire, Response, Tally
from participe.modules.surveys.selectors import answering as selectors
from participe.modules.surveys.selectors.answering import Respondent
from participe.modules.surveys.services import anonymous, answering, builder
from participe.modules.surveys.tests.answering_data import build_survey, valid_values
from tests import concurrency
from tests.factories import TerritoryFactory, UserFactory, make_org_admin

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def race(calls: list[Callable[[], Any]]) -> list[str]:
    return concurrency.race(calls, refused=(answering.AnswerRefused, ValidationError))


def submitter(survey, respondent, draft_pk=None, session=None):
    values = valid_values(survey)

    def call():
        questionnaire = Questionnaire.objects.select_related("module__space").get(pk=survey.questionnaire.pk)
        return answering.response_submit(
            questionnaire=questionnaire,
            respondent=respondent,
            draft=Response.objects.get(pk=draft_pk) if draft_pk else None,
            specs=selectors.question_specs(questionnaire),
            values=values,
            session=session if session is not None else {},
        )

    return call


def set_settings(survey, **values):
    module = survey.module
    module.settings = {**module.settings, **values}
    module.save()


def assert_counters_match_rows(survey):
    questionnaire = Questionnaire.objects.get(pk=survey.questionnaire.pk)
    submitted = Response.objects.filter(questionnaire=questionnaire, submitted_at__isnull=False, is_test=False)
    assert questionnaire.responses_count == submitted.count()
    for tally in Tally.objects.filter(question__questionnaire=questionnaire):
        rows = Answer.objects.filter(question=tally.question, response__in=submitted)
        rows = rows.filter(response__territory=tally.territory)
        if tally.value is None and tally.choice_id is None and tally.row_id is None:
            # The respondents of a multiple choice or a ranking: one per response that answered it.
            assert tally.count == rows.values("response").distinct().count(), tally
            continue
        if tally.value is not None:
            rows = rows.filter(number=tally.value)
        else:
            rows = rows.filter(choice=tally.choice, row=tally.row)
        assert tally.count == rows.count(), tally
        if tally.rank_sum:
            assert tally.rank_sum == rows.aggregate(s=Sum("rank"))["s"]


def test_one_participant_sending_from_ten_tabs_at_once_answers_once():
    assert connection.vendor == "postgresql"
    survey = build_survey()
    user = UserFactory()
    outcomes = race([submitter(survey, Respondent(user=user)) for _ in range(10)])
    assert sorted(outcomes) == ["ok"] + ["refused"] * 9
    assert Response.objects.filter(participant=user, submitted_at__isnull=False).count() == 1
    assert Participation.objects.get(user=user).count == 1
    assert_counters_match_rows(survey)


def test_twenty_participants_answering_at_once_are_all_counted():
    survey = build_survey()
    territories = [TerritoryFactory(), TerritoryFactory()]
    users = [UserFactory(territory=territories[i % 2]) for i in range(20)]
    outcomes = race([submitter(survey, Respondent(user=u)) for u in users])
    assert outcomes == ["ok"] * 20
    assert Participation.objects.count() == 20
    oui = survey.choice(survey.come, "Oui")
    counts = Tally.objects.filter(question=survey.come, choice=oui).values_list("count", flat=True)
    assert sorted(counts) == [10, 10]
    assert_counters_match_rows(survey)


def test_several_answers_allowed_are_all_counted_on_one_participation():
    survey = build_survey()
    set_settings(survey, multiple_answers=True)
    user = UserFactory()
    race([submitter(survey, Respondent(user=user)) for _ in range(5)])
    assert Participation.objects.get(user=user).count == 5
    assert Response.objects.filter(participant=user, submitted_at__isnull=False).count() == 5
    assert_counters_match_rows(survey)


def test_a_burst_of_clicks_on_send_records_the_draft_once():
    survey = build_survey()
    draft = answering.draft_save(
        questionnaire=survey.questionnaire,
        respondent=Respondent(),
        draft=None,
        values=valid_values(survey),
        page=2,
        session={},
    )
    outcomes = race([submitter(survey, Respondent(), draft_pk=draft.pk) for _ in range(8)])
    assert outcomes == ["ok"] * 8
    assert Response.objects.filter(submitted_at__isnull=False).count() == 1
    assert_counters_match_rows(survey)


def test_visitors_and_participants_mixed_keep_the_counters_right():
    survey = build_survey()
    set_settings(survey, anonymous=True)
    calls = [submitter(survey, Respondent(user=UserFactory())) for _ in range(8)]
    calls += [submitter(survey, Respondent()) for _ in range(8)]
    assert race(calls) == ["ok"] * 16
    anonymous.mix_all(survey.questionnaire.pk)  # the end of the answering phase mixes the last ones
    assert Response.objects.filter(participant__isnull=False).count() == 0
    assert_counters_match_rows(survey)


def test_a_question_removed_while_answers_are_sent_never_leaves_answers_without_their_question():
    for _ in range(3):
        survey = build_survey()
        agent = make_org_admin()

        def delete(pk=survey.remarks.pk, agent=agent):
            builder.question_delete(actor=agent, question=Question.objects.get(pk=pk))

        outcomes = race([submitter(survey, Respondent(user=UserFactory())), delete])
        assert "ok" in outcomes
        remarks_left = Question.objects.filter(pk=survey.remarks.pk).exists()
        sent = Response.objects.filter(questionnaire=survey.questionnaire, submitted_at__isnull=False).count()
        # Either the response came first and the removal was refused, or the removal came first (and the response
        # was sent without that question, or refused if it had read the questionnaire before).
        if remarks_left:
            assert sent == 1 and sorted(outcomes) == ["ok", "refused"]
        assert (
            not Answer.objects.filter(
                response__questionnaire=survey.questionnaire, question_id=survey.remarks.pk
            ).exists()
            or remarks_left
        )
        assert_counters_match_rows(survey)
