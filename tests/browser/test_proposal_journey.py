"""Journey: the idea box. A resident submits a geolocated proposal (similar titles shown while typing, the point
placed on the map); a neighbour supports it and comments; the list and the map show the same proposals. Without
JavaScript, submitting with an address and "afficher plus" work too."""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.search.services import index_object
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, ThemeFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Des bancs à l'ombre sur la place du Marché"
BODY = "L'été, les personnes âgées n'ont nulle part où s'asseoir à l'ombre en attendant le bus."
# A transparent 1×1 PNG: every tile of the test maps (the CSP allows data: images; no network is needed).
BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)


def label(text: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(text)}( \*)?$")


@pytest.fixture(autouse=True)
def _maps(settings: Any) -> None:
    """Blank tiles: no network is needed."""
    settings.PARTICIPE_MAP_TILES_URL = BLANK_TILE
    settings.PARTICIPE_MAP_CENTER = (48.8566, 2.3522)


@pytest.fixture
def idea_box(transactional_db: Any) -> Any:
    space = SpaceFactory(title="Budget du centre-ville", slug="centre-ville")
    module = ProposalModuleFactory(space=space, title="Boîte à idées", slug="idees")
    ThemeFactory(name="Cadre de vie", slug="cadre-de-vie")
    existing = ProposalFactory(
        module=module,
        title="Plus de bancs au parc Monceau",
        latitude=Decimal("48.879"),
        longitude=Decimal("2.309"),
        address="Parc Monceau",
    )
    index_object(existing)
    ProposalFactory(
        module=module, title="Un composteur rue Haute", latitude=Decimal("48.86"), longitude=Decimal("2.36")
    )
    ProposalFactory(module=module, title="Une fontaine à eau (sans lieu)")
    return module


