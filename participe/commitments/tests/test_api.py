"""The commitments' API."""

from __future__ import annotations

import pytest

from participe.commitments.models import Commitment
from participe.commitments.tests.factories import CommitmentFactory, CommitmentUpdateFactory

pytestmark = pytest.mark.django_db
URL = "/api/v1/commitments/"


def test_the_list_has_filters_and_an_overview(client, space):
    CommitmentFactory(space=space, title="Bancs", status="works")
    CommitmentFactory(space=space, title="Fontaine", status="done", progress=100)
    CommitmentFactory(space=space, title="Secret", is_published=False)
    body = client.get(URL).json()
    assert {c["title"] for c in body["items"]} == {"Bancs", "Fontaine"}
    assert body["overview"]["total"] == 2 and body["overview"]["done"] == 1
    assert [c["title"] for c in client.get(URL, {"status": "works"}).json()["items"]] == ["Bancs"]
    assert client.get(URL, {"status": "nope"}).status_code == 400


def test_a_commitment_with_its_steps(client, space):
    commitment = CommitmentFactory(space=space)
    CommitmentUpdateFactory(commitment=commitment, text="Commencé")
    body = client.get(f"{URL}{commitment.pk}").json()
    assert body["updates"][0]["text"] == "Commencé"
    hidden = CommitmentFactory(space=space, is_published=False)
    assert client.get(f"{URL}{hidden.pk}").status_code == 404


def test_the_manager_creates_and_the_agent_adds_a_step(client, manager, agent, service, space):
    client.force_login(manager)
    response = client.post(
        URL,
        {"space": space.pk, "title": "Kiosque", "service": service.pk, "budget": "1200.5"},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    bad = client.post(URL, {"space": space.pk, "title": ""}, content_type="application/json")
    assert bad.status_code == 400 and "title" in bad.json()["detail"]
    client.force_login(agent)
    step = client.post(f"{URL}{pk}/updates", {"text": "Commandé", "progress": 20}, content_type="application/json")
    assert step.status_code == 201
    status = client.post(f"{URL}{pk}/status", {"status": "abandoned"}, content_type="application/json")
    assert status.status_code == 400
    assert Commitment.objects.get(pk=pk).progress == 20


def test_a_resident_is_refused_with_the_reason(client, resident, space):
    client.force_login(resident)
    response = client.post(URL, {"space": space.pk, "title": "Kiosque"}, content_type="application/json")
    assert response.status_code == 403 and response.json()["reasons"][0]["code"] == "not_manager"
