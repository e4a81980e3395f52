"""Journey 2: a visitor browses the home page, the space list and its filters, a space and its page
module, the accessibility declaration, then switches to English; with and without JavaScript."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.data import Town, make_town
from tests.browser.helpers import assert_accessible

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def town(transactional_db: Any) -> Town:
    return make_town()


def check(page: Any, js: bool) -> None:
    """axe-core needs JavaScript; the same pages are checked by the run with JavaScript."""
    if js:
        assert_accessible(page)


def browse_home(page: Any, server: str, js: bool) -> None:
    page.goto(server)
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Participez à la vie de")
    # Only what one can act on: an information page is not "open" (issue #18; test_newcomer.py has actions).
    open_now = page.get_by_role("region", name="Ouvert en ce moment")
    expect(open_now).to_contain_text("Aucune participation n'est ouverte en ce moment.")
    expect(open_now.get_by_role("link", name="Présentation du projet")).to_have_count(0)
    current = page.get_by_role("region", name="Démarches en cours")
    expect(current.get_by_role("link", name="Réaménager la place du Marché")).to_be_visible()
    expect(current).not_to_contain_text("Budget participatif 2027")
    expect(current).not_to_contain_text("Plan vélo")
    check(page, js)


def filter_by(page: Any, js: bool, **choices: str) -> None:
    """Choose filters by their labels; without JavaScript, submit the form like any form."""
    for label, option in choices.items():
        page.get_by_label(label, exact=True).select_option(label=option)
    if not js:
        page.get_by_role("button", name="Filtrer").click()


def browse_space_list(page: Any, js: bool) -> None:
    page.get_by_role("link", name="Voir les démarches en cours").click()
    results = page.locator("#results")
    expect(page.get_by_label("Quand")).to_have_value("ongoing")
    expect(results.get_by_role("link", name="Réaménager la place du Marché")).to_be_visible()
    expect(results).not_to_contain_text("Budget participatif 2027")
    check(page, js)
    if js:
        page.evaluate("() => { window.stillTheSamePage = true; }")

    filter_by(page, js, Quand="À venir")
    expect(page).to_have_url(re.compile(r"quand=upcoming"))
    expect(results.get_by_role("link", name="Budget participatif 2027")).to_be_visible()
    expect(results).not_to_contain_text("Réaménager la place du Marché")

    filter_by(page, js, Quand="Terminées", Thème="Mobilité")
    expect(page).to_have_url(re.compile(r"theme=mobilite"))
    expect(results.get_by_role("link", name="Plan vélo")).to_be_visible()
    expect(results).not_to_contain_text("Budget participatif 2027")

    filter_by(page, js, Quand="Toutes", Thème="Tous", Territoire="Quartier de la Gare")
    expect(results.get_by_role("link", name="Budget participatif 2027")).to_be_visible()
    expect(results.get_by_role("link", name="Conseil de quartier de la Gare")).to_be_visible()
    expect(results).not_to_contain_text("Réaménager la place du Marché")

    filter_by(page, js, Territoire="Tous")
    expect(results.get_by_role("link", name="Réaménager la place du Marché")).to_be_visible()
    if js:  # htmx replaced the results in place: no page load happened
        assert page.evaluate("() => window.stillTheSamePage === true")
    check(page, js)


def browse_space_and_module(page: Any, js: bool) -> None:
    page.locator("#results").get_by_role("link", name="Réaménager la place du Marché").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réaménager la place du Marché")
    calendar = page.get_by_role("region", name="Calendrier")
    steps = calendar.get_by_role("listitem")
    expect(steps).to_have_count(2)
    expect(steps.nth(0)).to_contain_text("En cours")
    expect(steps.nth(0).get_by_role("heading")).to_have_text("Information")
    expect(steps.nth(0)).to_have_attribute("aria-current", "step")
    expect(steps.nth(1)).to_contain_text("À venir")
    expect(steps.nth(1).get_by_role("heading")).to_have_text("Restitution")
    expect(
        page.get_by_role("region", name="Actualités").get_by_role("link", name="Réunion publique le 12 mars")
    ).to_be_visible()
    check(page, js)

    page.get_by_role("region", name="Participer maintenant").get_by_role("link", name="Présentation du projet").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Présentation du projet")
    expect(page.get_by_role("heading", name="Le projet")).to_be_visible()
    expect(page.get_by_text("Des arbres, des bancs et un marché couvert.")).to_be_visible()
    check(page, js)


def browse_accessibility_and_language(page: Any, js: bool) -> None:
    page.get_by_role("contentinfo").get_by_role("link", name=re.compile("^Accessibilité")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Déclaration d'accessibilité")
    expect(page.get_by_role("heading", name="État de conformité")).to_be_visible()
    check(page, js)

    page.get_by_label("Langue").select_option(label="English")
    page.get_by_role("button", name="Changer").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page).to_have_url(re.compile(r"/accessibilite/$"))
    check(page, js)
    page.goto(page.url.split("/accessibilite/")[0] + "/")
    expect(page.locator("html")).to_have_attribute("lang", "en")  # the choice is remembered


def browse(page: Any, server: str, js: bool) -> None:
    browse_home(page, server, js)
    browse_space_list(page, js)
    browse_space_and_module(page, js)
    browse_accessibility_and_language(page, js)


def test_visitor_browses_without_javascript(nojs_page: Any, server: str, town: Town) -> None:
    browse(nojs_page, server, js=False)


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_visitor_browses_with_javascript(page: Any, server: str, town: Town) -> None:
    browse(page, server, js=True)


def test_news_page(page: Any, server: str, town: Town) -> None:
    page.goto(f"{server}{town.market.get_absolute_url()}")
    page.get_by_role("link", name="Réunion publique le 12 mars").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Réunion publique le 12 mars")
    expect(
        page.get_by_role("navigation", name="Fil d’Ariane").get_by_role("link", name="Réaménager la place du Marché")
    ).to_be_visible()
    assert_accessible(page)
