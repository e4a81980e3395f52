from unittest import mock

import pytest

from participe.spaces.models import SpaceMembership
from tests.factories import ItemFactory, make_org_admin, make_space_role


@pytest.fixture(autouse=True)
def notify():
    """notify() belongs to the notifications app: moderation only has to call it, after commit."""
    with mock.patch("participe.notifications.services.notify") as patched:
        yield patched


@pytest.fixture(autouse=True)
def index_object():
    with mock.patch("participe.search.services.index_object") as patched:
        yield patched


@pytest.fixture
def item(db):
    return ItemFactory()


@pytest.fixture
def org_admin(db):
    return make_org_admin(pseudonym="admin-mairie")


@pytest.fixture
def space_moderator(item):
    return make_space_role(item.module.space, SpaceMembership.Role.MODERATOR, pseudonym="moderatrice")
