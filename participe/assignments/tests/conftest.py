"""Fixtures of routing to services: an item of the test-only module (its staff route it), a service and its
agent, the space's administrator."""

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
def module():
    return ParticipationModuleFactory(space=SpaceFactory(title="Budget participatif"), title="Idées du quartier")


@pytest.fixture
def item(module):
    return ItemFactory(module=module, title="Des bancs à l'ombre")


@pytest.fixture
def manager(module):
    """Administrator of the item's space: routes its items (the test resource names ``spaces.change_space``)."""
    return make_space_role(module.space, "admin", pseudonym="gestionnaire")


@pytest.fixture
def service():
    return ServiceFactory(name="Espaces verts")


@pytest.fixture
def agent(service):
    user = with_totp(UserFactory(pseudonym="agent-verts"))  # staff roles count with the second factor
    service.members.add(user)
    return user
