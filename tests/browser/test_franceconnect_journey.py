"""A resident signs in with FranceConnect — the local OpenID Connect provider playing it (django-oauth-toolkit's,
``tests.oidc_provider``) —, consents, comes back with an account and an identity verified by it, and supports a
proposal where supporting asks a verified age of 16 or more; a child FranceConnect identified is told why not. The
login page with its button, the sign-up page and the page of the link go through axe."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings as django_settings
from playwright.sync_api import expect

from participe.accounts.models import User
from participe.core.capabilities import Cap
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.verifications.models import EligibilityRule, Verification
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, UserFactory
from tests.oidc_provider.server import RESIDENT, YOUNG, Provider, provider

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture(scope="module")
def oidc_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Provider]:
    with provider(tmp_path_factory.mktemp("oidc-provider")) as running:
        yield running


@pytest.fixture
def franceconnect(settings: Any, server: str, oidc_provider: Provider) -> Provider:
    settings.SITE_URL = server
    settings.PARTICIPE_IDENTITY_PROVIDERS = {"franceconnect": oidc_provider.settings("franceconnect")}
    policy = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    policy["DIRECTIVES"]["form-action"].append(f"http://127.0.0.1:{oidc_provider.port}")  # as settings.py does
    settings.CONTENT_SECURITY_POLICY = policy
    return oidc_provider


@pytest.fixture
def proposal(transactional_db: Any) -> Any:
    space = SpaceFactory(title="Le parc des Berges", slug="parc-des-berges")
    module = ProposalModuleFactory(space=space, title="Idées pour le parc", slug="idees-parc")
    EligibilityRule.objects.create(module=module, action=Cap.SUPPORT, require_verification=True, min_age=16)
    return ProposalFactory(module=module, title="Une aire de jeux ombragée")


def sign_in_with_franceconnect(page: Any, server: str, proposal: Any, person: dict[str, Any], pseudonym: str) -> None:
    page.goto(server + proposal.get_absolute_url())
    page.get_by_role("link", name="Connectez-vous pour soutenir").click()
    expect(page.get_by_role("button", name="S'identifier avec FranceConnect")).to_be_visible()
    expect(page.get_by_role("link", name="Qu'est-ce que FranceConnect ?")).to_have_attribute(
        "href", "https://franceconnect.gouv.fr/"
    )
    assert_accessible(page)
    page.get_by_role("button", name="S'identifier avec FranceConnect").click()
    # At the provider: sign in, then consent to share the identity.
    page.get_by_label("Identifiant").fill(person["username"])
    page.get_by_label("Mot de passe").fill(person["password"])
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_role("button", name="Continuer").click()
    # Back on the site: the account is created with the pseudonym chosen.
    expect(page.get_by_role("heading", level=1)).to_have_text("Créer votre compte avec FranceConnect")
    expect(page.get_by_text(person["claims"]["email"])).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Pseudonyme").fill(pseudonym)
    page.get_by_label("J'ai lu la politique de données personnelles").check()
    page.get_by_role("button", name="Créer mon compte").click()


def test_a_resident_signs_in_with_franceconnect_is_verified_and_supports(
    new_context: Any, server: str, franceconnect: Provider, proposal: Any
) -> None:
    page = new_context().new_page()
    sign_in_with_franceconnect(page, server, proposal, RESIDENT, "angela-des-berges")
    expect(page.get_by_role("heading", level=1)).to_have_text("Une aire de jeux ombragée")
    expect(page.get_by_text("Votre compte est créé, et votre identité est vérifiée par FranceConnect.")).to_be_visible()
    page.get_by_role("button", name="Soutenir").click()
    expect(page.locator(".proposal-supports")).to_contain_text("1 soutien")
    user = User.objects.get(pseudonym="angela-des-berges")
    verification = Verification.objects.active().get(user=user)
    assert verification.handler == "franceconnect" and verification.attributes["level"] == "eidas1"

    page.goto(server + "/compte/profil/")
    page.get_by_role("link", name="Gérer le lien avec FranceConnect").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("FranceConnect et votre compte")
    expect(page.get_by_text("définissez d'abord un mot de passe")).to_be_visible()
    assert_accessible(page)

    # Signing out goes through FranceConnect's end of session, and back.
    page.get_by_role("button", name="Se déconnecter").click()
    expect(page.get_by_text("Vous êtes déconnecté, de FranceConnect aussi.")).to_be_visible()
    expect(page.get_by_role("link", name="Se connecter").first).to_be_visible()


def test_a_child_identified_by_franceconnect_is_told_why_not(
    new_context: Any, server: str, franceconnect: Provider, proposal: Any
) -> None:
    page = new_context().new_page()
    sign_in_with_franceconnect(page, server, proposal, YOUNG, "lucas-des-berges")
    expect(page.get_by_role("heading", level=1)).to_have_text("Une aire de jeux ombragée")
    expect(page.get_by_text("Il faut avoir au moins 16 ans.")).to_be_visible()
    expect(page.get_by_role("button", name="Soutenir")).to_have_count(0)


@pytest.mark.parametrize("language", ["fr", "en"])
def test_the_pages_with_the_buttons_are_accessible(
    new_context: Any, server: str, settings: Any, language: str, transactional_db: Any
) -> None:
    """Both providers configured (nothing is asked of them to draw a page): the login page with both buttons, the
    sign-up page with FranceConnect's, the page of the link and the verification methods, in French and English."""
    settings.PARTICIPE_IDENTITY_PROVIDERS = {
        key: {"issuer": f"https://{key}.example/api/v2", "client_id": "participe", "client_secret": "s" * 40}
        for key in ("franceconnect", "proconnect")
    }
    context = new_context()
    context.add_cookies([{"name": django_settings.LANGUAGE_COOKIE_NAME, "value": language, "url": server}])
    page = context.new_page()
    sign_in_with = "S'identifier avec" if language == "fr" else "Sign in with"
    page.goto(server + "/compte/login/")
    expect(page.get_by_role("button", name=f"{sign_in_with} FranceConnect")).to_be_visible()
    expect(page.get_by_role("button", name=f"{sign_in_with} ProConnect")).to_be_visible()
    assert_accessible(page)
    page.goto(server + "/compte/signup/")
    expect(page.get_by_role("button", name=f"{sign_in_with} FranceConnect")).to_be_visible()
    expect(page.get_by_role("button", name=f"{sign_in_with} ProConnect")).to_have_count(0)
    assert_accessible(page)
    UserFactory(email="habitante@example.fr")
    log_in(page, server, "habitante@example.fr")
    page.goto(server + "/compte/identite/")
    expect(page.get_by_role("button", name=f"{sign_in_with} FranceConnect")).to_be_visible()
    assert_accessible(page)
    page.goto(server + "/verification/")
    expect(page.get_by_role("button", name=f"{sign_in_with} FranceConnect")).to_be_visible()
    assert_accessible(page)
