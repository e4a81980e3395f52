"""API: the queue of the caller's services and their figures (/api/v1/assignments/)."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from participe.assignments.tests.factories import AssignmentFactory
from tests.factories import ItemFactory, ServiceFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db
BASE = "/api/v1/assignments"


@pytest.fixture
def api(client, agent):
    client.force_login(agent)
    return client


def test_anonymous_callers_and_residents_are_refused(client):
    assert client.get(f"{BASE}/").status_code == 401
    client.force_login(UserFactory())
    assert client.get(f"{BASE}/").status_code == 403
    assert client.get(f"{BASE}/services").status_code == 403


def test_the_queue_of_the_caller_s_services(api, service, item):
    now = timezone.now()
    proposal = ItemFactory(title="Un composteur")
    AssignmentFactory(item=proposal, service=service, due_at=now - datetime.timedelta(days=2))
    AssignmentFactory(item=item, service=service)
    AssignmentFactory(item=ItemFactory(), service=ServiceFactory())
    body = api.get(f"{BASE}/", {"limit": 1}).json()
    [first] = body["items"]
    assert first["item"]["type"] == "testapp.Item" and first["item"]["title"] == "Un composteur"
    assert first["item"]["url"].endswith(proposal.get_backoffice_url()) and first["overdue"] is True
    assert first["service"] == "Espaces verts" and first["space"] == proposal.module.space.title
    rest = api.get(f"{BASE}/", {"limit": 1, "cursor": body["next_cursor"]}).json()
    assert [a["item"]["title"] for a in rest["items"]] == ["Des bancs à l'ombre"] and rest["next_cursor"] is None
    assert [a["item"]["title"] for a in api.get(f"{BASE}/", {"overdue": True}).json()["items"]] == ["Un composteur"]
    assert api.get(f"{BASE}/", {"status": "done"}).json()["items"] == []


def test_bad_parameters_are_explained(api):
    assert api.get(f"{BASE}/", {"status": "maybe"}).status_code == 400
    assert api.get(f"{BASE}/", {"limit": 1000}).status_code == 400
    assert api.get(f"{BASE}/", {"older_than_days": 0}).status_code == 400


def test_the_figures_of_each_service(api, service, item, client):
    AssignmentFactory(item=item, service=service, due_at=timezone.now() - datetime.timedelta(days=1))
    assert api.get(f"{BASE}/services").json() == [
        {"id": service.pk, "name": "Espaces verts", "open": 1, "overdue": 1, "done": 0}
    ]
    client.force_login(make_org_admin())
    ServiceFactory(name="Voirie")
    assert [s["name"] for s in client.get(f"{BASE}/services").json()] == ["Espaces verts", "Voirie"]
