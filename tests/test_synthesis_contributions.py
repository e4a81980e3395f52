"""The synthesis of contributions reads every module's contributions through the manifests, and the platform's
comments too (a debate's contributions, with their stance): a test across the layers (comments sit above the
synthesis), so it lives here (decision 0012)."""

from __future__ import annotations

import random

import pytest

from participe.comments.models import Comment
from participe.synthesis import services
from participe.synthesis.models import Entry
from participe.synthesis.tests.conftest import TEXTS
from tests.factories import ItemFactory, ParticipationModuleFactory, SpaceFactory, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def space():
    return SpaceFactory(title="Place du Marché")


@pytest.fixture
def module(space):
    return ParticipationModuleFactory(space=space)


@pytest.fixture
def items(module):
    return [ItemFactory(module=module, body=text) for text in TEXTS]


@pytest.fixture
def manager(space):
    return make_space_role(space, "admin")


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.synthesis_start(**kwargs)

    return run


def test_comments_with_their_stance_are_contributions_and_official_answers_are_not(
    items, manager, space, module, start
):
    Comment.objects.create(target=items[0], module=module, body="Je suis pour les arbres", stance="favorable")
    Comment.objects.create(target=items[0], module=module, body="Réponse de la ville", official_role="service")
    synthesis = start(actor=manager, space=space, title="Avec commentaires")
    entry = Entry.objects.get(synthesis=synthesis, text="Je suis pour les arbres")
    assert entry.stance == "favorable" and entry.question == str(items[0])
    assert not Entry.objects.filter(synthesis=synthesis, text="Réponse de la ville").exists()


# --- questionnaires' free-text answers and signalements (decision 0034) ----------------------------------------------
def _survey(space, *, anonymous):
    from participe.modules.surveys.models import Question
    from participe.modules.surveys.tests.factories import (
        QuestionFactory,
        QuestionnaireFactory,
        SurveyModuleFactory,
        make_choice_question,
    )

    module = SurveyModuleFactory(
        space=space,
        title="Votre avis",
        settings={"access": "anyone", "multiple_answers": False, "anonymous": anonymous, "results_public": False},
    )
    questionnaire = QuestionnaireFactory(module=module)
    free = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.LONG_TEXT, title="Que changer ?")
    choice = make_choice_question(questionnaire, ["Oui", "Non", "Autre…"], title="Venez-vous au marché ?")
    files = QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.FILE, title="Une photo ?")
    return module, questionnaire, free, choice, files


def _answer(questionnaire, question, *, text="", choice=None, **response):
    from participe.modules.surveys.tests.factories import AnswerFactory, ResponseFactory

    made = ResponseFactory(questionnaire=questionnaire, **response)
    return AnswerFactory(response=made, question=question, text=text, choice=choice)


def test_free_text_answers_of_a_questionnaire_are_contributions_with_their_question(space):
    from participe.synthesis.gather import gather
    from tests.factories import TerritoryFactory, UserFactory

    module, questionnaire, free, choice, files = _survey(space, anonymous=False)
    quartier = TerritoryFactory(name="Les Tilleuls")
    resident = UserFactory(territory=quartier)
    other = choice.choices.get(is_other=True)
    _answer(questionnaire, free, text="Plus d'arbres sur la place", participant=resident)
    _answer(questionnaire, choice, text="Le dimanche seulement", choice=other)
    _answer(questionnaire, choice, choice=choice.choices.get(label="Oui"))  # a choice: no text
    _answer(questionnaire, files, text="")
    _answer(questionnaire, free, text="Une réponse de test", is_test=True)
    _answer(questionnaire, free, text="Un brouillon", submitted_at=None)

    found = {g.text: g for g in gather(space) if g.reference.startswith("surveys.")}
    assert set(found) == {"Plus d'arbres sur la place", "Le dimanche seulement"}
    trees = found["Plus d'arbres sur la place"]
    assert trees.question == "Que changer ?" and trees.territory_name == "Les Tilleuls" and trees.date is not None
    assert trees.url == module.get_absolute_url() and trees.kind.startswith("Votre avis — ")
    assert found["Le dimanche seulement"].question == "Venez-vous au marché ?"
    assert trees.content_type_id is None and trees.object_id is None  # no row of a response is linked


def test_anonymous_answers_carry_nothing_that_links_them_to_their_response(space, manager, start):
    from participe.synthesis.models import Entry
    from tests.factories import TerritoryFactory

    module, questionnaire, free, _choice, _files = _survey(space, anonymous=True)
    quartier = TerritoryFactory(name="Les Tilleuls")
    rng = random.Random(7)
    answers = [  # as the mixer writes them (decision 0016): random response ids, no participant
        _answer(questionnaire, free, text=text, territory=quartier, id=rng.randrange(2**52, 2**53)) for text in TEXTS
    ]
    synthesis = start(actor=manager, space=space, title="Réponses anonymes")
    entries = list(Entry.objects.filter(synthesis=synthesis))
    assert sorted(e.text for e in entries) == sorted(TEXTS)
    forbidden = {str(a.response_id) for a in answers} | {str(a.response.receipt) for a in answers}
    for entry in entries:
        assert entry.content_type_id is None and entry.object_id is None and entry.imported_id is None
        assert entry.territory_name == "" and entry.date is None and entry.question == "Que changer ?"
        assert entry.url == module.get_absolute_url()
        assert entry.reference.startswith(f"surveys.question:{free.pk}:")
        assert not any(value in entry.reference for value in forbidden)
    numbers = [int(e.reference.rsplit(":", 1)[1]) for e in entries]
    assert sorted(numbers) == list(range(1, len(TEXTS) + 1))
    by_response = sorted(answers, key=lambda a: a.response_id)
    assert [e.text for e in sorted(entries, key=lambda e: int(e.reference.rsplit(":", 1)[1]))] == [
        a.text for a in by_response
    ]  # numbered in the order of the responses' ids (random once mixed), not of the answers' writing


def test_public_signalements_are_contributions_and_private_or_unconfirmed_ones_are_not():
    from django.utils import timezone

    from participe.modules.signalements.models import Report
    from participe.modules.signalements.tests.factories import make_world, report_data
    from participe.synthesis.gather import gather

    world = make_world()
    now = timezone.now()

    def report(category, title, **extra):
        data = report_data(category, title=title, description=f"{title} : détails.", module=world.module, **extra)
        return Report.objects.create(**data)

    public = report(world.pothole, "Trou rue des Halles", confirmed_at=now, territory=world.north)
    report(world.unsafe, "Lieu dangereux près de chez moi", confirmed_at=now)  # a private category
    report(world.pothole, "Pas encore confirmé")
    report(world.lamp, "Masqué par la modération", confirmed_at=now, moderation_status="hidden")

    found = list(gather(world.module.space))
    assert [g.text for g in found] == ["Trou rue des Halles\nTrou rue des Halles : détails."]
    assert found[0].url == public.get_absolute_url() and found[0].territory_name == "Nord"
    assert found[0].reference == f"signalements.report:{public.pk}" and found[0].object_id == public.pk
