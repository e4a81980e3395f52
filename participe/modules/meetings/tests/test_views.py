"""Public pages and feeds of meetings: the agenda, a meeting (JSON-LD, the online link only for registered people),
registering without JavaScript, the .ics files and feeds parsed back with ``icalendar``."""

from __future__ import annotations

import datetime
import json
import re
from typing import Any

import icalendar
import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participe.modules.meetings import services
from participe.modules.meetings.models import Meeting, Registration
from participe.modules.meetings.tests.factories import (
    MeetingFactory,
    MeetingsModuleFactory,
    meeting_data,
    module_with_admin,
)
from participe.spaces.models import Space
from tests.factories import SpaceFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def _events(body: bytes) -> list[Any]:
    return list(icalendar.Calendar.from_ical(body).walk("VEVENT"))


def test_the_agenda_lists_upcoming_public_meetings_only(client: Client) -> None:
    public = MeetingFactory(title="Atelier public")
    MeetingFactory(
        title="Réunion d'un espace privé",
        module=MeetingsModuleFactory(space=SpaceFactory(visibility=Space.Visibility.PRIVATE)),
    )
    MeetingFactory(title="Brouillon caché", module=public.module, status=Meeting.Status.DRAFT)
    MeetingFactory(title="Déjà passée", module=public.module, start=timezone.now() - datetime.timedelta(days=3))
    page = client.get(reverse("agenda:list")).content.decode()
    assert "Atelier public" in page
    assert "espace privé" not in page and "Brouillon caché" not in page and "Déjà passée" not in page
    past = client.get(reverse("agenda:list") + "?quand=passees").content.decode()
    assert "Déjà passée" in past and "Atelier public" not in past


def test_the_agenda_filters_by_territory_with_what_it_holds(client: Client) -> None:
    commune = TerritoryFactory(kind="commune")
    quartier = TerritoryFactory(parent=commune)
    MeetingFactory(title="Au quartier", territory=quartier)
    MeetingFactory(title="Ailleurs", territory=TerritoryFactory())
    page = client.get(reverse("agenda:list"), {"territoire": commune.slug}).content.decode()
    assert "Au quartier" in page and "Ailleurs" not in page
    bad = client.get(reverse("agenda:list"), {"territoire": "inconnu"})
    assert bad.status_code == 200 and "Au quartier" in bad.content.decode()


def test_the_agenda_pages_with_a_cursor_and_survives_a_bad_one(client: Client) -> None:
    module = MeetingsModuleFactory()
    for day in range(25):
        MeetingFactory(
            module=module, title=f"Réunion du jour {day:02d}", start=timezone.now() + datetime.timedelta(days=day + 1)
        )
    first = client.get(reverse("agenda:list")).content.decode()
    assert "Réunion du jour 00" in first and "Réunion du jour 24" not in first
    cursor = re.search(r'href="\?[^"]*apres=([^"&]+)', first)
    assert cursor is not None
    second = client.get(reverse("agenda:list") + "?apres=" + cursor.group(1)).content.decode()
    assert "Réunion du jour 24" in second and "Réunion du jour 00" not in second
    assert client.get(reverse("agenda:list") + "?apres=nimportequoi").status_code == 200


def test_the_month_view_shows_the_days_meetings(client: Client) -> None:
    start = timezone.make_aware(datetime.datetime(2031, 3, 12, 18, 30))
    MeetingFactory(title="Conseil de mars", start=start)
    page = client.get(reverse("agenda:month"), {"mois": "2031-03"}).content.decode()
    assert "Conseil de mars" in page and re.search(r"18\W*h\W*30 Conseil de mars", page.replace("\n", " "))
    assert client.get(reverse("agenda:month"), {"mois": "2031-13"}).status_code == 200


def test_a_meeting_page_has_its_schema_org_event(client: Client) -> None:
    meeting = MeetingFactory(capacity=10, registration_enabled=True, latitude=49.25, longitude=4.03)
    page = client.get(meeting.get_absolute_url()).content.decode()
    found = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert found is not None
    data = json.loads(found.group(1))
    assert data["@type"] == "Event" and data["name"] == meeting.title
    assert data["eventStatus"] == "https://schema.org/EventScheduled"
    assert data["location"]["geo"]["latitude"] == 49.25
    assert data["startDate"].endswith(("+01:00", "+02:00"))
    assert data["remainingAttendeeCapacity"] == 10


def test_a_title_cannot_break_out_of_the_json_ld(client: Client) -> None:
    meeting = MeetingFactory(title="</script><script>alert(1)</script>")
    page = client.get(meeting.get_absolute_url()).content.decode()
    assert "</script><script>alert(1)" not in page


def test_the_online_link_is_for_registered_people_shortly_before(client: Client) -> None:
    soon = timezone.now() + datetime.timedelta(minutes=10)
    meeting = MeetingFactory(
        format=Meeting.Format.ONLINE,
        online_url="https://visio.example.org/salle",
        registration_enabled=True,
        start=soon,
    )
    assert "visio.example.org" not in client.get(meeting.get_absolute_url()).content.decode()
    resident = UserFactory()
    services.registration_create(actor=resident, meeting=meeting)
    client.force_login(resident)
    assert "https://visio.example.org/salle" in client.get(meeting.get_absolute_url()).content.decode()
    later = MeetingFactory(
        module=meeting.module,
        format=Meeting.Format.ONLINE,
        online_url="https://visio.example.org/plus-tard",
        registration_enabled=True,
    )
    services.registration_create(actor=resident, meeting=later)
    page = client.get(later.get_absolute_url()).content.decode()
    assert "plus-tard" not in page and "s’affichera ici" in page


