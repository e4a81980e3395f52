"""Journey of the statistics (issue #17, « Statistiques sans cookie »): two visitors (a computer and a phone) read a
few pages of a démarche, one of them coming from a search engine; a robot reads them too. The organisation's
administrator signs in (with the authenticator's code), opens « Statistiques » from the back-office's menu and reads
the visits, the pages, the referring site, the devices, the participation and its representativeness — on a desktop
and on a phone —, then narrows it to the démarche. The visitors' browsers received no cookie from the counter. axe on
every page; any console error fails the test."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import caches
from django.urls import reverse
from playwright.sync_api import expect

from participe.audience.counter import recorder
from participe.comments.tests.factories import CommentFactory
from tests.browser.conftest import DESKTOP, MOBILE
from tests.browser.helpers import assert_accessible, log_in, open_menu
from tests.factories import (
    ItemFactory,
    ModuleFactory,
    ParticipationModuleFactory,
    SpaceFactory,
    TerritoryFactory,
    UserFactory,
    make_org_admin,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TITLE = "Réaménagement de la place du Marché"
FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"
ANDROID = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Mobile "
    "Safari/537.36"
)
ROBOT = "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)"


@pytest.fixture(autouse=True)
def _fresh_counter() -> Any:
    """The counter's memory of the day (the visitors already seen) and its buffer, empty for each journey."""
    recorder.hits.clear()
    recorder.pending = {}
    caches["audience"].clear()
    yield
    caches["audience"].clear()


def _demarche() -> Any:
    commune = TerritoryFactory(name="Lumerac", kind="commune")
    centre = TerritoryFactory(name="Centre-ville", parent=commune, population=2_000)
    nord = TerritoryFactory(name="Plateau Nord", parent=commune, population=8_000)
    space = SpaceFactory(title=TITLE, slug="place-du-marche")
    ModuleFactory(space=space, module_type="page", title="Le projet", slug="le-projet")
    ideas = ParticipationModuleFactory(space=space, title="Vos idées pour la place", slug="idees")
    bancs = ItemFactory(module=ideas, title="Des bancs à l'ombre", author=UserFactory(territory=centre))
    CommentFactory(item=bancs, author=UserFactory(territory=nord), body="Et une fontaine à boire ?")
    return space


def _browse(new_context: Callable[..., Any], server: str, space: Any) -> None:
    pages = ["/", space.get_absolute_url(), f"{space.get_absolute_url()}le-projet/"]
    for agent, viewport in ((FIREFOX, DESKTOP), (ANDROID, MOBILE), (ROBOT, DESKTOP)):
        context = new_context(user_agent=agent, **viewport)
        page = context.new_page()
        page.goto(server + pages[0], referer="https://www.qwant.com/?q=place+du+march%C3%A9")
        for path in pages[1:]:
            page.goto(server + path)
            expect(page.get_by_role("heading", level=1)).to_be_visible()
        cookies = {cookie["name"] for cookie in context.cookies()}
        assert not cookies - {"csrftoken", "sessionid"}, cookies  # the counter sets none


@pytest.mark.parametrize("device", ["desktop", "phone"])
def test_the_administrator_reads_the_statistics(new_context: Callable[..., Any], server: str, device: str):
    space = _demarche()
    _browse(new_context, server, space)
    recorder.flush()  # what the background flush does every few seconds
    admin = make_org_admin(email="admin@example.org")

    page = new_context(**(MOBILE if device == "phone" else DESKTOP)).new_page()
    log_in(page, server, admin.email, totp=True)
    page.goto(server + reverse("backoffice:dashboard"))
    open_menu(page)
    page.get_by_role("navigation", name="Menu du back-office").get_by_role("link", name="Statistiques").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Statistiques")
    summary = page.get_by_role("region", name=re.compile("^En bref"))
    expect(summary).to_contain_text("Visites 2")
    expect(summary).to_contain_text("Pages vues 6")
    expect(summary).to_contain_text("Participants 2")
    expect(summary).to_contain_text("100,0 %")  # two participants for two visits
    visits = page.get_by_role("region", name="Fréquentation", exact=True)
    expect(visits.get_by_role("region", name="Sites d'origine", exact=True)).to_contain_text("qwant.com")
    devices = visits.get_by_role("region", name="Appareils", exact=True)
    expect(devices.get_by_role("row", name=re.compile("^ordinateur"))).to_be_visible()
    expect(devices.get_by_role("row", name=re.compile("^téléphone"))).to_be_visible()
    expect(visits.get_by_role("region", name="Espaces les plus vus", exact=True)).to_contain_text(TITLE)
    people = page.get_by_role("region", name="Représentativité des participants", exact=True)
    expect(people.get_by_role("row", name=re.compile("^Centre-ville"))).to_contain_text("sur-représenté")
    assert_accessible(page)
    if device == "phone":  # nothing wider than the screen but the tables, which scroll in their own box
        wide = page.evaluate(
            "[...document.querySelectorAll('.bo-main *')].filter(e => e.getBoundingClientRect().right > 391"
            " && !e.closest('.table-wrap') && e.children.length == 0).map(e => e.tagName + '.' + e.className + ' ' + e.getBoundingClientRect().right)"
        )
        assert page.evaluate("document.documentElement.scrollWidth") <= 390, wide

    page.get_by_label("Espace", exact=True).select_option(label=TITLE)
    page.get_by_label("Période", exact=True).select_option(label="12 derniers mois")
    page.get_by_role("button", name="Afficher").click()
    expect(page.get_by_role("region", name=re.compile("^En bref"))).to_contain_text(TITLE)
    expect(page.get_by_role("region", name=re.compile("^En bref"))).to_contain_text("Pages vues 4")
    expect(page.get_by_role("figure").first).to_contain_text("Pages vues par mois")
    assert_accessible(page)
    with page.expect_download() as download:
        page.get_by_role("link", name="Exporter en CSV").click()
    assert download.value.suggested_filename.startswith("statistiques-")
