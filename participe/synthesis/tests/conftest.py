"""Fixtures of the syntheses: a published démarche with a module of the test module type holding contributions,
its administrator and a resident."""

from __future__ import annotations

import pytest

from tests.factories import ItemFactory, ParticipationModuleFactory, SpaceFactory, UserFactory, make_space_role

TEXTS = [
    "Planter des arbres sur la place pour avoir de l'ombre l'été",
    "Plus d'arbres et de verdure, la place est une fournaise",
    "Des arbres pour l'ombre et la fraîcheur",
    "De l'ombre sous les arbres pour les anciens",
    "Végétaliser la place avec des arbres",
    "Il manque des places de stationnement pour les voitures",
    "Impossible de garer sa voiture le samedi, le stationnement manque",
    "Un parking pour le stationnement des clients en voiture",
    "Le stationnement des voitures est trop cher",
    "Des places de stationnement gratuites pour les voitures",
    "Un marché couvert sous une halle pour les jours de pluie",
    "Reconstruire la halle du marché",
    "Le marché du samedi sous une halle couverte",
    "Agrandir le marché et reconstruire la halle",
]


@pytest.fixture
def space():
    return SpaceFactory(title="Place du Marché", slug="place-du-marche")


@pytest.fixture
def module(space):
    return ParticipationModuleFactory(space=space, title="Idées pour la place")


@pytest.fixture
def items(module):
    return [ItemFactory(module=module, title=f"Idée {n}", body=text) for n, text in enumerate(TEXTS)]


@pytest.fixture
def manager(space):
    return make_space_role(space, "admin", pseudonym="gestionnaire")


@pytest.fixture
def resident():
    return UserFactory(pseudonym="habitante")


@pytest.fixture
def start(django_capture_on_commit_callbacks):
    """``synthesis_start`` with its task run (tasks run at once in the tests, once the transaction commits)."""
    from participe.synthesis import services

    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            synthesis = services.synthesis_start(**kwargs)
        synthesis.refresh_from_db()
        return synthesis

    return run


@pytest.fixture
def synthesis(items, manager, space, start):
    return start(actor=manager, space=space, title="Ce que vous avez dit")
