"""The demo questionnaire and the module's manifest."""

from __future__ import annotations

import pytest
from django.core import checks

from participe.core.capabilities import Cap
from participe.core.checks import _check_manifest
from participe.core.registry import registry, statistics_of
from participe.modules.surveys.manifest import manifest
from participe.modules.surveys.models import Answer, Question, Questionnaire, Response, Tally
from participe.modules.surveys.seeds import seed
from participe.modules.surveys.services import builder
from participe.modules.surveys.tests.factories import (
    QuestionFactory,
    QuestionnaireFactory,
    SurveyModuleFactory,
    preparation_phase,
    results_phase,
)
from tests.factories import make_org_admin

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("phase", ["preparation", "reponses", "resultats", "none"])
def test_the_demo_questionnaire_uses_every_kind_and_a_condition_whatever_the_phase(phase):
    module = SurveyModuleFactory(title="Vos déplacements au quotidien")
    make_org_admin()  # who builds it (the services check their actor)
    if phase == "preparation":
        preparation_phase(module)
    elif phase == "resultats":
        results_phase(module)
    elif phase == "none":
        module.phases.all().delete()
    seed(module)
    seed(module)  # once
    questionnaire = Questionnaire.objects.get(module=module)
    questions = list(questionnaire.questions.all())
    assert {q.kind for q in questions} == set(Question.Kind.values)
    assert [q.position for q in questions] == list(range(1, len(questions) + 1))
    assert questions[0].is_section and sum(q.is_section for q in questions) == 3
    assert "plan de mobilité" in questionnaire.intro and "réunion publique" in questionnaire.closing_message
    conditional = [q for q in questions if q.condition_question_id]
    assert len(conditional) == 1
    condition = conditional[0]
    assert condition.kind == "multiple" and condition.condition_question.kind == "single"
    assert sorted(c.label for c in condition.condition_choices.all()) == ["Bus", "Voiture ou deux-roues motorisé"]
    assert sum(c.is_other for q in questions for c in q.choices.all()) == 2
    matrix = next(q for q in questions if q.kind == "matrix")
    assert matrix.rows.count() == 5 and matrix.choices.count() == 4
    scale = next(q for q in questions if q.kind == "scale")
    assert scale.config["min_label"] == "Pas du tout satisfait"


def test_the_seed_leaves_a_questionnaire_with_questions_alone():
    questionnaire = QuestionnaireFactory()
    QuestionFactory(questionnaire=questionnaire, kind="short_text", title="Déjà là")
    seed(questionnaire.module)
    assert [q.title for q in questionnaire.questions.all()] == ["Déjà là"]


def test_it_is_registered_and_passes_the_system_checks():
    assert registry.get("surveys") is manifest
    assert _check_manifest(manifest) == []
    assert not [e for e in checks.run_checks() if e.level >= checks.ERROR]


def test_its_phases_open_answers_only_in_the_answers_phase():
    assert manifest.phase_type("preparation").capabilities == {Cap.VIEW}
    assert manifest.phase_type("reponses").capabilities == {Cap.VIEW, Cap.ANSWER}
    assert manifest.phase_type("resultats").capabilities == {Cap.VIEW}
    assert manifest.actions == (Cap.ANSWER,)
    assert manifest.default_settings() == {
        "access": "signed_in",
        "multiple_answers": False,
        "anonymous": False,
        "territory_results": False,
        "results_public": False,
        "results_open_data": False,
    }


def test_its_statistics_count_questions_sections_and_responses():
    module = SurveyModuleFactory()
    assert _figures(module) == {"contributions": 0, "participants": 0, "questions": 0, "sections": 0}
    questionnaire = QuestionnaireFactory(module=module, responses_count=7)
    QuestionFactory(questionnaire=questionnaire, kind="section")
    QuestionFactory.create_batch(2, questionnaire=questionnaire, kind="short_text")
    assert _figures(module) == {"contributions": 7, "participants": 7, "questions": 2, "sections": 1}


def _figures(module):
    return {figure.key: figure.value for figure in statistics_of(module)}


@pytest.mark.parametrize("phase", ["preparation", "reponses", "resultats"])
def test_the_demo_has_paper_responses_typed_by_an_administrator_whatever_the_phase(phase):
    make_org_admin(pseudonym="admin-lumerac")
    module = SurveyModuleFactory()
    if phase == "preparation":
        preparation_phase(module)
    elif phase == "resultats":
        results_phase(module)
    seed(module)
    questionnaire = Questionnaire.objects.get(module=module)
    responses = Response.objects.filter(questionnaire=questionnaire, submitted_at__isnull=False)
    assert questionnaire.responses_count == responses.count() == 36
    assert not responses.filter(is_test=True).exists() and all(r.entered_by_id for r in responses)
    transport = questionnaire.questions.get(kind="single")
    assert sum(Tally.objects.filter(question=transport).values_list("count", flat=True)) == 36
    obstacles = questionnaire.questions.get(kind="multiple")
    answered_obstacles = Answer.objects.filter(question=obstacles).values("response").distinct().count()
    by_car_or_bus = Answer.objects.filter(
        question=transport, choice__label__in=["Bus", "Voiture ou deux-roues motorisé"]
    )
    assert answered_obstacles == by_car_or_bus.count() > 0  # the condition held
    # Once answered, the demo questionnaire's structure is locked like any other.
    assert "36 réponses ont déjà été reçues" in builder.structure_locked_reason(questionnaire)


def test_the_demo_data_holds_an_answered_questionnaire():
    from participe.backoffice.demo import load_demo

    load_demo()
    load_demo()  # idempotent
    questionnaire = Questionnaire.objects.get(module__space__slug="place-du-marche", module__module_type="surveys")
    assert questionnaire.questions.exclude(kind="section").count() == 10
    assert questionnaire.responses_count == 36
