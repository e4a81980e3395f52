"""Fixtures of the audience counter: an empty buffer and memory for each test, a browser's user agent, a published
space with a module."""

from __future__ import annotations

import pytest
from django.core.cache import caches

from participe.audience.counter import recorder
from tests.factories import ModuleFactory, ParticipationModuleFactory, SpaceFactory

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/18.1 Mobile/15E148 Safari/604.1"
)


@pytest.fixture(autouse=True)
def _empty_counter():
    recorder.hits.clear()
    recorder.pending = {}
    caches["audience"].clear()
    yield
    recorder.hits.clear()
    recorder.pending = {}
    caches["audience"].clear()


@pytest.fixture
def space():
    return SpaceFactory(title="Place du Marché", slug="place")


@pytest.fixture
def module(space):
    """A module with a public page (the « page » type)."""
    return ModuleFactory(space=space, module_type="page", title="Présentation", slug="presentation")


@pytest.fixture
def ideas(space):
    """A module whose items are contributions (the tests' module type)."""
    return ParticipationModuleFactory(space=space, title="Idées pour la place", slug="idees")


def read(client, path, agent=FIREFOX, **headers):
    """A GET as a browser at ``agent`` asks for it."""
    return client.get(path, HTTP_USER_AGENT=agent, **headers)
