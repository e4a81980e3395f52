"""Journeys: meetings (issue #15). On a phone, a resident finds a full workshop in the agenda, answers its question
and joins the waiting list; the person holding the seat cancels on a desktop; the resident is promoted, told, and
reads their registration code. A visitor subscribes to the agenda's feed: the test fetches the link the page gives
and parses it with ``icalendar`` (Europe/Paris with its VTIMEZONE, a cancelled meeting as STATUS:CANCELLED). The
organiser reads the answers in the back-office and registers someone who called. axe-core on every page."""

from __future__ import annotations

import datetime
import re
from typing import Any

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from participe.modules.meetings import services
from participe.modules.meetings.models import Registration
from participe.modules.meetings.tests.factories import meeting_data, module_with_admin
from participe.notifications.models import Notification
from tests.browser.conftest import MOBILE
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _workshop() -> tuple[Any, Any, Any]:
    module, admin = module_with_admin(title="Réaménagement de la place du Marché", slug="place-du-marche")
    start = timezone.localtime() + datetime.timedelta(days=4)
    start = start.replace(hour=18, minute=30, second=0, microsecond=0)
    workshop = services.meeting_save(
        actor=admin,
        module=module,
        data=meeting_data(
            title="Atelier : dessiner la place de demain",
            start=start,
            end=start + datetime.timedelta(hours=2),
            capacity=1,
            questions="Régime alimentaire (un buffet est offert)",
        ),
    )
    cancelled = services.meeting_save(
        actor=admin, module=module, data=meeting_data(title="Réunion publique : diagnostic", registration_enabled=False)
    )
    services.meeting_cancel(actor=admin, meeting=cancelled, reason="Reportée pour cause d'intempéries")
    return module, admin, workshop


