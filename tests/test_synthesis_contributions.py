"""The synthesis of contributions reads every module's contributions through the manifests, and the platform's
comments too (a debate's contributions, with their stance): a test across the layers (comments sit above the
synthesis), so it lives here (decision 0012)."""

from __future__ import annotations

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
