"""The builder of a questionnaire and the exports of its responses are for the staff of the space: each service refuses
anyone else (``Refused``) before writing anything."""

from __future__ import annotations

import pytest

from participe.modules.surveys.models import ExportJob
from participe.modules.surveys.services import builder, exports
from participe.modules.surveys.tests.factories import QuestionFactory, QuestionnaireFactory, SurveyModuleFactory
from participe.spaces.models import SpaceMembership
from tests.factories import UserFactory, make_agent, make_space_role
from tests.writes import assert_refused

pytestmark = pytest.mark.django_db

SHORT = {"kind": "short_text", "title": "Votre quartier ?", "help_text": "", "required": False, "config": {}}


def questionnaire_edit(actor, questionnaire):
    return lambda: builder.questionnaire_edit(actor=actor, questionnaire=questionnaire, data={"intro": "Bonjour"})


def question_create(actor, questionnaire):
    return lambda: builder.question_create(actor=actor, questionnaire=questionnaire, data=dict(SHORT))


def question_edit(actor, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire, kind="short_text")
    return lambda: builder.question_edit(actor=actor, question=question, data=dict(SHORT))


def question_set_condition(actor, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire, kind="short_text")
    return lambda: builder.question_set_condition(actor=actor, question=question, condition_question=None)


def question_move(actor, questionnaire):
    QuestionFactory(questionnaire=questionnaire, kind="short_text")
    question = QuestionFactory(questionnaire=questionnaire, kind="short_text")
    return lambda: builder.question_move(actor=actor, question=question, offset=-1)


def question_duplicate(actor, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire, kind="short_text")
    return lambda: builder.question_duplicate(actor=actor, question=question)


def question_delete(actor, questionnaire):
    question = QuestionFactory(questionnaire=questionnaire, kind="short_text")
    return lambda: builder.question_delete(actor=actor, question=question)


def questionnaire_duplicate(actor, questionnaire):
    QuestionFactory(questionnaire=questionnaire, kind="short_text")
    target = SurveyModuleFactory(space=questionnaire.module.space)
    return lambda: builder.questionnaire_duplicate(actor=actor, source=questionnaire, target_module=target)


def clear_test_responses(actor, questionnaire):
    return lambda: builder.test_responses_clear(actor=actor, questionnaire=questionnaire)


def export_request(actor, questionnaire):
    return lambda: exports.export_request(actor=actor, questionnaire=questionnaire, format="csv")


def export_delete(actor, questionnaire):
    job = ExportJob.objects.create(questionnaire=questionnaire, requested_by=UserFactory(), format="csv")
    return lambda: exports.export_delete(actor=actor, job=job)


CASES = [
    questionnaire_edit,
    question_create,
    question_edit,
    question_set_condition,
    question_move,
    question_duplicate,
    question_delete,
    questionnaire_duplicate,
    clear_test_responses,
    export_request,
    export_delete,
]


@pytest.mark.parametrize("who", ["resident", "agent", "moderator"])
@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_only_the_staff_of_the_space_build_and_export(case, who):
    questionnaire = QuestionnaireFactory()
    actor = {
        "resident": UserFactory,
        "agent": make_agent,
        "moderator": lambda: make_space_role(questionnaire.module.space, SpaceMembership.Role.MODERATOR),
    }[who]()
    assert_refused(case(actor, questionnaire))