def submit_with_the_map(page: Any, server: str, module: Any) -> str:
    page.goto(server + module.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text("Boîte à idées")
    page.get_by_role("link", name="Déposer une proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déposer une proposition")
    assert_accessible(page)

    page.get_by_label(label("Titre de votre proposition")).fill(TITLE)
    similar = page.locator("#similar-proposals")
    expect(similar).to_contain_text("Des propositions semblables existent déjà")
    expect(similar.get_by_role("link", name=re.compile("Plus de bancs au parc Monceau"))).to_be_visible()

    page.get_by_label(label("Description")).fill(BODY)
    page.get_by_label(label("Thème")).select_option(label="Cadre de vie")
    page.get_by_label(label("Adresse ou lieu")).fill("Place du Marché, devant l'arrêt de bus")
    picker = page.get_by_role("region", name="Carte pour placer le lieu de la proposition")
    expect(picker).to_be_visible()
    picker.click(position={"x": 120, "y": 90})
    expect(page.get_by_role("status").filter(has_text="Point placé.")).to_have_count(1)
    expect(page.get_by_label(label("Latitude"))).not_to_have_value("")
    latitude = page.get_by_label(label("Latitude")).input_value()
    assert re.fullmatch(r"-?\d+\.\d{6}", latitude), latitude
    assert_accessible(page)

    page.get_by_role("button", name="Déposer la proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_role("status").filter(has_text="Votre proposition est déposée")).to_have_count(1)
    expect(page.get_by_role("region", name="Carte du lieu de la proposition")).to_be_visible()
    expect(page.get_by_text("Place du Marché, devant l'arrêt de bus")).to_be_visible()
    assert_accessible(page)
    return page.url


def support_and_comment(page: Any, server: str, module: Any) -> None:
    page.goto(server + module.get_absolute_url() + "?tri=recentes")
    page.get_by_role("link", name=TITLE).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    page.get_by_role("button", name="Soutenir").click()
    expect(page.locator(".proposal-supports")).to_contain_text("1 soutien")
    expect(page.get_by_role("button", name="Soutenir")).to_have_attribute("aria-pressed", "true")

    section = page.get_by_role("region", name=re.compile(r"^Commentaires"))
    section.get_by_label("favorable", exact=True).check()
    section.get_by_label(label("Votre commentaire")).fill("Oui, et un point d'eau à côté serait bienvenu.")
    section.get_by_role("button", name="Publier mon commentaire").click()
    expect(page.get_by_role("status").filter(has_text="Votre commentaire est publié.")).to_have_count(1)
    assert_accessible(page)


def list_and_map_agree(page: Any, server: str, module: Any) -> None:
    page.goto(server + module.get_absolute_url())
    expect(page.locator("#proposal-list > li")).to_have_count(4)
    assert_accessible(page)
    # With htmx, a filter swaps the results only and the count is announced.
    page.get_by_label("Ordre").select_option(label="Les plus soutenues")
    expect(page.locator("#proposal-list > li h3").first).to_have_text(TITLE)
    expect(page.get_by_role("status").filter(has_text="4 propositions")).to_have_count(1)
    expect(page).to_have_url(re.compile("tri=soutenues"))
    assert page.url.count("tri=") == 1, f"Le tri est répété dans l'adresse : {page.url}"
    page.get_by_label("Ordre").select_option(label="Les plus récentes")
    expect(page).to_have_url(re.compile("tri=recentes"))
    assert page.url.count("tri=") == 1, f"Le tri est répété dans l'adresse : {page.url}"
    page.get_by_label("Ordre").select_option(label="Les plus soutenues")
    expect(page).to_have_url(re.compile("tri=soutenues"))
    page.get_by_role("navigation", name="Affichage des propositions").get_by_role("link", name="Carte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Boîte à idées")
    the_map = page.get_by_role("region", name=re.compile("^Carte des propositions"))
    expect(the_map).to_be_visible()
    expect(the_map).to_have_attribute("data-loaded", "3")
    listed = page.locator("#proposal-list > li h3").all_inner_texts()
    assert sorted(listed) == sorted([TITLE, "Plus de bancs au parc Monceau", "Un composteur rue Haute"])
    feed = json.loads(page.request.get(server + the_map.get_attribute("data-geojson")).text())
    assert sorted(f["properties"]["title"] for f in feed["features"]) == sorted(listed)
    assert_accessible(page)

    # A filter applies to both: the list and the feed.
    page.get_by_label("Thème").select_option(label="Cadre de vie")
    page.get_by_role("button", name="Afficher les propositions").click()
    expect(page.get_by_role("region", name=re.compile("^Carte des propositions"))).to_have_attribute("data-loaded", "1")
    expect(page.locator("#proposal-list > li h3")).to_have_text([TITLE])
    # The marker's popup, built when opened: its title links to the proposal, the counts agree in number.
    markers = page.locator(".leaflet-marker-icon")
    expect(markers).to_have_count(1)
    expect(page.locator(".leaflet-zoom-anim")).to_have_count(0)  # a click during the zoom to the results is lost
    markers.first.click()
    popup = page.locator(".leaflet-popup-content")
    expect(popup.get_by_role("link", name=TITLE)).to_be_visible()
    expect(popup).to_contain_text(re.compile(r"\b1 soutien · 1 commentaire\b"))


def test_a_resident_submits_a_geolocated_proposal_and_a_neighbour_supports_it(
    new_context: Any, server: str, idea_box: Any
) -> None:
    author = UserFactory(email="elodie.durand@example.org", pseudonym="elodie-gare")
    neighbour = UserFactory(email="karim.benali@example.org", pseudonym="karim-marche")

    page = new_context().new_page()
    log_in(page, server, author.email)
    submit_with_the_map(page, server, idea_box)
    proposal = Proposal.objects.get(title=TITLE)
    assert proposal.author == author and proposal.has_location and proposal.reference > 0

    other = new_context().new_page()
    log_in(other, server, neighbour.email)
    support_and_comment(other, server, idea_box)
    proposal.refresh_from_db()
    assert proposal.supports_count == 1 and proposal.comments_count == 1

    # The author can no longer change it: it is supported.
    page.reload()
    expect(page.get_by_role("link", name="Modifier")).to_have_count(0)
    expect(page.get_by_text("Elle est déjà soutenue")).to_be_visible()

    list_and_map_agree(other, server, idea_box)


@pytest.mark.parametrize("page", ["mobile"], indirect=True)
def test_on_a_phone(page: Any, server: str, idea_box: Any) -> None:
    author = UserFactory(email="phone@example.org")
    log_in(page, server, author.email)
    submit_with_the_map(page, server, idea_box)


def test_without_javascript(nojs_page: Any, server: str, idea_box: Any) -> None:
    for n in range(22):
        ProposalFactory(module=idea_box, title=f"Idée de quartier n° {n:02d}")
    author = UserFactory(email="sans-js@example.org")
    page = nojs_page  # axe-core needs JavaScript: these pages are checked by the journeys above
    log_in(page, server, author.email)
    page.goto(server + idea_box.get_absolute_url())
    expect(page.locator("#proposal-list > li")).to_have_count(20)
    page.get_by_role("link", name="Afficher plus de propositions").click()
    expect(page.locator("#proposal-list > li")).to_have_count(5)
    expect(page.get_by_role("link", name="Revenir au début de la liste")).to_be_visible()

    page.goto(server + idea_box.get_absolute_url())
    page.get_by_role("link", name="Déposer une proposition").click()
    page.get_by_label(label("Titre de votre proposition")).fill("Plus de bancs au square")
    page.get_by_role("button", name="Vérifier les doublons").click()
    expect(page.get_by_text("Des propositions semblables existent déjà")).to_be_visible()
    expect(page.get_by_label(label("Titre de votre proposition"))).to_have_value("Plus de bancs au square")
    page.get_by_label(label("Description")).fill("Trop court")
    page.get_by_role("button", name="Déposer la proposition").click()
    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Décrivez votre proposition")
    expect(page.get_by_label(label("Titre de votre proposition"))).to_have_value("Plus de bancs au square")
    page.get_by_label(label("Description")).fill(BODY)
    page.get_by_label(label("Adresse ou lieu")).fill("Square Carpeaux")
    page.get_by_role("button", name="Déposer la proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Plus de bancs au square")
    expect(page.get_by_text("Square Carpeaux")).to_be_visible()


def test_afficher_plus_with_htmx_appends_and_moves_the_focus(page: Any, server: str, idea_box: Any) -> None:
    for n in range(22):
        ProposalFactory(module=idea_box, title=f"Idée de quartier n° {n:02d}")
    page.goto(server + idea_box.get_absolute_url())
    expect(page.locator("#proposal-list > li")).to_have_count(20)
    page.get_by_role("link", name="Afficher plus de propositions").click()
    expect(page.locator("#proposal-list > li")).to_have_count(25)
    expect(page.locator("#proposal-list > li").nth(20).get_by_role("link").first).to_be_focused()
    expect(page.get_by_role("link", name="Afficher plus de propositions")).to_have_count(0)
    assert "apres=" not in page.url  # the list grew in place
    titles = page.locator("#proposal-list > li h3").all_inner_texts()
    assert len(set(titles)) == 25
    assert_accessible(page)
