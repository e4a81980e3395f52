"""The meetings' API: the agenda (filters, pages), a meeting, registering and cancelling, the organisers' list."""

from __future__ import annotations

import datetime

import pytest
from django.test import Client
from django.utils import timezone

from participe.modules.meetings import services
from participe.modules.meetings.tests.factories import MeetingFactory, MeetingsModuleFactory, module_with_admin
from participe.spaces.models import Space
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_the_agenda_lists_visible_meetings_by_pages(client: Client) -> None:
    module = MeetingsModuleFactory()
    for day in range(3):
        MeetingFactory(module=module, title=f"Réunion {day}", start=timezone.now() + datetime.timedelta(days=day + 1))
    MeetingFactory(module=MeetingsModuleFactory(space=SpaceFactory(visibility=Space.Visibility.PRIVATE)))
    first = client.get("/api/v1/meetings/meetings", {"limit": 2}).json()
    assert [m["title"] for m in first["items"]] == ["Réunion 0", "Réunion 1"]
    second = client.get("/api/v1/meetings/meetings", {"limit": 2, "cursor": first["next_cursor"]}).json()
    assert [m["title"] for m in second["items"]] == ["Réunion 2"] and second["next_cursor"] is None
    # A filter naming nothing is a 400 with its reason, like the proposals' (the 422 body is the validation list).
    bad = client.get("/api/v1/meetings/meetings", {"kind": "concert"})
    assert bad.status_code == 400 and bad.json()["detail"].startswith("kind: one of")
    bad = client.get("/api/v1/meetings/meetings", {"territory": "inconnu"})
    assert bad.status_code == 400 and bad.json()["detail"] == "territory: no territory has this slug"
    assert client.get("/api/v1/meetings/meetings", {"cursor": "abc"}).status_code == 400


def test_a_meeting_and_its_registration(client: Client) -> None:
    meeting = MeetingFactory(registration_enabled=True, capacity=1, questions="Régime alimentaire")
    detail = client.get(f"/api/v1/meetings/meetings/{meeting.pk}").json()
    assert detail["questions"] == ["Régime alimentaire"] and detail["ics_url"].endswith("reunion.ics")
    url = f"/api/v1/meetings/meetings/{meeting.pk}/registrations"
    assert client.post(url, {}, content_type="application/json").status_code == 401
    first, second = UserFactory(), UserFactory()
    client.force_login(first)
    seated = client.post(url, {"answers": {"Régime alimentaire": "vegan"}}, content_type="application/json")
    assert seated.status_code == 201 and seated.json()["status"] == "confirmee"
    client.force_login(second)
    waiting = client.post(url, {}, content_type="application/json").json()
    assert waiting["status"] == "attente" and waiting["waiting_position"] == 1
    client.force_login(first)
    assert client.delete(url + "/mine").json()["status"] == "annulee"
    client.force_login(second)
    assert client.post(url, {}, content_type="application/json").json()["status"] == "confirmee"


def test_a_refusal_says_why(client: Client) -> None:
    meeting = MeetingFactory(registration_enabled=False)
    client.force_login(UserFactory())
    response = client.post(f"/api/v1/meetings/meetings/{meeting.pk}/registrations", {}, content_type="application/json")
    assert response.status_code == 403
    assert response.json()["reasons"][0]["code"] == "registration_not_required"


def test_the_answers_are_for_the_organisers(client: Client) -> None:
    module, admin = module_with_admin()
    meeting = MeetingFactory(module=module, registration_enabled=True, questions="Régime alimentaire")
    services.registration_create(actor=UserFactory(), meeting=meeting, answers={"Régime alimentaire": "halal"})
    url = f"/api/v1/meetings/meetings/{meeting.pk}/registrations"
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403
    client.force_login(admin)
    rows = client.get(url).json()
    assert rows[0]["answers"] == {"Régime alimentaire": "halal"}
