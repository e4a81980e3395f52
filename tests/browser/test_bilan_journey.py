"""Journey of the bilan of a démarche (issue #16): the administrator of the démarche writes its bilan in the
back-office (introduction, decisions, a section left out), previews the draft, publishes it; a visitor reads it on a
desktop and on a phone (figures, representativeness against the quartiers' population, each contribution with its
answer or « sans réponse », the decisions, the commitments), lists the contributions still unanswered, and downloads
the PDF: built by the worker (``db_worker``, as in production) while the page says it is being prepared and polls,
then opened (its title is found); a visitor who comes before the publication finds nothing. axe on every page.
(The agent's commitment step that notifies its follower: tests/browser/test_commitments_journey.py.)"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from participe.comments.tests.factories import CommentFactory
from participe.commitments.tests.factories import CommitmentFactory
from participe.restitution.tests.test_views import pdf_metadata
from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import (
    ItemFactory,
    ParticipationModuleFactory,
    SpaceFactory,
    TerritoryFactory,
    UserFactory,
    make_space_role,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Réaménagement de la place du Marché"


def label(text: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def _demarche() -> Any:
    commune = TerritoryFactory(name="Lumerac", kind="commune")
    centre = TerritoryFactory(name="Centre-ville", parent=commune, population=2_000)
    nord = TerritoryFactory(name="Plateau Nord", parent=commune, population=8_000)
    space = SpaceFactory(title=TITLE, slug="place-du-marche")
    module = ParticipationModuleFactory(space=space, title="Vos idées pour la place")
    bancs = ItemFactory(module=module, title="Des bancs à l'ombre", author=UserFactory(territory=centre))
    asked = CommentFactory(item=bancs, author=UserFactory(territory=centre), body="Avec un dossier, s'il vous plaît.")
    CommentFactory(item=bancs, parent=asked, author=UserFactory(), official_role="service",
                   body="Douze bancs à dossier seront installés.")  # fmt: skip
    CommentFactory(item=bancs, author=UserFactory(territory=nord), body="Et une fontaine à boire ?")
    CommitmentFactory(space=space, title="Planter vingt arbres", status="in_progress", progress=20,
                      planned_date=timezone.localdate() + datetime.timedelta(days=90))  # fmt: skip
    return space


def test_the_administrator_writes_previews_and_publishes_the_bilan(new_context: Callable[..., Any], server: str):
    space = _demarche()
    manager = make_space_role(space, "admin", email="gestion@example.org", pseudonym="gestionnaire")

    # Before the publication, a visitor finds nothing.
    visitor = new_context(**DESKTOP).new_page()
    response = visitor.goto(server + reverse("restitution:bilan", args=[space.slug]))
    assert response is not None and response.status == 404

    page = new_context(**DESKTOP).new_page()
    log_in(page, server, manager.email, totp=True)
    page.goto(server + reverse("restitution_backoffice:index"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Bilans des démarches")
    assert_accessible(page)
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bilan : {TITLE}")
    expect(page.get_by_role("status").first).to_contain_text("brouillon")
    assert_accessible(page)

    form = page.get_by_role("region", name="Rédiger le bilan")
    form.get_by_label(label("Introduction")).fill("<p>Trois mois de concertation sur la place du Marché.</p>")
    form.get_by_label(label("Décisions prises")).fill("<p>Le conseil municipal retient l'ombre et les bancs.</p>")
    form.get_by_label("Par quel canal").uncheck()
    form.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status").first).to_contain_text("Le bilan est enregistré.")
    assert_accessible(page)

    page.get_by_role("link", name="Prévisualiser le bilan").click()
    expect(page.get_by_role("note")).to_contain_text("Aperçu : ce bilan est un brouillon.")
    expect(page.get_by_role("heading", name="Par quel canal")).to_have_count(0)
    assert_accessible(page)
    page.get_by_role("link", name="Modifier et publier le bilan").click()
    page.get_by_role("button", name="Publier le bilan").click()
    expect(page.get_by_role("status").first).to_contain_text("Le bilan est publié.")
    assert_accessible(page)

    # Published: the visitor reads it.
    visitor.goto(server + reverse("restitution:bilan", args=[space.slug]))
    expect(visitor.get_by_role("heading", level=1)).to_have_text(f"Bilan : {TITLE}")
    expect(visitor.get_by_role("main")).to_contain_text("Trois mois de concertation sur la place du Marché.")
    expect(visitor.get_by_role("note")).to_have_count(0)
    assert_accessible(visitor)


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_a_visitor_reads_the_bilan_and_downloads_it(
    new_context: Callable[..., Any], server: str, device: str, settings: Any
):
    from participe.restitution import services
    from participe.restitution.models import Bilan

    space = _demarche()
    manager = make_space_role(space, "admin")
    services.bilan_save(actor=manager, space=space, introduction="<p>Ce que vous avez dit.</p>",
                        decisions="<p>Le conseil municipal retient l'ombre et les bancs.</p>",
                        sections=Bilan.Section.values)  # fmt: skip
    services.bilan_publish(actor=manager, space=space)

    page = new_context(**(MOBILE if device == "phone" else DESKTOP)).new_page()
    page.goto(server + reverse("restitution:bilan", args=[space.slug]))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Bilan : {TITLE}")
    figures = page.get_by_role("region", name="En chiffres")
    expect(figures).to_contain_text("3 personnes ont participé")
    territories = page.get_by_role("region", name="Qui a participé, par territoire")
    centre = territories.get_by_role("row", name=re.compile("^Centre-ville"))
    expect(centre).to_contain_text("20 %")  # of the population
    expect(centre).to_contain_text("sur-représenté")
    expect(territories.get_by_role("row", name=re.compile("^Plateau Nord"))).to_contain_text("sous-représenté")
    contributions = page.get_by_role("region", name="Chaque contribution et sa réponse")
    answered = contributions.get_by_role("listitem").filter(has_text="Avec un dossier")
    expect(answered).to_contain_text("Douze bancs à dossier seront installés.")
    expect(contributions.get_by_role("listitem").filter(has_text="Et une fontaine")).to_contain_text("sans réponse")
    expect(page.get_by_role("region", name="Les décisions prises")).to_contain_text("l'ombre et les bancs")
    expect(page.get_by_role("region", name="Les engagements de la collectivité")).to_contain_text("Planter vingt")
    expect(page.get_by_role("region", name="Les synthèses des contributions")).to_contain_text("Aucune synthèse")
    assert_accessible(page)
    if device == "phone":  # nothing wider than the screen but the tables, which scroll in their own box
        assert page.evaluate("document.documentElement.scrollWidth") <= 390

    contributions.get_by_role("link", name="Voir seulement celles sans réponse").click()
    contributions = page.get_by_role("region", name="Chaque contribution et sa réponse")
    expect(contributions.get_by_role("link", name=re.compile("^Et une fontaine"))).to_be_visible()
    expect(contributions.get_by_role("link", name=re.compile("^Avec un dossier"))).to_have_count(0)
    assert_accessible(page)

    # The PDF is built by the worker: production's queue, and its worker run here once the page says it waits.
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    page.get_by_role("link", name="Télécharger le bilan (PDF)").click()
    document = page.locator("#bilan-document")
    expect(document.get_by_role("heading", name="Le bilan en PDF")).to_be_visible()
    expect(document.get_by_role("status")).to_contain_text("Le document se prépare")
    assert_accessible(page)
    call_command("db_worker", batch=True)
    expect(document.get_by_role("status")).to_contain_text("Le document est prêt.", timeout=30_000)  # htmx polled
    assert_accessible(page)
    with page.expect_download(timeout=60_000) as download:
        document.get_by_role("link", name="Télécharger le bilan (PDF)").click()
    pdf = Path(download.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF")
    assert f"Bilan : {TITLE}" in pdf_metadata(pdf)
