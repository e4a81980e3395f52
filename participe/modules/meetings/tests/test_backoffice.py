"""The meetings' back-office: announcing (bad input kept), cancelling, registering by phone, minutes, contributions."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participe.links.selectors import derived_from
from participe.modules.meetings.models import Meeting, Registration
from participe.modules.meetings.tests.factories import MeetingFactory, module_with_admin
from participe.spaces.models import SpaceMembership
from tests.factories import ItemFactory, ParticipationModuleFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db


def _form(**changes: str) -> dict[str, str]:
    start = timezone.localtime() + datetime.timedelta(days=3)
    data = {
        "title": "Atelier vélo",
        "kind": "atelier",
        "status": "publiee",
        "description": "<p>Réparer son vélo.</p>",
        "start": start.strftime("%Y-%m-%dT%H:%M"),
        "end": (start + datetime.timedelta(hours=2)).strftime("%Y-%m-%dT%H:%M"),
        "format": "presentiel",
        "place_name": "Atelier municipal",
        "address": "2 rue du Port",
        "registration_enabled": "on",
        "capacity": "10",
        "questions": "Votre vélo a-t-il un problème précis ?",
    }
    data.update(changes)
    return data


def test_an_organiser_announces_a_meeting_and_bad_input_is_kept(client: Client) -> None:
    module, admin = module_with_admin()
    client.force_login(admin)
    url = reverse("backoffice:meetings:create", args=[module.pk])
    assert client.get(url).status_code == 200
    bad = client.post(url, _form(address="", place_name=""))
    assert bad.status_code == 200 and "Indiquez le lieu d&#x27;une réunion sur place." in bad.content.decode()
    assert "Atelier vélo" in bad.content.decode() and not Meeting.objects.exists()
    response = client.post(url, _form())
    meeting = Meeting.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse(
        "backoffice:meetings:edit", args=[meeting.pk]
    )
    assert meeting.capacity == 10 and meeting.created_by == admin


def test_a_moderator_of_the_space_does_not_organise(client: Client) -> None:
    module, _admin = module_with_admin()
    client.force_login(make_space_role(module.space, SpaceMembership.Role.MODERATOR))
    assert client.get(reverse("backoffice:meetings:create", args=[module.pk])).status_code == 403


def test_cancel_registrations_by_phone_and_the_door(client: Client) -> None:
    module, admin = module_with_admin()
    meeting = MeetingFactory(module=module, registration_enabled=True, capacity=5, questions="Régime")
    client.force_login(admin)
    url = reverse("backoffice:meetings:registrations", args=[meeting.pk])
    client.post(url, {"action": "phone", "name": "Yvette Lambert", "phone": "03 26 00 00 01", "q0": "sans sel"})
    registration = Registration.objects.get(name="Yvette Lambert")
    assert registration.answers == {"Régime": "sans sel"} and registration.registered_by == admin
    page = client.get(url).content.decode()
    assert "Yvette Lambert" in page and "sans sel" in page and registration.code in page
    client.post(url, {"action": "check_in", "code": registration.code.lower()})
    registration.refresh_from_db()
    assert registration.checked_in_at is not None
    unknown = client.post(url, {"action": "check_in", "code": "ZZZZZZ"})
    assert unknown.status_code == 400 and "Aucune inscription avec le code ZZZZZZ." in unknown.content.decode()
    cancel = reverse("backoffice:meetings:cancel", args=[meeting.pk])
    assert client.post(cancel, {"reason": ""}).status_code == 200
    client.post(cancel, {"reason": "Salle indisponible"})
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.cancellation_reason == "Salle indisponible"


def test_minutes_and_contributions_of_a_past_meeting(client: Client) -> None:
    module, admin = module_with_admin()
    meeting = MeetingFactory(module=module, start=timezone.now() - datetime.timedelta(days=1))
    idea = ItemFactory(module=ParticipationModuleFactory(space=module.space), title="Des bancs place du Marché")
    client.force_login(admin)
    client.post(
        reverse("backoffice:meetings:minutes", args=[meeting.pk]),
        {"minutes": "<p>Trente habitants présents.</p>", "attendees_count": "30"},
    )
    meeting.refresh_from_db()
    assert meeting.attendees_count == 30 and "Trente habitants" in meeting.minutes
    contributions = reverse("backoffice:meetings:contributions", args=[meeting.pk])
    page = client.get(contributions).content.decode()
    assert "Des bancs place du Marché" in page
    key = re.search(r'name="item" value="([0-9]+:[0-9]+)"', page)
    assert key is not None
    client.post(contributions, {"item": key.group(1)})
    assert derived_from(meeting, admin) == [idea]
    public = Client().get(meeting.get_absolute_url()).content.decode()
    assert "Trente habitants présents." in public and "30 participants." in public
    assert "Des bancs place du Marché" in public
    assert client.post(contributions, {"item": "999:999"}).status_code == 404


def test_the_index_lists_the_modules_the_agent_runs(client: Client) -> None:
    module, admin = module_with_admin()
    MeetingFactory(module=module, title="Réunion de quartier")
    client.force_login(admin)
    page = client.get(reverse("backoffice:meetings:index")).content.decode()
    assert "Réunion de quartier" in page
    client.force_login(UserFactory())
    assert client.get(reverse("backoffice:meetings:index")).status_code == 403
