"""Fixtures of the bilans: a published démarche with a module of the test type and a contribution, its
administrator (with the second factor), a resident."""

from __future__ import annotations

import pytest

from tests.factories import ItemFactory, ParticipationModuleFactory, SpaceFactory, UserFactory, make_space_role


@pytest.fixture
def space():
    return SpaceFactory(title="Place du Marché", slug="place")


@pytest.fixture
def module(space):
    return ParticipationModuleFactory(space=space, title="Idées pour la place")


@pytest.fixture
def item(module):
    return ItemFactory(module=module, title="Des arbres sur la place", author=UserFactory())


@pytest.fixture
def manager(space):
    return make_space_role(space, "admin", pseudonym="gestionnaire")


@pytest.fixture
def resident():
    return UserFactory(pseudonym="habitante")
