"""Journey 1: a resident signs up, confirms the email, completes the profile and proves residence."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.verifications.services import census_import
from tests.browser.helpers import EMAIL_LABEL, PASSWORD_LABEL, assert_accessible, link_in, open_menu
from tests.factories import TerritoryFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

EMAIL = "elodie.durand@example.org"
PASSWORD = "un-mot-de-passe-robuste-42"


@pytest.fixture
def census(db: Any) -> dict[str, Any]:
    gare = TerritoryFactory(name="Quartier de la Gare", slug="quartier-gare")
    TerritoryFactory(name="Vieux Bourg", slug="vieux-bourg")
    census_import(
        actor=make_agent(),
        filename="recensement.csv",
        data=(
            "nom;prenom;date_naissance;territoire\n"
            "Durand;Élodie;14/07/1985;quartier-gare\n"
            "Martin;Paul;02/03/1960;vieux-bourg\n"
        ).encode(),
    )
    return {"territory": gare}


def sign_up_and_confirm(page: Any, server: str, mailoutbox: list[Any]) -> None:
    page.goto(server)
    open_menu(page)  # folded on a phone
    page.get_by_role("link", name="Créer un compte").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(re.compile("Création de compte"))
    assert_accessible(page)
    page.get_by_label(EMAIL_LABEL).fill(EMAIL)
    page.get_by_label("Pseudonyme").fill("elodie-gare")
    page.get_by_label(PASSWORD_LABEL).fill(PASSWORD)
    page.get_by_label("Mot de passe (confirmation)").fill(PASSWORD)
    page.get_by_label(re.compile("j'accepte les conditions")).check()
    page.get_by_role("button", name="Création de compte").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(re.compile("adresse", re.I))
    assert_accessible(page)
    assert len(mailoutbox) == 1, [m.subject for m in mailoutbox]
    message = mailoutbox[0]
    assert message.to == [EMAIL]
    page.goto(link_in(message.body))
    assert_accessible(page)
    page.get_by_role("button", name="Confirmer").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")


def complete_profile(page: Any) -> None:
    page.get_by_label("Prénom").fill("Élodie")
    page.get_by_label("Nom", exact=True).fill("Durand")
    page.get_by_label("Territoire de résidence").select_option(label="Quartier de la Gare")
    page.get_by_role("button", name="Enregistrer").click()
    expect(page.get_by_role("status")).to_contain_text("Votre profil a été enregistré.")
    expect(page.get_by_label("Prénom")).to_have_value("Élodie")
    assert_accessible(page)


def open_census_form(page: Any) -> None:
    page.get_by_role("link", name="Vérifier ma résidence").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Vérifier ma résidence")
    assert_accessible(page)
    page.get_by_role("link", name="Vérifier en ligne").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("recensement")
    assert_accessible(page)


def type_identity(page: Any, last_name: str, first_name: str, birth_date: str) -> None:
    page.get_by_label("Nom de famille").fill(last_name)
    page.get_by_label("Prénom").fill(first_name)
    page.get_by_label("Date de naissance").fill(birth_date)  # a date control takes ISO dates from Playwright
    page.get_by_role("button", name="Vérifier").click()


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_resident_signs_up_and_verifies_residence(
    page: Any, server: str, mailoutbox: list[Any], census: dict[str, Any]
) -> None:
    sign_up_and_confirm(page, server, mailoutbox)
    complete_profile(page)
    open_census_form(page)

    type_identity(page, "DURAND", "elodie", "1985-07-14")  # case and accents do not matter

    expect(page.get_by_role("heading", level=1)).to_have_text("Mon compte")
    expect(page.get_by_role("status")).to_contain_text("vous êtes vérifié comme habitant de Quartier de la Gare")
    verification = page.get_by_role("region", name="Vérification de résidence")
    expect(verification).to_contain_text("Recensement des habitants — Quartier de la Gare")
    expect(verification.get_by_role("link", name="Vérifier ma résidence")).to_have_count(0)
    assert_accessible(page)


def test_wrong_birth_date_is_refused_and_keeps_what_was_typed(
    page: Any, server: str, mailoutbox: list[Any], census: dict[str, Any]
) -> None:
    sign_up_and_confirm(page, server, mailoutbox)
    open_census_form(page)

    type_identity(page, "Durand", "Élodie", "1985-07-15")

    alert = page.get_by_role("alert")
    expect(alert).to_contain_text("Ces informations ne correspondent à aucun habitant recensé.")
    expect(page.get_by_label("Nom de famille")).to_have_value("Durand")
    expect(page.get_by_label("Prénom")).to_have_value("Élodie")
    expect(page.get_by_label("Date de naissance")).to_have_value("1985-07-15")
    expect(alert).to_be_focused()  # participe.js brings keyboard users to the error summary
    assert_accessible(page)

    page.goto(page.url.split("/verification/")[0] + "/compte/profil/")
    expect(page.get_by_role("region", name="Vérification de résidence")).to_contain_text(
        "réservées aux habitants vérifiés"
    )