def test_registering_and_cancelling_without_javascript(client: Client) -> None:
    module, _admin = module_with_admin()
    meeting = MeetingFactory(module=module, registration_enabled=True, capacity=1, questions="Régime alimentaire")
    url = reverse("spaces:meetings:register", args=[module.space.slug, module.slug, meeting.pk])
    assert client.post(url).status_code == 302  # to the login page
    resident = UserFactory()
    client.force_login(resident)
    too_long = client.post(url, {"q0": "x" * 501})
    assert too_long.status_code == 400 and "x" * 501 in too_long.content.decode()  # what was typed is kept
    assert not Registration.objects.exists()
    response = client.post(url, {"q0": "végétarien"}, follow=True)
    registration = Registration.objects.get(user=resident)
    assert registration.answers == {"Régime alimentaire": "végétarien"}
    assert registration.code in response.content.decode()
    cancel = reverse("spaces:meetings:cancel", args=[module.space.slug, module.slug, meeting.pk])
    client.post(cancel)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_answers_are_shown_to_organisers_only(client: Client) -> None:
    module, _admin = module_with_admin()
    meeting = MeetingFactory(module=module, registration_enabled=True, questions="Régime alimentaire")
    resident = UserFactory()
    services.registration_create(actor=resident, meeting=meeting, answers={"Régime alimentaire": "sans arachides"})
    client.force_login(UserFactory())
    assert "sans arachides" not in client.get(meeting.get_absolute_url()).content.decode()
    assert client.get(reverse("backoffice:meetings:registrations", args=[meeting.pk])).status_code == 403


def test_a_meeting_ics_parses_back_with_its_time_zone(client: Client) -> None:
    start = timezone.make_aware(datetime.datetime(2031, 7, 14, 18, 30))
    meeting = MeetingFactory(start=start, end=start + datetime.timedelta(hours=2), title="Réunion d'été")
    response = client.get(meeting.get_absolute_url() + "reunion.ics")
    assert response["Content-Type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.content)
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    (event,) = _events(response.content)
    assert str(event["SUMMARY"]) == "Réunion d'été"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART").hour == 18 and event.decoded("DTSTART").utcoffset() == datetime.timedelta(hours=2)
    assert str(event["STATUS"]) == "CONFIRMED"


def test_the_organisation_feed_marks_cancelled_meetings(client: Client) -> None:
    module, admin = module_with_admin()
    kept = services.meeting_save(actor=admin, module=module, data=meeting_data(title="Maintenue"))
    cancelled = services.meeting_save(actor=admin, module=module, data=meeting_data(title="Annulée"))
    services.meeting_cancel(actor=admin, meeting=cancelled, reason="Salle inondée")
    MeetingFactory(
        title="Privée", module=MeetingsModuleFactory(space=SpaceFactory(visibility=Space.Visibility.PRIVATE))
    )
    response = client.get("/agenda.ics")
    assert response.status_code == 200
    events = {str(e["SUMMARY"]): e for e in _events(response.content)}
    assert set(events) == {"Maintenue", "Annulée"}
    assert str(events["Annulée"]["STATUS"]) == "CANCELLED" and int(events["Annulée"]["SEQUENCE"]) == 1
    assert "Salle inondée" in str(events["Annulée"]["DESCRIPTION"])
    assert str(events["Maintenue"]["UID"]) == f"meeting-{kept.pk}@127.0.0.1:8000" or "@" in str(
        events["Maintenue"]["UID"]
    )


def test_space_and_territory_feeds(client: Client) -> None:
    quartier = TerritoryFactory()
    here = MeetingFactory(title="Ici", territory=quartier)
    MeetingFactory(title="Là")
    space_feed = client.get(reverse("agenda:space_feed", args=[here.module.space.slug]))
    assert [str(e["SUMMARY"]) for e in _events(space_feed.content)] == ["Ici"]
    territory_feed = client.get(reverse("agenda:territory_feed", args=[quartier.slug]))
    assert [str(e["SUMMARY"]) for e in _events(territory_feed.content)] == ["Ici"]
    assert client.get(reverse("agenda:territory_feed", args=["inconnu"])).status_code == 404


def test_a_private_space_has_no_public_feed(client: Client) -> None:
    private = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    MeetingFactory(title="Séance du jury", module=MeetingsModuleFactory(space=private))
    response = client.get(reverse("agenda:space_feed", args=[private.slug]))
    assert response.status_code == 403
    assert "réservée à ses membres" in response.content.decode()
    assert response["Content-Type"].startswith("text/plain")


def test_a_private_meeting_page_asks_to_sign_in(client: Client) -> None:
    private = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    meeting = MeetingFactory(module=MeetingsModuleFactory(space=private))
    response = client.get(meeting.get_absolute_url())
    assert response.status_code == 302 and "/compte/" in response["Location"]
