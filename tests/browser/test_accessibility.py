"""Accessibility sweep: every page of the platform core passes axe-core (WCAG 2.1 A and AA), in French
and in English, including forms shown with their errors and every back-office page reachable from
the back-office's own links (crawled, so new pages are checked as they are added)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.urls import Resolver404, resolve, reverse
from playwright.sync_api import expect

from participe.spaces.models import SpaceDocument
from participe.verifications.models import EligibilityRule
from participe.verifications.services import census_import, managed_account_create
from tests.browser.data import Town, make_town
from tests.browser.helpers import axe_violations, format_violations, link_in, log_in
from tests.factories import make_agent, make_org_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = ["fr", "en"]
BACKOFFICE_PAGE_LIMIT = 80
BACKOFFICE_SKIP = re.compile(r"export|telecharger|download|\.(csv|json|xlsx|ods|zip|pdf|geojson)$", re.I)


@pytest.fixture
def town(transactional_db: Any) -> Town:
    town = make_town()
    census_import(
        actor=make_org_admin(email="recensement@example.org"),
        filename="recensement.csv",
        data=b"nom;prenom;date_naissance;territoire\nDurand;Elodie;14/07/1985;quartier-gare\n",
    )
    # Something in every back-office list, so the crawl reaches the pages of each item.
    make_agent(email="agent@example.org", pseudonym="agent-accueil")
    managed_account_create(
        agent=make_org_admin(), first_name="Jeanne", last_name="Petit", territory=town.gare, birth_date=None
    )
    SpaceDocument.objects.create(
        space=town.market, title="Plan de la place", file=ContentFile(b"%PDF-1.4", name="plan.pdf"), size=8
    )
    EligibilityRule.objects.create(module=town.page_module, action="view")
    return town


class Sweep:
    """Visits pages in one language and gathers every axe violation, to report them all at once."""

    def __init__(self, page: Any, server: str, language: str) -> None:
        self.page, self.server, self.language = page, server, language
        self.failures: list[str] = []
        self.visited: list[str] = []

    def check(self, what: str = "") -> None:
        page = self.page
        expect(page.locator("html")).to_have_attribute("lang", self.language)
        self.visited.append(page.url)
        violations = axe_violations(page)
        if violations:
            self.failures.append(f"[{self.language}] {what}\n" + format_violations(page.url, violations))

    def visit(self, path: str, what: str = "") -> None:
        response = self.page.goto(self.server + path)
        assert response is not None and response.ok, f"{path}: HTTP {response.status if response else '—'}"
        self.check(what or path)

    def after(self, action: Callable[[], None], what: str) -> None:
        action()
        self.page.wait_for_load_state()
        self.check(what)

    def assert_clean(self) -> None:
        assert not self.failures, "\n\n".join(self.failures)


@pytest.fixture(params=LANGUAGES)
def sweep(request: pytest.FixtureRequest, new_context: Callable[..., Any], server: str) -> Sweep:
    context = new_context()
    context.add_cookies([{"name": settings.LANGUAGE_COOKIE_NAME, "value": request.param, "url": server}])
    return Sweep(context.new_page(), server, request.param)


def test_public_pages_are_accessible(sweep: Sweep, town: Town) -> None:
    market = town.market.get_absolute_url()
    for path in [
        "/",
        "/demarches/",
        "/demarches/?type=process",
        "/demarches/?type=assembly",
        "/demarches/?quand=finished&theme=environnement",  # no result
        market,
        town.council.get_absolute_url(),
        town.page_module.get_absolute_url(),
        f"{market}actualites/{town.news.pk}/",
        "/accessibilite/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        reverse("sitemap"),
    ]:
        sweep.visit(path)
    sweep.assert_clean()


def submit(page: Any, field: str) -> None:
    """Submit the form of a field by pressing Enter in it, as a person would."""
    page.locator(f"main [name={field}]").press("Enter")
    page.wait_for_load_state()


def test_account_pages_are_accessible(sweep: Sweep, town: Town, mailoutbox: list[Any]) -> None:
    """Log-in and sign-up (with their errors), email confirmation, TOTP activation, log-out, password reset."""
    page = sweep.page
    sweep.visit(reverse("account_login"))
    page.locator("main [name=login]").fill("personne@example.org")
    page.locator("main [name=password]").fill("pas-le-bon-mot-de-passe")
    submit(page, "password")
    expect(page.get_by_role("alert")).to_be_visible()
    sweep.check("connexion refusée")

    sweep.visit(reverse("account_signup"))
    page.locator("main [name=email]").fill(f"nouvelle-{sweep.language}@example.org")
    page.locator("main [name=pseudonym]").fill(f"nouvelle-{sweep.language}")
    page.locator("main [name=password1]").fill("court")
    page.locator("main [name=password2]").fill("autre")
    page.locator("main [name=accept_terms]").check()
    submit(page, "password2")  # passes the browser's checks, refused by the server
    expect(page.locator("main [name=password1]")).to_have_attribute("aria-invalid", "true")
    sweep.check("inscription avec erreurs")

    page.locator("main [name=password1]").fill("un-mot-de-passe-robuste-42")
    page.locator("main [name=password2]").fill("un-mot-de-passe-robuste-42")
    submit(page, "password2")
    expect(page).to_have_url(re.compile(reverse("account_email_verification_sent")))
    sweep.check("adresse à confirmer")
    page.goto(link_in(mailoutbox[-1].body))
    sweep.check("confirmation de l'adresse")
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(re.compile(reverse("accounts:profile")))
    for name in ["accounts:profile", "mfa_index", "mfa_activate_totp", "account_logout"]:
        sweep.visit(reverse(name))
    page.locator("main form button[type=submit]").click()  # log out

    sweep.visit(reverse("account_reset_password"))
    page.locator("main [name=email]").fill(f"nouvelle-{sweep.language}@example.org")
    submit(page, "email")
    expect(page).to_have_url(re.compile(reverse("account_reset_password_done")))
    sweep.check("réinitialisation envoyée")
    page.goto(link_in(mailoutbox[-1].body))
    sweep.check("nouveau mot de passe")
    page.locator("main [name=password1]").fill("encore-un-mot-de-passe-99")
    page.locator("main [name=password2]").fill("encore-un-mot-de-passe-99")
    submit(page, "password2")
    expect(page).to_have_url(re.compile(reverse("account_reset_password_from_key_done")))
    sweep.check("mot de passe changé")
    sweep.assert_clean()


def test_pages_of_a_signed_in_admin_are_accessible(sweep: Sweep, town: Town) -> None:
    """Profile and verification pages, then every back-office page, as an organisation admin with TOTP."""
    page = sweep.page
    admin = make_org_admin(email="admin@example.org", pseudonym="admin-mairie")
    log_in(page, sweep.server, admin.email, totp=True, check=True)  # the login and TOTP code pages too
    for name in [
        "accounts:profile",
        "account_email",
        "account_change_password",
        "mfa_index",
        "mfa_generate_recovery_codes",
        "mfa_deactivate_totp",
        "accounts:delete",
        "verifications:index",
        "verifications:census",
    ]:
        sweep.visit(reverse(name))
    page.locator("main form input[type=date]").fill("1990-01-01")
    sweep.after(lambda: page.locator("main form button[type=submit]").click(), "recensement avec erreurs")

    visited = crawl_backoffice(
        sweep,
        "/gestion/",
        reverse("backoffice:space_detail", args=[town.market.pk]),  # the space with a module, phases, news…
        reverse("backoffice:module_edit", args=[town.page_module.pk]),
    )
    assert "/gestion/" in visited
    assert len(visited) < BACKOFFICE_PAGE_LIMIT, "the crawl stopped early: raise BACKOFFICE_PAGE_LIMIT"
    sweep.visit(reverse("backoffice:space_create"))
    page.locator("main form button[type=submit]").first.click()
    expect(page.get_by_role("alert")).to_be_visible()
    sweep.check("back-office : formulaire avec erreurs")
    sweep.assert_clean()


def crawl_backoffice(sweep: Sweep, *start: str) -> list[str]:
    """Follow the back-office's links from its dashboard; one page per URL name is enough."""
    queue, seen_paths, seen_names, visited = list(start), set(start), set(), []
    while queue and len(visited) < BACKOFFICE_PAGE_LIMIT:
        path = queue.pop(0)
        try:
            name = resolve(urlsplit(path).path).view_name
        except Resolver404:
            continue
        if name in seen_names:
            continue
        seen_names.add(name)
        sweep.visit(path, f"back-office : {name}")
        visited.append(path)
        for href in sweep.page.eval_on_selector_all("a[href]:not([download])", "els => els.map(e => e.href)"):
            parts = urlsplit(href)
            local = parts.path + (f"?{parts.query}" if parts.query else "")
            if (
                href.startswith(sweep.server)
                and parts.path.startswith("/gestion/")
                and not BACKOFFICE_SKIP.search(parts.path)
                and local not in seen_paths
            ):
                seen_paths.add(local)
                queue.append(local)
    return visited
