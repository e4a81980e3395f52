import pytest

from participe.core.registry import NotificationEvent, registry
from tests.factories import ItemFactory

TEST_EVENT = "notifications.test"


@pytest.fixture(autouse=True)
def test_event():
    """An ordinary event (messages to followers are always emailed at once, so they cannot test digests)."""
    registry.register_event(NotificationEvent(TEST_EVENT, "Événement de test"))
    yield TEST_EVENT
    registry._platform_events.pop(TEST_EVENT, None)


@pytest.fixture
def item(db):
    return ItemFactory()
