"""Factories of the surveys module's tests (shared by the builder, answering and results tests)."""

from __future__ import annotations

import datetime

import factory
from django.utils import timezone

from participe.modules.surveys.models import Answer, Choice, MatrixRow, Question, Questionnaire, Response
from tests.factories import ModuleFactory, PhaseFactory


class SurveyModuleFactory(ModuleFactory):
    """A surveys module with its "reponses" phase running (answers open) in a published public space.

    Settings: anyone may answer, one answer per participant, not anonymous, results not public; pass
    ``settings={...}`` to change them.
    """

    class Meta:
        skip_postgeneration_save = True

    module_type = "surveys"
    title = factory.Sequence(lambda n: f"Questionnaire {n}")
    slug = factory.Sequence(lambda n: f"questionnaire-{n}")
    settings = factory.LazyFunction(
        lambda: {
            "access": "anyone",
            "multiple_answers": False,
            "anonymous": False,
            "results_public": False,
            "results_open_data": False,
        }
    )
    phase = factory.RelatedFactory(PhaseFactory, factory_related_name="module", phase_type="reponses", name="Réponses")


class QuestionnaireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Questionnaire
        django_get_or_create = ("module",)

    module = factory.SubFactory(SurveyModuleFactory)
    intro = "<p>Merci de prendre quelques minutes pour répondre.</p>"
    closing_message = "<p>Merci pour votre participation.</p>"


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question; ``kind`` defaults to single choice (add its choices with ``ChoiceFactory``)."""

    class Meta:
        model = Question

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    kind = Question.Kind.SINGLE
    title = factory.Sequence(lambda n: f"Question n° {n} ?")
    position = factory.Sequence(lambda n: n + 1)
    required = False
    config = factory.LazyFunction(dict)


class ChoiceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Choice

    question = factory.SubFactory(QuestionFactory)
    label = factory.Sequence(lambda n: f"Choix {n}")
    position = factory.Sequence(lambda n: n + 1)
    is_other = False


class MatrixRowFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MatrixRow

    question = factory.SubFactory(QuestionFactory, kind=Question.Kind.MATRIX)
    label = factory.Sequence(lambda n: f"Ligne {n}")
    position = factory.Sequence(lambda n: n + 1)


class ResponseFactory(factory.django.DjangoModelFactory):
    """A submitted response (pass ``submitted_at=None`` for a draft). It does not touch counters or tallies."""

    class Meta:
        model = Response

    questionnaire = factory.SubFactory(QuestionnaireFactory)
    participant = None
    submitted_at = factory.LazyFunction(timezone.now)
    is_test = False


class AnswerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Answer

    response = factory.SubFactory(ResponseFactory)
    question = factory.SubFactory(QuestionFactory, questionnaire=factory.SelfAttribute("..response.questionnaire"))


def make_choice_question(questionnaire: Questionnaire, labels: list[str], **kwargs: object) -> Question:
    """A choice question (single by default) with one ``Choice`` per label; a label ending in "…" is "autre"."""
    question = QuestionFactory(questionnaire=questionnaire, **kwargs)
    for index, label in enumerate(labels, start=1):
        ChoiceFactory(question=question, label=label.rstrip("…"), position=index, is_other=label.endswith("…"))
    return question


def preparation_phase(module, *, days: int = 10) -> None:
    """Replace the phases of ``module`` by a running "preparation" phase then a "reponses" phase (answers closed)."""
    now = timezone.now()
    module.phases.all().delete()
    PhaseFactory(
        module=module,
        phase_type="preparation",
        name="Préparation",
        start=now - datetime.timedelta(days=1),
        end=now + datetime.timedelta(days=days),
    )
    PhaseFactory(
        module=module,
        phase_type="reponses",
        name="Réponses",
        start=now + datetime.timedelta(days=days),
        end=now + datetime.timedelta(days=days + 30),
    )


def results_phase(module, *, days_ago: int = 1) -> None:
    """Replace the phases of ``module`` by a running "resultats" phase (answers closed)."""
    now = timezone.now()
    module.phases.all().delete()
    PhaseFactory(
        module=module,
        phase_type="resultats",
        name="Résultats",
        start=now - datetime.timedelta(days=days_ago),
        end=now + datetime.timedelta(days=30),
    )