def test_a_resident_waits_for_a_full_workshop_and_is_promoted(live_server: Any, new_context: Any) -> None:
    _module, admin, workshop = _workshop()
    holder = UserFactory(pseudonym="Jeanne")
    services.registration_create(actor=holder, meeting=workshop)
    resident = UserFactory(pseudonym="Lou")
    server = live_server.url

    phone = new_context(**MOBILE).new_page()
    log_in(phone, server, resident.email)
    phone.goto(f"{server}/agenda/")
    expect(phone.get_by_role("heading", name="Agenda des réunions")).to_be_visible()
    assert_accessible(phone)
    expect(phone.get_by_text("Complet : liste d'attente")).to_be_visible()
    phone.get_by_role("link", name="Atelier : dessiner la place de demain").click()
    expect(phone.get_by_role("heading", name="Atelier : dessiner la place de demain")).to_be_visible()
    expect(phone.get_by_text("La réunion est complète : en vous inscrivant")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_label("Régime alimentaire (un buffet est offert)").fill("Végétarien")
    phone.get_by_role("button", name="M’inscrire sur la liste d’attente").click()
    expect(phone.get_by_text("Vous êtes en liste d’attente (position 1).")).to_be_visible()
    assert_accessible(phone)
    registration = Registration.objects.get(user=resident)
    assert registration.status == Registration.Status.WAITING
    assert registration.answers == {"Régime alimentaire (un buffet est offert)": "Végétarien"}

    # The person holding the seat cancels, on a desktop.
    desktop = new_context().new_page()
    log_in(desktop, server, holder.email)
    desktop.goto(server + workshop.get_absolute_url())
    expect(desktop.get_by_text("Vous êtes inscrit·e.")).to_be_visible()
    desktop.get_by_role("button", name="Annuler mon inscription").click()
    expect(desktop.get_by_text("Votre inscription est annulée.")).to_be_visible()
    assert_accessible(desktop)

    # The resident got the seat, is told, and reads the code to give at the door.
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED
    assert Notification.objects.filter(recipient=resident, event="meetings.promoted").count() == 1
    phone.reload()
    expect(phone.get_by_text("Vous êtes inscrit·e.")).to_be_visible()
    expect(phone.locator(".meeting__code")).to_have_text(registration.code)
    phone.goto(f"{server}/notifications/")
    expect(phone.get_by_text("Atelier : dessiner la place de demain").first).to_be_visible()
    assert_accessible(phone)

    # The organiser reads the answers and registers someone who called.
    organiser = new_context().new_page()
    log_in(organiser, server, admin.email, totp=True)
    organiser.goto(server + workshop.get_absolute_url())
    organiser.get_by_role("link", name="Gérer la réunion").click()
    assert_accessible(organiser)
    organiser.get_by_role("link", name="Inscriptions").first.click()
    expect(organiser.get_by_role("cell", name="Végétarien")).to_be_visible()
    assert_accessible(organiser)
    organiser.get_by_label(re.compile("^Nom et prénom")).fill("Marcel Dupont")
    organiser.get_by_role("button", name="Inscrire", exact=True).click()
    expect(organiser.get_by_label(re.compile("^Nom et prénom"))).to_have_value("Marcel Dupont")  # kept with the error
    expect(organiser.get_by_text("Indiquez un téléphone ou une adresse électronique")).to_be_visible()
    organiser.get_by_label(re.compile("^Téléphone")).fill("03 26 00 00 00")
    organiser.get_by_role("button", name="Inscrire", exact=True).click()
    expect(organiser.get_by_role("row", name=re.compile("Marcel Dupont.*en liste d'attente", re.I))).to_be_visible()
    assert_accessible(organiser)


def test_a_visitor_subscribes_to_the_agenda_feed(live_server: Any, new_context: Any) -> None:
    _module, _admin, workshop = _workshop()
    server = live_server.url
    page = new_context().new_page()
    page.goto(f"{server}/agenda/")
    assert_accessible(page)
    page.get_by_role("link", name="Mois").click()
    expect(page.get_by_role("link", name=re.compile("Atelier : dessiner la place de demain"))).to_be_visible()
    assert_accessible(page)
    feed = page.get_by_role("link", name="S’abonner à cet agenda (iCalendar)")
    href = feed.get_attribute("href")
    assert href == "/agenda.ics"
    response = page.request.get(server + href)
    assert response.ok and response.headers["content-type"].startswith("text/calendar")
    calendar = icalendar.Calendar.from_ical(response.body())
    assert [tz["TZID"] for tz in calendar.walk("VTIMEZONE")] == ["Europe/Paris"]
    events = {str(e["SUMMARY"]): e for e in calendar.walk("VEVENT")}
    event = events["Atelier : dessiner la place de demain"]
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == timezone.localtime(workshop.start)
    assert str(event["URL"]).endswith(workshop.get_absolute_url())
    assert str(events["Réunion publique : diagnostic"]["STATUS"]) == "CANCELLED"

    phone = new_context(**MOBILE).new_page()
    phone.goto(server + workshop.get_absolute_url())
    assert_accessible(phone)
    ics = phone.get_by_role("link", name="Ajouter à mon agenda (.ics)").get_attribute("href")
    single = icalendar.Calendar.from_ical(phone.request.get(server + ics).body())
    assert [str(e["SUMMARY"]) for e in single.walk("VEVENT")] == ["Atelier : dessiner la place de demain"]
    phone.goto(f"{server}/agenda/carte/")
    assert_accessible(phone)


def test_the_organiser_publishes_the_minutes_and_links_what_was_collected(live_server: Any, new_context: Any) -> None:
    from participe.modules.meetings.tests.factories import MeetingFactory
    from tests.factories import ItemFactory, ParticipationModuleFactory

    module, admin = module_with_admin()
    meeting = MeetingFactory(module=module, title="Balade urbaine", start=timezone.now() - datetime.timedelta(days=1))
    ItemFactory(module=ParticipationModuleFactory(space=module.space), title="Un passage piéton rue de Vesle")
    server = live_server.url
    page = new_context().new_page()
    log_in(page, server, admin.email, totp=True)
    page.goto(f"{server}/gestion/m/meetings/{meeting.pk}/compte-rendu/")
    assert_accessible(page)
    page.get_by_label(re.compile("^Nombre de participants")).fill("28")
    page.get_by_label(re.compile("^Compte rendu")).fill("Vingt-huit participants ; traversées dangereuses relevées.")
    page.get_by_role("button", name="Publier le compte rendu").click()
    expect(page.get_by_text("Le compte rendu est enregistré.")).to_be_visible()
    page.get_by_role("link", name="Contributions recueillies").click()
    assert_accessible(page)
    page.get_by_role("button", name="Rattacher — Un passage piéton rue de Vesle").click()
    expect(page.get_by_text("« Un passage piéton rue de Vesle » est rattachée à la réunion.")).to_be_visible()
    page.goto(f"{server}/gestion/m/meetings/")
    assert_accessible(page)
    visitor = new_context(**MOBILE).new_page()
    visitor.goto(server + meeting.get_absolute_url())
    expect(visitor.get_by_text("28 participants.")).to_be_visible()
    expect(visitor.get_by_role("link", name="Un passage piéton rue de Vesle")).to_be_visible()
    assert_accessible(visitor)
