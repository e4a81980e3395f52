"""A resident deletes their account (issue #19, finding 6): asked for the password, refused with a wrong one (the
reason beside the field, the confirmation word kept), then deleted: signed out, their draft gone, their published
proposal shown as by « participant supprimé », and their email no longer signs in."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.browser.helpers import EMAIL_LABEL, PASSWORD_LABEL, assert_accessible, log_in
from tests.factories import PASSWORD, UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "odette.lemoine@example.org"


@pytest.fixture
def resident(db: Any) -> dict[str, Any]:
    user = UserFactory(email=EMAIL, pseudonym="odette-du-13", phone="06 71 42 98 13")
    module = ProposalModuleFactory(settings={"location_required": False})
    published = ProposalFactory(module=module, author=user, title="Des arbres dans la cour de l'école")
    draft = ProposalFactory(
        module=module, author=user, status=Proposal.Status.DRAFT, title="Un banc au 17 impasse des Glycines"
    )
    return {"user": user, "published": published, "draft": draft}


def test_a_resident_deletes_their_account(live_server: Any, page: Any, resident: dict[str, Any]) -> None:
    server = live_server.url
    log_in(page, server, EMAIL)
    page.goto(f"{server}/compte/profil/")
    page.get_by_role("link", name="Supprimer mon compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Supprimer mon compte")
    assert_accessible(page)

    page.get_by_label(PASSWORD_LABEL).fill("pas-le-bon-mot-de-passe")
    page.get_by_label("Pour confirmer, tapez SUPPRIMER").fill("SUPPRIMER")
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_text("Ce mot de passe n'est pas le bon.")).to_be_visible()
    expect(page.get_by_label(PASSWORD_LABEL)).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_label("Pour confirmer, tapez SUPPRIMER")).to_have_value("SUPPRIMER")  # kept
    assert_accessible(page)

    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name="Supprimer définitivement mon compte").click()
    expect(page.get_by_role("status")).to_contain_text("Votre compte a été supprimé.")
    expect(page.get_by_role("link", name="Se connecter")).to_be_visible()  # signed out
    assert_accessible(page)

    assert not Proposal.objects.filter(pk=resident["draft"].pk).exists()
    page.goto(f"{server}{resident['published'].get_absolute_url()}")
    expect(page.get_by_role("heading", level=1)).to_have_text("Des arbres dans la cour de l'école")
    expect(page.get_by_text("participant supprimé").first).to_be_visible()
    expect(page.get_by_text("odette-du-13")).to_have_count(0)

    page.goto(f"{server}/compte/login/")
    page.get_by_label(EMAIL_LABEL).fill(EMAIL)
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_role("button", name=re.compile("Connexion|Se connecter")).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("Connexion|Se connecter"))


def test_too_many_attempts_get_a_page_that_says_when_to_retry(
    live_server: Any, page: Any, resident: dict[str, Any], settings: Any
) -> None:
    """Guessing the password on this form is throttled like every write (participe/core/throttle.py)."""
    from django.core.cache import cache

    cache.clear()
    settings.PARTICIPE_THROTTLES = {"write": {"account": "2/h"}}
    server = live_server.url
    log_in(page, server, EMAIL)  # signed out when posting: counted for the address, which has no limit here
    page.goto(f"{server}/compte/supprimer/")
    for _attempt in range(3):
        page.get_by_label(PASSWORD_LABEL).fill("pas-le-bon-mot-de-passe")
        page.get_by_label("Pour confirmer, tapez SUPPRIMER").fill("SUPPRIMER")
        page.get_by_role("button", name="Supprimer définitivement mon compte").click()
        page.wait_for_load_state()
        if page.get_by_role("heading", level=1, name="Trop de demandes").count():
            break
    expect(page.get_by_role("heading", level=1)).to_have_text("Trop de demandes")
    expect(page.get_by_role("alert")).to_contain_text(re.compile(r"réessayez dans \d+ (seconde|minute)"))
    assert_accessible(page)
    cache.clear()
