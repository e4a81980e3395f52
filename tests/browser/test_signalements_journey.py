"""Journey: signalements on a phone (390×844). A resident reports a pothole with a photo and is shown the open report
a few metres away before sending; an agent acknowledges it with a response template and reassigns it to the
métropole's service, whose agent finds it in the queue and resolves it; the resident is notified and reopens it;
a visitor filters the public map and list by category. axe-core on every page."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.assignments.selectors import assignment_of
from participe.attachments.selectors import attachments_of
from participe.modules.signalements import services
from participe.modules.signalements.models import Report, ResponseTemplate, Status
from participe.modules.signalements.tests.factories import NORTH, make_world, report_data
from participe.notifications.models import Notification
from tests.browser.helpers import assert_accessible, jpeg_file, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_maps")]

PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}


def test_report_acknowledge_reassign_resolve_reopen_and_filter(
    live_server: Any, new_context: Any, tmp_path: Any
) -> None:
    w = make_world()
    existing = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    ResponseTemplate.objects.create(
        module=w.module, status=Status.ACKNOWLEDGED, title="Pris en compte", text="Une équipe passera cette semaine."
    )
    resident = UserFactory(pseudonym="Lou")
    server = live_server.url

    # The resident, on a phone.
    phone = new_context(**PHONE).new_page()
    log_in(phone, server, resident.email)
    phone.goto(f"{server}/signalements/")
    assert_accessible(phone)
    phone.get_by_role("main").get_by_role("link", name="Signaler un problème").click()
    expect(phone.get_by_role("heading", name="Signaler un problème")).to_be_visible()
    assert_accessible(phone)
    phone.get_by_text("Coordonnées GPS (facultatif)").click()
    phone.get_by_label("Latitude").fill(str(NORTH[0] + 0.0001))
    phone.get_by_label("Longitude").fill(str(NORTH[1]))
    phone.get_by_label("Nid-de-poule").check()
    phone.get_by_label("Photos (facultatives)").set_input_files(jpeg_file(tmp_path, "nid.jpg"))
    phone.get_by_label(re.compile(r"^Titre")).fill("Trou devant la boulangerie")
    phone.get_by_role("button", name="Envoyer le signalement").click()
    # Before sending: the open report a few metres away, with « Moi aussi ».
    expect(phone.get_by_role("heading", name="Déjà signalé tout près ?")).to_be_visible()
    expect(phone.get_by_role("link", name=existing.title)).to_be_visible()
    assert_accessible(phone)
    expect(phone.get_by_role("checkbox", name="nid.jpg")).to_be_checked()  # the photo is kept, not chosen again
    phone.get_by_role("button", name="Ce n'est pas le même problème : envoyer mon signalement").click()
    expect(phone.get_by_role("heading", name="Trou devant la boulangerie")).to_be_visible(timeout=20_000)
    assert_accessible(phone)
    report = Report.objects.get(title="Trou devant la boulangerie")
    assert assignment_of(report).service == w.voirie
    assert report.updates.count() == 1
    assert [photo.original_name for photo in attachments_of(report)] == ["nid.jpg"]

    # The agent of the voirie acknowledges with the template, then reassigns to the métropole.
    desk = new_context().new_page()
    log_in(desk, server, w.agent.email, totp=True)
    desk.goto(f"{server}/gestion/m/signalements/")
    assert_accessible(desk)
    desk.get_by_role("link", name="Trou devant la boulangerie").click()
    assert_accessible(desk)
    desk.get_by_label("Nouvel état").select_option(label="pris en compte")
    desk.get_by_label("Modèle de réponse").select_option(label="Pris en compte")
    desk.get_by_role("button", name="Publier la mise à jour").click()
    expect(desk.get_by_text("Le signalement est mis à jour")).to_be_visible()
    desk.get_by_label("Service", exact=True).select_option(label=w.metropole.name)
    desk.get_by_label("Motif (interne)").fill("Voie métropolitaine")
    desk.get_by_role("button", name="Réaffecter").last.click()
    expect(desk.get_by_text("Le signalement est réaffecté")).to_be_visible()

    # The métropole's agent finds it in the queue and resolves it.
    other = new_context().new_page()
    log_in(other, server, w.other_agent.email, totp=True)
    other.goto(f"{server}/gestion/m/signalements/")
    other.get_by_role("link", name="Trou devant la boulangerie").click()
    other.get_by_label("Nouvel état").select_option(label="résolu")
    other.get_by_label("Message public").fill("Rebouché ce matin.")
    other.get_by_role("button", name="Publier la mise à jour").click()
    expect(other.get_by_text("Le signalement est mis à jour")).to_be_visible()
    assert Notification.objects.filter(recipient=resident, event="signalements.updated").count() == 2

    # The resident reads the timeline and reopens.
    phone.goto(f"{server}/signalements/{report.pk}/")
    expect(phone.get_by_text("Une équipe passera cette semaine.")).to_be_visible()
    expect(phone.get_by_text("Rebouché ce matin.")).to_be_visible()
    phone.get_by_label("Ce qui n'est pas réglé").fill("Le trou est revenu après la pluie.")
    phone.get_by_role("button", name="Rouvrir le signalement").click()
    expect(phone.get_by_text("Le signalement est rouvert")).to_be_visible()
    assert_accessible(phone)
    report = Report.objects.get(pk=report.pk)  # a fresh object: the assignment is read once per object
    assert report.status == Status.ACKNOWLEDGED
    assert assignment_of(report).service == w.metropole and assignment_of(report).done_at is None

    # A visitor filters the public map and list by category.
    visitor = new_context(**PHONE).new_page()
    visitor.goto(f"{server}/signalements/")
    expect(visitor.get_by_role("link", name="Trou devant la boulangerie")).to_be_visible()
    visitor.get_by_label("Catégorie").select_option(label="Éclairage")
    visitor.get_by_role("button", name="Appliquer les filtres").click()
    expect(visitor.get_by_text("Aucun signalement ne correspond à ces filtres.")).to_be_visible()
    assert "category=" in visitor.url
    assert_accessible(visitor)
    visitor.goto(f"{server}/signalements/statistiques/")
    assert_accessible(visitor)
