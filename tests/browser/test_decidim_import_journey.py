"""Journey of the Decidim import (issue #17, « Réversibilité »): the organisation's administrator opens « Import
depuis Decidim » from the back-office's menu, uploads a file that is not a ZIP (told why, nothing imported), then a
Decidim open-data archive, reads the report (counts, ignored columns, bad rows) — nothing is imported yet —,
confirms, and opens the imported space, a draft with its proposals. Without JavaScript as with it; axe on every
page."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from participe.decidim_import.tests import samples
from participe.modules.proposals.models import Proposal
from tests.browser.conftest import DESKTOP
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import make_org_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check(page: Any, javascript: bool) -> None:
    """axe-core needs JavaScript: the same pages are checked by the run with JavaScript."""
    if javascript:
        assert_accessible(page)


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_the_administrator_imports_a_decidim_archive(
    new_context: Callable[..., Any], server: str, tmp_path: Any, javascript: bool
):
    admin = make_org_admin(email="admin@example.org")
    archive = tmp_path / "participez.lumerac.example-open-data.zip"
    archive.write_bytes(samples.recent_archive())
    not_a_zip = tmp_path / "propositions.csv"
    not_a_zip.write_text("id;title\n1;Des bancs\n", encoding="utf-8")

    page = new_context(java_script_enabled=javascript, **DESKTOP).new_page()
    log_in(page, server, admin.email, totp=True)
    page.goto(server + reverse("backoffice:dashboard"))
    page.get_by_role("navigation", name="Menu du back-office").get_by_role("link", name="Import depuis Decidim").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer une archive de données ouvertes Decidim")
    check(page, javascript)

    page.get_by_label("Archive des données ouvertes Decidim (ZIP)").set_input_files(str(not_a_zip))
    page.get_by_role("button", name="Vérifier l'archive").click()
    expect(page.locator("#id_archive-error")).to_contain_text("Ce fichier n'est pas une archive ZIP")
    check(page, javascript)

    page.get_by_label("Archive des données ouvertes Decidim (ZIP)").set_input_files(str(archive))
    page.get_by_role("button", name="Vérifier l'archive").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Rapport avant import")
    expect(page.get_by_role("row", name=re.compile("^Propositions"))).to_contain_text("4")
    expect(page.get_by_role("row", name=re.compile("^Commentaires"))).to_contain_text("4")
    expect(page.get_by_role("heading", name="6 lignes en erreur, laissées de côté")).to_be_visible()
    expect(page.get_by_text("couleur_preferee")).to_be_visible()
    assert Proposal.objects.count() == 0  # nothing is imported before the confirmation
    check(page, javascript)

    page.get_by_role("button", name="Importer l'archive").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Archive importée")
    expect(page.get_by_text("L'archive est importée :")).to_be_visible()
    check(page, javascript)
    page.get_by_role("link", name="Budget participatif 2024").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Budget participatif 2024")
    expect(page.get_by_text("Propositions").first).to_be_visible()
    assert Proposal.objects.count() == 4
