"""Journey 3: an agent logs in with TOTP, creates a démarche in the back-office, adds a page module with
two phases, writes the page and publishes the démarche; then a visitor finds it with both phases."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import assert_accessible, log_in
from tests.factories import TerritoryFactory, ThemeFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Végétaliser la rue des Écoles"


def label(text: str) -> re.Pattern[str]:
    """A field's label, whether or not it is marked required (a trailing asterisk)."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def local(moment: datetime.datetime) -> str:
    """How a person types a date and time into a datetime-local control (the site's time zone)."""
    return moment.astimezone(ZoneInfo(settings.TIME_ZONE)).strftime("%Y-%m-%dT%H:%M")


def create_space(page: Any) -> None:
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Gestion").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Tableau de bord")
    assert_accessible(page)
    page.get_by_role("link", name="Créer un espace participatif").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer un espace participatif")
    assert_accessible(page)
    today = timezone.localdate()
    page.get_by_label("démarche", exact=True).check()
    page.get_by_label(label("Titre")).fill(TITLE)
    page.get_by_label(label("Résumé")).fill("Des arbres et des jardinières devant l'école, choisis avec les habitants.")
    page.get_by_label("Centre-ville", exact=True).check()
    page.get_by_label("Environnement", exact=True).check()
    page.get_by_label(label("Date de début")).fill((today - datetime.timedelta(days=1)).isoformat())
    page.get_by_label(label("Date de fin")).fill((today + datetime.timedelta(days=90)).isoformat())
    page.get_by_role("button", name="Créer l'espace").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("main")).to_contain_text("Brouillon")
    assert_accessible(page)


def add_page_module(page: Any) -> None:
    adding = page.get_by_role("region", name="Ajouter un module")
    adding.get_by_label(label("Type de module")).select_option(label="Page d'information")
    adding.get_by_label(label("Titre")).fill("Le projet en bref")
    adding.get_by_role("button", name="Ajouter le module").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module « Le projet en bref »")
    assert_accessible(page)


def add_phase(page: Any, kind: str, name: str, start: datetime.datetime, end: datetime.datetime) -> None:
    page.get_by_role("link", name="Ajouter une étape").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Ajouter une étape")
    assert_accessible(page)
    page.get_by_label(label("Type d'étape")).select_option(label=kind)
    page.get_by_label(label("Nom")).fill(name)
    page.get_by_label(label("Début")).fill(local(start))
    page.get_by_label(label("Fin")).fill(local(end))
    page.get_by_role("button", name="Enregistrer l'étape").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Module « Le projet en bref »")
    expect(page.get_by_role("region", name="Étapes").get_by_role("rowheader", name=name)).to_be_visible()


def write_page(page: Any) -> None:
    page.get_by_role("link", name="Rédiger le contenu de la page").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Contenu de la page")
    assert_accessible(page)
    body = page.get_by_role("textbox", name=re.compile(r"^Contenu"))  # the editor: the agent never types tags
    body.click()
    page.keyboard.type("Pourquoi ce projet")
    page.get_by_role("toolbar", name="Mise en forme").get_by_role("button", name="Intertitre").click()
    body.press("End")
    page.keyboard.press("Enter")
    page.keyboard.type("Quinze arbres seront plantés à l'automne.")
    expect(body.get_by_role("heading", name="Pourquoi ce projet", level=2)).to_be_visible()
    expect(body).to_contain_text("Quinze arbres seront plantés à l'automne.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("La page a été enregistrée.")


def publish(page: Any) -> None:
    page.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("region", name="Publication").get_by_role("button", name="Publier").click()
    expect(page.get_by_role("status")).to_be_visible()
    expect(page.get_by_role("main")).to_contain_text("Publié : l'espace est visible sur le site.")
    assert_accessible(page)


def visitor_sees_it(page: Any, server: str) -> None:
    page.goto(server)
    page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Démarches").click()
    page.locator("#results").get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    steps = page.get_by_role("region", name="Calendrier").get_by_role("listitem")
    expect(steps).to_have_count(2)
    expect(steps.nth(0).get_by_role("heading")).to_have_text("Découverte du projet")
    expect(steps.nth(0)).to_contain_text("En cours")
    expect(steps.nth(1).get_by_role("heading")).to_have_text("Bilan des plantations")
    expect(steps.nth(1)).to_contain_text("À venir")
    assert_accessible(page)
    page.get_by_role("region", name="Participer maintenant").get_by_role("link", name="Le projet en bref").click()
    expect(page.get_by_role("heading", name="Pourquoi ce projet", level=2)).to_be_visible()
    expect(page.get_by_text("Quinze arbres seront plantés à l'automne.")).to_be_visible()
    assert_accessible(page)


def test_agent_publishes_a_demarche_that_visitors_then_see(
    new_context: Callable[..., Any], server: str, transactional_db: Any
) -> None:
    TerritoryFactory(name="Centre-ville", slug="centre-ville")
    ThemeFactory(name="Environnement", slug="environnement")
    agent = make_agent(email="agent.voirie@example.org", pseudonym="agent-voirie")
    now = timezone.now().replace(second=0, microsecond=0)
    first_end = now + datetime.timedelta(days=20)

    page = new_context().new_page()
    log_in(page, server, agent.email, totp=True)
    create_space(page)
    add_page_module(page)
    add_phase(page, "Information", "Découverte du projet", now - datetime.timedelta(hours=1), first_end)
    add_phase(page, "Restitution", "Bilan des plantations", first_end, now + datetime.timedelta(days=60))
    write_page(page)
    publish(page)

    visitor_sees_it(new_context().new_page(), server)
