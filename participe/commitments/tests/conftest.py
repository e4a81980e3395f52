"""Fixtures of the commitments: a published démarche with an item of the test module, its administrator, a
service of the collectivité and its agent, a resident who follows."""

from __future__ import annotations

import pytest

from tests.factories import (
    ItemFactory,
    ParticipationModuleFactory,
    ServiceFactory,
    SpaceFactory,
    UserFactory,
    make_space_role,
    with_totp,
)


@pytest.fixture
def space():
    return SpaceFactory(title="Place du Marché")


@pytest.fixture
def module(space):
    return ParticipationModuleFactory(space=space, title="Idées pour la place")


@pytest.fixture
def item(module):
    return ItemFactory(module=module, title="Des arbres sur la place")


@pytest.fixture
def manager(space):
    return make_space_role(space, "admin", pseudonym="gestionnaire")


@pytest.fixture
def service():
    return ServiceFactory(name="Espaces verts")


@pytest.fixture
def agent(service):
    user = with_totp(UserFactory(pseudonym="agent-verts"))
    service.members.add(user)
    return user


@pytest.fixture
def resident():
    return UserFactory(pseudonym="habitante")
