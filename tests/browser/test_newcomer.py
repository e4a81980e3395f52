"""What a newcomer trips over (issue #18): the phone header, the order of headings, the site's front-end without
console errors. The console check itself lives in conftest.py and applies to every browser test."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import MOBILE
from tests.browser.data import make_town
from tests.browser.helpers import assert_accessible

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
