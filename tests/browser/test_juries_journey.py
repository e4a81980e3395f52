"""Journeys of a jury drawn by lot: an administrator sets the quotas, publishes the commitment, enters the seed and
draws; a visitor downloads the published files and re-runs the draw with ``manage.py jury_draw`` and gets the same
panel; a volunteer registers on a phone and sees their draw number. axe-core on every page."""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from participe.modules.juries import services
from participe.modules.juries.models import Draw
from participe.modules.juries.tests.factories import JuryModuleFactory
from participe.modules.juries.tests.test_services import POOL
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, UserFactory, make_org_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def jury(transactional_db: Any) -> Any:
    admin = make_org_admin(email="admin@lumerac.example")
    space = SpaceFactory(title="Jury citoyen mobilités", slug="jury-citoyen-mobilites")
    module = JuryModuleFactory(space=space, title="Jury citoyen mobilités", slug="jury")
    return module, admin


def test_an_admin_sets_quotas_commits_and_draws_then_a_visitor_redoes_the_draw(
    new_context: Any, server: str, jury: Any, tmp_path: Path
) -> None:
    module, admin = jury
    page = new_context().new_page()
    log_in(page, server, admin.email, totp=True)
    page.goto(server + f"/gestion/m/juries/{module.pk}/")
    assert_accessible(page)
    page.get_by_label("Nombre de membres").fill("9")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Le jury est enregistré.")
    page.get_by_label("Question posée aux volontaires").fill("Genre")
    page.get_by_label("Réponses et quotas, une par ligne").fill("Femme ; 4\nHomme ; 3 ; 5")
    page.get_by_role("button", name="Ajouter la caractéristique").click()
    expect(page).to_have_title(re.compile(r"^Erreur :"))  # line 1 has no maximum: what was typed stays
    expect(page.get_by_label("Réponses et quotas, une par ligne")).to_have_value("Femme ; 4\nHomme ; 3 ; 5")
    assert_accessible(page)
    page.get_by_label("Réponses et quotas, une par ligne").fill("Femme ; 4 ; 6\nHomme ; 3 ; 5")
    page.get_by_role("button", name="Ajouter la caractéristique").click()
    expect(page.get_by_role("status")).to_contain_text("La caractéristique et ses quotas sont enregistrés.")
    page.get_by_label("Question posée aux volontaires").fill("Âge")
    page.get_by_label("Réponses et quotas, une par ligne").fill("Jeune ; 33,3 %\nAdulte ; 2 ; 4\nSenior ; 2 ; 4")
    page.get_by_role("button", name="Ajouter la caractéristique").click()
    expect(page.get_by_role("status")).to_contain_text("La caractéristique et ses quotas sont enregistrés.")
    services.pool_import(actor=admin, module=module, text=POOL, confirm=True)  # the import page has its own tests

    page.goto(server + f"/gestion/m/juries/{module.pk}/")
    page.get_by_label("Source publique de hasard").fill("Loto FDJ : les 5 numéros et le numéro chance")
    page.get_by_role("button", name="Publier l'engagement").click()
    expect(page.get_by_role("status")).to_contain_text("Engagement publié")
    assert_accessible(page)
    page.get_by_label("Graine : le résultat de la source publique").fill("4 douze")
    page.get_by_role("button", name="Tirer au sort").click()
    expect(page).to_have_title(re.compile(r"^Erreur :"))
    page.get_by_label("Graine : le résultat de la source publique").fill("4 12 23 35 47 / 8")
    page.get_by_role("button", name="Tirer au sort").click()
    expect(page.get_by_role("status")).to_contain_text("Tirage effectué : 9 personnes invitées.")
    assert_accessible(page)
    draw = Draw.objects.get()

    visitor = new_context().new_page()
    visitor.goto(server + module.get_absolute_url())
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Jury citoyen mobilités")
    expect(visitor.get_by_text(draw.commitment_sha256)).to_be_visible()
    published = visitor.locator(".jury-result").inner_text().split()
    assert published == draw.result
    assert_accessible(visitor)
    visitor.get_by_text("Refaire ce tirage soi-même").click()
    command = visitor.locator("pre code").inner_text()
    assert '--size 9 --seed "4 12 23 35 47 / 8"' in command
    for name, link in (("categories.csv", "quotas (CSV)"), ("respondents.csv", "volontaires anonymisés (CSV)")):
        with visitor.expect_download() as download:
            visitor.get_by_role("link", name=link).click()
        download.value.save_as(tmp_path / name)
    out = io.StringIO()
    call_command(
        "jury_draw",
        categories=str(tmp_path / "categories.csv"),
        respondents=str(tmp_path / "respondents.csv"),
        size=9,
        seed="4 12 23 35 47 / 8",
        stdout=out,
    )
    assert out.getvalue().splitlines()[:-1] == published


@pytest.mark.parametrize("page", ["mobile"], indirect=True)
def test_a_resident_volunteers_on_a_phone_and_sees_their_number(page: Any, server: str, jury: Any) -> None:
    module, admin = jury
    services.feature_save(actor=admin, module=module, label="Genre", values="Femme ; 4 ; 6\nHomme ; 3 ; 5")
    resident = UserFactory(email="camille@example.org")
    log_in(page, server, resident.email)
    page.goto(server + module.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Je me porte volontaire").click()
    page.get_by_label("Femme").check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page).to_have_title(re.compile("volontaire"))  # the declaration is required; the answer stays checked
    expect(page.get_by_label("Femme")).to_be_checked()
    assert_accessible(page)
    page.get_by_label("J'habite le territoire de la collectivité et j'ai 16 ans ou plus.").check()
    page.get_by_role("button", name="M'inscrire").click()
    expect(page.get_by_role("status")).to_contain_text("Vous êtes inscrit·e parmi les volontaires")
    expect(page.get_by_text("Votre numéro de tirage : V0001.")).to_be_visible()
    assert_accessible(page)
