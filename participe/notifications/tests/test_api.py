"""API: my notifications, unread count, mark read, follow and unfollow."""

import pytest
from django.contrib.contenttypes.models import ContentType

from participe.notifications import services
from participe.notifications.models import Notification
from participe.notifications.tests.factories import following
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT = "notifications.test"
BASE = "/api/v1/notifications"


@pytest.fixture
def user(item):
    return following(item)


@pytest.fixture
def api(client, user):
    client.force_login(user)
    return client


def test_anonymous_callers_are_refused(client):
    assert client.get(f"{BASE}/").status_code == 401


def test_list_unread_and_mark_read(api, item):
    services.notify(event=EVENT, target=item, context={"reason": "Hors sujet"})
    body = api.get(f"{BASE}/").json()
    assert body["unread"] == 1 and body["next_cursor"] is None
    [entry] = body["items"]
    assert entry["event"] == EVENT and entry["target"] == item.title and entry["read"] is False
    assert entry["url"].startswith("http") and "Motif : Hors sujet" in entry["details"]
    assert api.get(f"{BASE}/unread").json() == {"unread": 1}
    assert api.post(f"{BASE}/{entry['id']}/read").json()["read"] is True
    assert api.get(f"{BASE}/unread").json() == {"unread": 0}


def test_someone_elses_notification_is_not_found(client, item, user):
    services.notify(event=EVENT, target=item)
    client.force_login(UserFactory())
    assert client.post(f"{BASE}/{Notification.objects.get().pk}/read").status_code == 404


def test_read_all_and_pagination(api, item):
    for _ in range(3):
        services.notify(event=EVENT, target=item)
    page = api.get(f"{BASE}/?limit=2").json()
    assert len(page["items"]) == 2 and page["next_cursor"]
    rest = api.get(f"{BASE}/?limit=2&cursor={page['next_cursor']}").json()
    assert len(rest["items"]) == 1
    assert api.get(f"{BASE}/?limit=500").status_code == 400
    assert api.post(f"{BASE}/read-all").json() == {"unread": 0}


def test_follow_and_unfollow(client, item):
    client.force_login(UserFactory())
    payload = {"content_type_id": ContentType.objects.get_for_model(item).pk, "object_id": item.pk}
    response = client.post(f"{BASE}/follows", payload, content_type="application/json")
    assert response.json() == {"following": True, "followers": 1}
    response = client.post(f"{BASE}/follows/delete", payload, content_type="application/json")
    assert response.json() == {"following": False, "followers": 0}


def test_following_something_hidden_or_unknown_is_not_found(client):
    user = UserFactory()
    client.force_login(user)
    private = SpaceFactory(visibility="private")
    for payload in (
        {"content_type_id": ContentType.objects.get_for_model(private).pk, "object_id": private.pk},
        {"content_type_id": ContentType.objects.get_for_model(user).pk, "object_id": user.pk},
        {"content_type_id": 99999, "object_id": 1},
    ):
        assert client.post(f"{BASE}/follows", payload, content_type="application/json").status_code == 404
