"""What a newcomer trips over (issue #18): the phone header, the order of headings, the site's front-end without
console errors. The console check itself lives in conftest.py and applies to every browser test."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalModuleFactory
from participe.organisation.models import Organisation
from tests.browser.conftest import MOBILE
from tests.browser.data import make_town
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, TerritoryFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def header_height(page: Any) -> float:
    return float(page.locator(".site-header").evaluate("e => e.getBoundingClientRect().height"))


@pytest.mark.parametrize("page", ["mobile"], indirect=True)
def test_on_a_phone_the_header_is_one_line_with_a_menu_button(page: Any, server: str, transactional_db: Any) -> None:
    make_town()
    page.goto(server)
    assert header_height(page) <= 0.1 * 844, header_height(page)  # was ~23 % of the screen, on three lines
    nav = page.get_by_role("navigation", name="Menu principal")
    expect(nav).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    expect(nav.get_by_role("link", name="Démarches")).to_be_visible()
    expect(page.get_by_role("search").get_by_role("searchbox")).to_be_visible()
    assert_accessible(page)
    nav.get_by_role("link", name="Démarches").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Démarches participatives")
    expect(page.get_by_role("navigation", name="Menu principal")).to_be_hidden()  # folded again on the next page


def test_on_a_phone_the_menu_opens_without_javascript(new_context: Any, server: str, transactional_db: Any) -> None:
    make_town()
    page = new_context(java_script_enabled=False, **MOBILE).new_page()
    page.goto(server)
    nav = page.get_by_role("navigation", name="Menu principal")
    expect(nav).to_be_hidden()
    page.get_by_text("Menu", exact=True).click()
    nav.get_by_role("link", name="Instances").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Instances participatives")


def test_on_a_desktop_the_menu_is_open_without_a_button(page: Any, server: str, transactional_db: Any) -> None:
    make_town()
    page.goto(server)
    expect(page.get_by_text("Menu", exact=True)).to_be_hidden()
    expect(page.get_by_role("navigation", name="Menu principal").get_by_role("link", name="Démarches")).to_be_visible()


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_the_list_of_demarches_has_its_headings_in_order(page: Any, server: str, transactional_db: Any) -> None:
    """axe's heading-order (h1 then h3 on /demarches/): the helper now checks it on every page."""
    make_town()
    page.goto(server + "/demarches/?type=process")
    expect(page.get_by_role("heading", level=2, name="Résultats")).to_have_count(1)
    expect(page.get_by_role("heading", level=3).first).to_be_visible()
    assert_accessible(page)


def test_every_page_has_a_favicon_that_loads(page: Any, server: str, transactional_db: Any) -> None:
    make_town()
    page.goto(server)
    href = page.locator("link[rel=icon]").get_attribute("href")
    assert href and re.search(r"\.(svg|png|ico)$", href), href
    assert page.request.get(server + href).ok, href


# --- maps open on the organisation's territory -------------------------------------------------------------------
BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
# A square around Lumerac (49.25–49.30 N, 3.82–3.90 E), far from the middle of France where maps used to open.
LUMERAC = {
    "type": "Polygon",
    "coordinates": [[[3.82, 49.25], [3.90, 49.25], [3.90, 49.30], [3.82, 49.30], [3.82, 49.25]]],
}


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_the_map_opens_on_the_territory_and_a_point_outside_is_refused(
    page: Any, server: str, settings: Any, transactional_db: Any
) -> None:
    settings.PARTICIPE_MAP_TILES_URL = BLANK_TILE
    Organisation.objects.create(pk=1, name="Ville de Lumerac", name_of="de la Ville de Lumerac")
    TerritoryFactory(name="Lumerac", boundary=LUMERAC)
    module = ProposalModuleFactory(
        space=SpaceFactory(title="Budget", slug="budget"), title="Boîte à idées", slug="idees"
    )
    author = UserFactory()
    log_in(page, server, author.email)
    page.goto(server + module.get_absolute_url() + "deposer/")
    page.get_by_label(re.compile(r"^Titre de votre proposition")).fill("Un abri à vélos devant la gare")
    page.get_by_label(re.compile(r"^Description")).fill(
        "Les vélos restent sous la pluie toute la journée devant la gare."
    )
    expect(page.get_by_role("region", name="Carte pour placer le lieu de la proposition")).to_be_visible()
    page.get_by_role("button", name="Placer le point au centre de la carte").click()
    latitude = float(page.locator("[data-map-latitude]").input_value())
    longitude = float(page.locator("[data-map-longitude]").input_value())
    assert 49.25 < latitude < 49.30 and 3.82 < longitude < 3.90, (latitude, longitude)  # not 46.6, 2.4

    # A point typed far away is refused, next to the field, and nothing typed is lost.
    page.get_by_text("Coordonnées GPS (facultatif)").click()
    page.locator("[data-map-latitude]").fill("46.600000")
    page.locator("[data-map-longitude]").fill("2.400000")
    page.get_by_role("button", name="Déposer la proposition").click()
    expect(page.locator("#id_latitude-error")).to_contain_text("en dehors du territoire de la Ville de Lumerac")
    expect(page.get_by_label(re.compile(r"^Titre de votre proposition"))).to_have_value(
        "Un abri à vélos devant la gare"
    )
    assert not Proposal.objects.exists()
    assert_accessible(page)

    page.get_by_role("button", name="Placer le point au centre de la carte").click()
    page.get_by_role("button", name="Déposer la proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Un abri à vélos devant la gare")
    assert Proposal.objects.get().has_location
