"""Residents never see HTML (issue #18): the description field is a small editor (bold, lists, links) used with the
keyboard alone, on a desktop and a phone; without JavaScript it is a plain textarea where text stays text."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalModuleFactory
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)
SHORTCUT = "Control"


@pytest.fixture
def idea_box(settings: Any, transactional_db: Any) -> Any:
    settings.PARTICIPE_MAP_TILES_URL = BLANK_TILE
    return ProposalModuleFactory(space=SpaceFactory(title="Budget", slug="budget"), title="Boîte à idées", slug="idees")


def tab_to(page: Any, is_there: str, backwards: bool = False, limit: int = 60) -> None:
    """Press Tab (or Shift+Tab) until the focused element matches the JavaScript test ``is_there``."""
    for _ in range(limit):
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!({is_there}); }}"):
            return
        page.keyboard.press("Shift+Tab" if backwards else "Tab")
    raise AssertionError(f"focus never reached {is_there}")


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_a_resident_formats_a_description_with_the_keyboard_alone(page: Any, server: str, idea_box: Any) -> None:
    page.goto(server, timeout=30_000)  # often the session's first page: the live server warms up
    log_in(page, server, UserFactory().email)
    page.goto(server + idea_box.get_absolute_url() + "deposer/")
    expect(page.get_by_text("<strong>")).to_have_count(0)  # the help no longer teaches tags
    editor = page.get_by_role("textbox", name=re.compile(r"^Description"))
    expect(editor).to_be_visible()
    expect(page.locator("textarea[name=body]")).to_be_hidden()
    assert_accessible(page)

    tab_to(page, "e.name === 'title'")
    page.keyboard.type("Des bancs à l'ombre")
    tab_to(page, "e.getAttribute('role') === 'textbox'")
    page.keyboard.type("Pour attendre le bus ")
    page.keyboard.press(f"{SHORTCUT}+b")
    page.keyboard.type("à l'ombre")
    page.keyboard.press(f"{SHORTCUT}+b")
    page.keyboard.type(".")
    page.keyboard.press("Enter")
    # The toolbar is one tab stop before the editor; the arrows move along it.
    tab_to(page, "e.closest('[role=toolbar]')", backwards=True)
    toolbar = page.get_by_role("toolbar", name="Mise en forme")
    expect(toolbar.get_by_role("button", name="Gras")).to_be_focused()
    for _ in range(2):
        page.keyboard.press("ArrowRight")
    expect(toolbar.get_by_role("button", name="Liste à puces")).to_be_focused()
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    page.keyboard.type("un banc devant la mairie")
    page.keyboard.press("Enter")
    page.keyboard.type("un autre place du Marché")
    expect(toolbar.get_by_role("button", name="Liste à puces")).to_have_attribute("aria-pressed", "true")
    page.keyboard.press("Enter")
    page.keyboard.press("Enter")  # leaves the list
    page.keyboard.type("Le plan : ")
    page.keyboard.press(f"{SHORTCUT}+k")
    address = page.get_by_label("Adresse du lien")
    expect(address).to_be_focused()
    address.press_sequentially("pas une adresse")
    page.keyboard.press("Enter")
    expect(page.get_by_text("Saisissez une adresse qui commence par https://")).to_be_visible()
    assert_accessible(page)
    address.fill("")
    address.press_sequentially("https://lumerac.fr/plan")
    page.keyboard.press("Enter")
    expect(editor).to_be_focused()
    expect(editor.get_by_role("link", name="https://lumerac.fr/plan")).to_be_visible()

    tab_to(page, "e.textContent.trim() === 'Déposer la proposition'")
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Des bancs à l'ombre")
    body = page.locator(".rich-text").last
    expect(body.locator("strong, b")).to_have_text("à l'ombre")
    expect(body.get_by_role("listitem")).to_have_text(["un banc devant la mairie", "un autre place du Marché"])
    expect(body.get_by_role("link", name="https://lumerac.fr/plan")).to_have_attribute(
        "href", "https://lumerac.fr/plan"
    )
    expect(page.get_by_text("<")).to_have_count(0)
    stored = Proposal.objects.get().body
    assert re.search(r"<(strong|b)>à l'ombre</(strong|b)>", stored), stored
    assert "<ul><li>un banc devant la mairie</li><li>un autre place du Marché</li></ul>" in stored, stored
    assert_accessible(page)

    # Editing starts from the formatting, not from tags.
    page.goto(server + Proposal.objects.get().get_absolute_url() + "modifier/")
    expect(editor.locator("strong, b")).to_have_text("à l'ombre")
    expect(editor.get_by_role("listitem")).to_have_count(2)


def test_without_javascript_text_stays_text(nojs_page: Any, server: str, idea_box: Any) -> None:
    page = nojs_page  # axe-core needs JavaScript: the form and the page are checked by the journey above
    log_in(page, server, UserFactory().email)
    page.goto(server + idea_box.get_absolute_url() + "deposer/")
    page.get_by_label(re.compile(r"^Titre de votre proposition")).fill("Un composteur rue Haute")
    description = page.get_by_label(re.compile(r"^Description"))
    expect(description).to_have_js_property("tagName", "TEXTAREA")
    expect(page.get_by_text("une ligne vide")).to_be_visible()  # the help says how text is laid out
    description.fill(
        "Pour les déchets de cuisine, 3 < 5 & <b>vite</b>.\n\n- un bac\n- un panneau\n\nVoir https://lumerac.fr"
    )
    page.get_by_role("button", name="Déposer la proposition").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Un composteur rue Haute")
    body = page.locator(".rich-text").last
    expect(body).to_contain_text("Pour les déchets de cuisine, 3 < 5 & <b>vite</b>.")
    expect(body.locator("b")).to_have_count(0)
    expect(body.get_by_role("listitem")).to_have_text(["un bac", "un panneau"])
    expect(body.get_by_role("link", name="https://lumerac.fr")).to_be_visible()

    # The edit page shows the text as it was typed, without a tag the platform added.
    page.goto(server + Proposal.objects.get().get_absolute_url() + "modifier/")
    expect(page.get_by_label(re.compile(r"^Description"))).to_have_value(
        "Pour les déchets de cuisine, 3 < 5 & <b>vite</b>.\n\n- un bac\n- un panneau\n\nVoir https://lumerac.fr"
    )
