"""Journeys: a visitor without account reports a problem with a photo on a phone and on a desktop, forgets a field,
and finds the photo kept (not asked again) before sending; an agent reads the queue on a map that follows the
queue's filters, opens a report from the map and sees its place on the report's page; without JavaScript the queue
is the table (axe-core runs on every page that runs scripts)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.attachments.models import Attachment
from participe.modules.signalements import services
from participe.modules.signalements.models import Report
from participe.modules.signalements.tests.factories import NORTH, SOUTH, make_world, report_data
from tests.browser.helpers import assert_accessible, jpeg_file, log_in
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("offline_maps")]


@pytest.mark.parametrize("page", ["mobile", "desktop"], indirect=True)
def test_a_visitor_without_account_reports_with_a_photo_kept_across_an_error(
    page: Any, server: str, tmp_path: Any
) -> None:
    make_world()
    page.goto(f"{server}/signalements/nouveau/")
    assert_accessible(page)
    page.get_by_text("Coordonnées GPS (facultatif)").click()
    page.get_by_label("Latitude").fill(str(NORTH[0]))
    page.get_by_label("Longitude").fill(str(NORTH[1]))
    page.get_by_label("Nid-de-poule").check()
    page.get_by_label("Photos (facultatives)").set_input_files(jpeg_file(tmp_path, "depot.jpg"))
    page.get_by_label(re.compile(r"^Titre")).fill("Dépôt sauvage rue Haute")
    page.get_by_label("Votre nom").fill("Camille Martin")
    # The email is forgotten: the form comes back with its error, and the photo is still there.
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_role("heading", name=re.compile("pas encore envoyé"))).to_be_visible()
    expect(page.get_by_role("checkbox", name="depot.jpg")).to_be_checked()
    expect(page.get_by_label(re.compile(r"^Titre"))).to_have_value("Dépôt sauvage rue Haute")
    assert_accessible(page)
    page.get_by_label("Votre adresse électronique").fill("camille@example.org")
    page.get_by_role("button", name="Envoyer le signalement").click()
    expect(page.get_by_text("Presque fini")).to_be_visible()
    assert_accessible(page)
    report = Report.objects.get(title="Dépôt sauvage rue Haute")
    assert report.reporter_email == "camille@example.org" and report.confirmed_at is None
    photo = Attachment.objects.get(object_id=report.pk)
    assert photo.original_name == "depot.jpg" and photo.uploaded_by is None

    # The link of the email confirms it: the photo is on its public page.
    page.goto(f"{server}/signalements/confirmer/{report.confirmation_token}/")
    page.get_by_role("button", name=re.compile("Confirmer")).click()
    expect(page.get_by_role("img", name="Photo du signalement")).to_be_visible()
    assert_accessible(page)


@pytest.mark.parametrize("page", ["mobile", "desktop"], indirect=True)
def test_an_agent_reads_the_queue_on_a_map_that_follows_its_filters(page: Any, server: str) -> None:
    w = make_world()
    resident = UserFactory()
    services.report_create(actor=resident, module=w.module, data=report_data(w.pothole, title="Trou place du Marché"))
    services.report_create(
        actor=resident,
        module=w.module,
        data=report_data(
            w.lamp, (NORTH[0] + 0.004, NORTH[1] + 0.006), title="Lampadaire éteint", answers={"allumee": "non"}
        ),
    )
    services.report_create(actor=resident, module=w.module, data=report_data(w.pothole, SOUTH, title="Trou au sud"))
    log_in(page, server, w.agent.email, totp=True)
    page.goto(f"{server}/gestion/m/signalements/")
    queue_map = page.get_by_role("region", name="Carte de la file")
    expect(queue_map).to_be_visible()
    markers = queue_map.locator(".leaflet-marker-icon:not(.marker-cluster)")
    expect(markers).to_have_count(2)  # the voirie's two reports; the south one is the métropole's
    assert_accessible(page)

    page.get_by_label("Catégorie").select_option(label="Éclairage")
    page.get_by_role("button", name="Filtrer").click()
    expect(markers).to_have_count(1)
    expect(page.get_by_role("row", name=re.compile("Lampadaire éteint"))).to_be_visible()
    assert_accessible(page)
    markers.first.focus()  # a marker is reached with the keyboard too
    page.keyboard.press("Enter")
    page.locator(".leaflet-popup").get_by_role("link", name="Lampadaire éteint").click()
    expect(page.get_by_role("heading", name="Lampadaire éteint")).to_be_visible()
    point = page.get_by_role("region", name="Carte du lieu du signalement")
    expect(point.locator(".leaflet-marker-icon")).to_have_count(1)
    assert_accessible(page)


def test_without_javascript_the_queue_is_its_table(new_context: Any, server: str) -> None:
    w = make_world()
    services.report_create(
        actor=UserFactory(), module=w.module, data=report_data(w.pothole, title="Trou place du Marché")
    )
    desk = new_context().new_page()
    log_in(desk, server, w.agent.email, totp=True)
    nojs_page = new_context(java_script_enabled=False, storage_state=desk.context.storage_state()).new_page()
    nojs_page.goto(f"{server}/gestion/m/signalements/")
    expect(nojs_page.get_by_role("region", name="Carte de la file")).to_be_hidden()
    nojs_page.get_by_role("link", name="Trou place du Marché").click()
    expect(nojs_page.get_by_role("heading", name="Trou place du Marché")).to_be_visible()
    expect(nojs_page.get_by_role("region", name="Carte du lieu du signalement")).to_be_hidden()
