"""/api/v1/supports/: state (public), support and withdraw (session + CSRF), my supports in a module."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from participe.supports import services
from participe.supports.models import Support
from participe.supports.tests.factories import limited_module
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def path(item):
    return f"/api/v1/supports/{ContentType.objects.get_for_model(item).pk}/{item.pk}"


def test_the_state_is_public(client):
    item = ItemFactory()
    services.support_add(actor=UserFactory(), target=item)
    data = client.get(path(item)).json()
    assert data["supports_count"] == 1 and data["supported"] is False and data["supports_left"] is None


def test_support_and_withdraw(client):
    module = limited_module(2)
    item, user = ItemFactory(module=module), UserFactory()
    client.force_login(user)
    response = client.post(path(item))
    assert response.status_code == 200
    assert response.json() == {
        "content_type_id": ContentType.objects.get_for_model(item).pk,
        "object_id": item.pk,
        "supports_count": 1,
        "supported": True,
        "supports_left": 1,
        "supports_limit": 2,
    }
    assert client.post(path(item)).json()["supports_count"] == 1  # idempotent
    response = client.delete(path(item))
    assert response.status_code == 200 and response.json()["supported"] is False
    assert not Support.objects.exists()


def test_writes_need_a_session(client):
    assert client.post(path(ItemFactory())).status_code == 401


def test_writes_need_the_csrf_token():
    client = Client(enforce_csrf_checks=True)
    client.force_login(UserFactory())
    assert client.post(path(ItemFactory())).status_code == 403
    assert not Support.objects.exists()


def test_the_limit_answers_409_with_its_message(client):
    module = limited_module(1)
    user = UserFactory()
    services.support_add(actor=user, target=ItemFactory(module=module))
    client.force_login(user)
    response = client.post(path(ItemFactory(module=module)))
    assert response.status_code == 409
    assert "retirez-le" in response.json()["detail"]
    (reason,) = response.json()["reasons"]
    assert reason["code"] == "limit_reached" and reason["action_url"] == f"/soutiens/module/{module.pk}/"


def test_a_closed_phase_answers_403(client):
    item = ItemFactory()
    item.module.phases.update(phase_type="information")
    client.force_login(UserFactory())
    response = client.post(path(item))
    assert response.status_code == 403
    assert response.json() == {
        "detail": "Les soutiens ne sont pas ouverts pendant cette étape.",
        "reasons": [
            {
                "code": "phase_closed",
                "message": "Les soutiens ne sont pas ouverts pendant cette étape.",
                "action_url": None,
            }
        ],
    }
    assert client.delete(path(item)).status_code == 403


def test_an_unknown_target_is_404(client):
    item = ItemFactory()
    assert (
        client.get(f"/api/v1/supports/{ContentType.objects.get_for_model(item).pk}/{item.pk + 99}").status_code == 404
    )
    module_type = ContentType.objects.get_for_model(item.module).pk
    assert client.get(f"/api/v1/supports/{module_type}/{item.module.pk}").status_code == 404


def test_my_supports_in_a_module(client):
    module = limited_module(3)
    user = UserFactory()
    item = ItemFactory(module=module, title="Un jardin partagé")
    services.support_add(actor=user, target=item)
    client.force_login(user)
    data = client.get(f"/api/v1/supports/modules/{module.pk}/mine").json()
    assert data["supports_limit"] == 3 and data["supports_used"] == 1 and data["supports_left"] == 2
    assert [i["title"] for i in data["items"]] == ["Un jardin partagé"]
    assert data["items"][0]["url"].startswith("http")


def test_the_routes_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert {"get", "post", "delete"} <= set(paths["/api/v1/supports/{content_type_id}/{object_id}"])
    assert "/api/v1/supports/modules/{module_id}/mine" in paths
