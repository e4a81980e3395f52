"""Journeys of a votation and its secret ballot: a verified resident votes online (a mistake pointed out next to the
question, the review, the receipt) and checks the receipt after the count; residents who may not vote are told why;
an agent signs a paper voter in at a polling station, who then cannot vote online; two agents type a batch of paper
ballots with one mismatch; the administrator closes, is refused while a station lacks ballots, counts and publishes;
anyone downloads the tally file and recounts it with the documented script. axe-core on every page."""

from __future__ import annotations

import datetime
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.accounts.models import User
from participe.ballots.models import Ballot, PollingStation, RollEntry
from participe.core.capabilities import Cap
from participe.modules.votation.models import Question
from participe.modules.votation.tests.factories import VotationModuleFactory, make_votation
from participe.verifications.models import EligibilityRule
from participe.verifications.services import census_import, census_verify
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, TerritoryFactory, UserFactory, VerificationFactory, make_agent, make_org_admin

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

RECOUNT = Path(__file__).resolve().parents[2] / "participe" / "ballots" / "recount.py"
CENSUS = "nom;prenom;date_naissance;territoire\nDUPONT;Marcel;05/01/1941;Q01\nLEFEVRE;Camille;14/07/1985;Q01\n"


@dataclass
class Vote:
    question: Question
    station: PollingStation
    admin: User
    agents: list[User]
    url: str


@pytest.fixture
def vote(transactional_db: Any) -> Vote:
    centre = TerritoryFactory(name="Centre-ville", slug="centre-ville", code="Q01")
    admin = make_org_admin(email="admin@lumerac.example")
    census_import(actor=admin, filename="recensement.csv", data=CENSUS.encode())
    space = SpaceFactory(title="Réaménager la place du Marché", slug="place-du-marche")
    module = VotationModuleFactory(space=space, title="Nom de la future place", slug="nom-de-la-place")
    question = make_votation(
        module=module,
        admin=admin,
        options=("Place des Tilleuls", "Place Simone-Veil", "Place de la Fontaine"),
        text="Quel nom donner à la future place du Marché ?",
        election={"channels": "both", "publish_receipts": True, "min_group": 1, "batch_size": 2},
    )
    rule = EligibilityRule.objects.create(module=module, action=Cap.VOTE, require_verification=True)
    rule.territories.set([centre])
    agents = [make_agent(email="agent@lumerac.example"), make_agent(email="agente@lumerac.example")]
    station = PollingStation.objects.create(
        module=module, name="Mairie — salle des mariages", place="1 place de l'Hôtel-de-Ville", territory=centre
    )
    station.agents.add(*agents)
    return Vote(question, station, admin, agents, module.get_absolute_url())


def resident(email: str, territory_code: str = "Q01") -> User:
    user = UserFactory(email=email)
    VerificationFactory(user=user, territory=TerritoryFactory._meta.model.objects.get(code=territory_code))
    return user


def cast_online(page: Any, server: str, vote: Vote, option: str) -> str:
    """Open the ballot, submit it empty (the mistake), choose, review, confirm; returns the receipt code."""
    page.goto(server + vote.url)
    assert_accessible(page)
    page.get_by_role("link", name="Voter", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mon bulletin")
    page.get_by_role("button", name="Relire mon bulletin").click()
    expect(page.get_by_role("alert")).to_contain_text("Choisissez une réponse.")
    expect(page).to_have_title(re.compile(r"^Erreur :"))
    assert_accessible(page)
    page.get_by_role("radio", name=option).check()
    page.get_by_role("button", name="Relire mon bulletin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relire mon bulletin")
    expect(page.locator(".votation-review__ballot")).to_have_text(option)
    assert_accessible(page)
    page.get_by_role("button", name="Déposer mon bulletin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A voté : votre bulletin est dans l'urne")
    assert_accessible(page)
    return page.locator(".votation-receipt__code").inner_text().strip()


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_a_verified_resident_votes_online_and_checks_the_receipt_after_the_count(
    page: Any, server: str, vote: Vote
) -> None:
    camille = resident("camille@example.org")
    log_in(page, server, camille.email)
    receipt = cast_online(page, server, vote, "Place Simone-Veil")
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", receipt)
    page.goto(server + vote.url)
    expect(page.get_by_text(re.compile(r"^Vous avez voté en ligne le"))).to_be_visible()
    expect(page.get_by_role("link", name="Voter", exact=True)).to_have_count(0)

    from participe.ballots import services

    services.election_close(actor=vote.admin, election=vote.question.election)
    services.election_count(actor=vote.admin, election=vote.question.election)
    page.goto(server + vote.url)
    page.get_by_role("link", name="Vérifier un reçu de vote").click()
    assert_accessible(page)
    page.get_by_label("Code de reçu").fill(receipt.lower().replace("-", " "))
    page.get_by_role("button", name="Vérifier").click()
    expect(page.get_by_role("status")).to_contain_text(
        f"Le bulletin du reçu {receipt} est dans l'urne et a été compté."
    )
    expect(page.get_by_role("status")).to_contain_text("Place Simone-Veil")
    assert_accessible(page)


def test_without_javascript_the_ballot_works_the_same(nojs_page: Any, server: str, vote: Vote) -> None:
    page = nojs_page
    log_in(page, server, resident("jeanne@example.org").email)
    page.goto(server + vote.url + "voter/")
    page.get_by_role("radio", name="Place des Tilleuls").check()
    page.get_by_role("button", name="Relire mon bulletin").click()
    page.get_by_role("button", name="Modifier mon bulletin").click()
    expect(page.get_by_role("radio", name="Place des Tilleuls")).to_be_checked()
    page.get_by_role("radio", name="Place de la Fontaine").check()
    page.get_by_role("button", name="Relire mon bulletin").click()
    page.get_by_role("button", name="Déposer mon bulletin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A voté : votre bulletin est dans l'urne")
    assert RollEntry.objects.filter(channel="online").count() == 1


def test_residents_who_may_not_vote_are_told_why(new_context: Any, server: str, vote: Vote) -> None:
    page = new_context().new_page()
    page.goto(server + vote.url)
    expect(page.get_by_text("Connectez-vous pour voter.")).to_be_visible()
    expect(page.get_by_text("Qui peut voter : être un habitant vérifié, résider à Centre-ville.")).to_be_visible()

    log_in(page, server, UserFactory(email="paul@example.org").email)
    page.goto(server + vote.url)
    expect(page.get_by_text("Il faut d'abord vérifier votre lieu de résidence.")).to_be_visible()
    expect(page.get_by_role("link", name="Vérifier mon lieu de résidence")).to_be_visible()
    assert_accessible(page)
    page.goto(server + vote.url + "voter/")  # typing the address does not help
    expect(page.get_by_role("status")).to_contain_text("Il faut d'abord vérifier votre lieu de résidence.")

    TerritoryFactory(name="Gare", code="Q02")
    page = new_context().new_page()
    log_in(page, server, resident("lina@example.org", territory_code="Q02").email)
    page.goto(server + vote.url)
    expect(page.get_by_text("Cette participation est réservée aux habitants d'un autre territoire.")).to_be_visible()
    assert_accessible(page)


def test_an_agent_signs_a_paper_voter_in_who_then_cannot_vote_online(new_context: Any, server: str, vote: Vote) -> None:
    marcel = UserFactory(email="marcel@example.org", first_name="Marcel", last_name="Dupont")
    census_verify(user=marcel, last_name="DUPONT", first_name="Marcel", birth_date=datetime.date(1941, 1, 5))

    page = new_context().new_page()
    log_in(page, server, vote.agents[0].email, totp=True)
    page.goto(server + "/gestion/")
    page.get_by_role("link", name="Scrutins").click()
    assert_accessible(page)
    page.get_by_role("link", name="Mairie — salle des mariages", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Émargement — Mairie — salle des mariages")
    page.get_by_label("Nom", exact=True).fill("Dupont")
    page.get_by_label("Prénom").fill("marcel")
    page.get_by_label("Date de naissance").fill("1941-01-05")
    page.get_by_role("button", name="Émarger").click()
    expect(page.get_by_role("status")).to_contain_text("Émargement enregistré")
    assert_accessible(page)
    page.get_by_label("Nom", exact=True).fill("DUPONT")
    page.get_by_label("Prénom").fill("Marcel")
    page.get_by_label("Date de naissance").fill("1941-01-05")
    page.get_by_role("button", name="Émarger").click()
    expect(page.get_by_role("alert")).to_contain_text("Cette personne a déjà voté à ce scrutin, au bureau de vote")

    page = new_context().new_page()
    log_in(page, server, marcel.email)
    page.goto(server + vote.url)
    expect(page.get_by_text("Vous avez voté au bureau de vote « Mairie — salle des mariages »")).to_be_visible()
    page.goto(server + vote.url + "voter/")
    expect(page.get_by_role("status")).to_contain_text(
        "Vous avez déjà voté à ce scrutin, au bureau de vote « Mairie — salle des mariages »"
    )
    assert not Ballot.objects.exists() and RollEntry.objects.count() == 1


def sign_in_paper_voters(vote: Vote, count: int) -> None:
    from participe.ballots import identity, services

    for n in range(count):
        person = identity.from_documents(f"Votant{n}", "Papier", datetime.date(1960, 1, 1 + n), vote.station.territory)
        services.roll_sign_paper(
            actor=vote.agents[0], election=vote.question.election, station=vote.station, voter=person
        )


def type_batch(page: Any, codes: str) -> None:
    page.get_by_label("Numéro du lot").fill("1")
    page.get_by_label("Nombre de bulletins du lot").fill("5")
    page.get_by_label(re.compile(r"^Bulletins\b")).fill(codes)
    page.get_by_role("button", name="Enregistrer ma saisie").click()


def test_two_agents_type_a_paper_batch_with_one_mismatch(new_context: Any, server: str, vote: Vote) -> None:
    sign_in_paper_voters(vote, 5)
    batches = f"{server}/gestion/scrutins/{vote.question.election.pk}/bureaux/{vote.station.pk}/lots/"
    first = new_context().new_page()
    log_in(first, server, vote.agents[0].email, totp=True)
    first.goto(batches)
    assert_accessible(first)
    type_batch(first, "1\n2\n2\nB\n3")
    expect(first.get_by_role("status")).to_contain_text("un second agent doit saisir le même lot")

    second = new_context().new_page()
    log_in(second, server, vote.agents[1].email, totp=True)
    second.goto(batches)
    type_batch(second, "1\n2\n3\nB\n3")
    alert = second.get_by_role("alert")
    expect(alert).to_contain_text("votre saisie diffère de la première sur 1 ligne")
    expect(alert.get_by_role("row", name="3 3 2")).to_be_visible()
    assert_accessible(second)
    assert not Ballot.objects.exists()
    type_batch(second, "1 2 2 B 3")
    expect(second.get_by_role("status")).to_contain_text("Les deux saisies concordent")
    assert Ballot.objects.filter(station=vote.station).count() == 5


def test_the_admin_closes_counts_and_the_public_recounts_the_tally_file(
    new_context: Any, server: str, vote: Vote, tmp_path: Path
) -> None:
    from participe.ballots import services

    for email, option in (("a@example.org", 0), ("b@example.org", 1), ("c@example.org", 1)):
        ids = list(vote.question.options.order_by("position").values_list("pk", flat=True))
        services.ballot_cast(actor=resident(email), election=vote.question.election, content={"choices": [ids[option]]})
    sign_in_paper_voters(vote, 2)

    page = new_context().new_page()
    log_in(page, server, vote.admin.email, totp=True)
    page.goto(f"{server}/gestion/scrutins/{vote.question.election.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Clore le scrutin").click()
    page.get_by_role("button", name="Clore le scrutin").click()
    expect(page.get_by_role("status")).to_contain_text("Le scrutin est clos.")
    page.get_by_role("link", name="Dépouiller et publier").click()
    page.get_by_role("button", name="Dépouiller et publier les résultats").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Mairie — salle des mariages : 2 émargements, 0 bulletins (écart : +2)."
    )
    assert_accessible(page)
    for agent in vote.agents:
        services.batch_enter(
            actor=agent,
            election=vote.question.election,
            station=vote.station,
            number=1,
            declared_count=2,
            codes=["3", "X"],
        )
    page.get_by_role("button", name="Dépouiller et publier les résultats").click()
    expect(page.get_by_role("status")).to_contain_text("Le scrutin est dépouillé")

    visitor = new_context().new_page()
    visitor.goto(server + vote.url)
    visitor.get_by_role("link", name="Voir les résultats").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Résultats — Nom de la future place")
    expect(visitor.get_by_text("En tête : Place Simone-Veil.")).to_be_visible()
    table = visitor.get_by_role("table", name="Résultats — Ensemble des votants")
    expect(table.get_by_role("row", name=re.compile(r"^Place Simone-Veil"))).to_contain_text("50,0")
    assert_accessible(visitor)
    sha = visitor.locator("code.sha").inner_text().strip()
    with visitor.expect_download() as download:
        visitor.get_by_role("link", name="Télécharger le fichier de dépouillement (JSON)").click()
    path = tmp_path / "depouillement.json"
    download.value.save_as(path)
    recount = subprocess.run(
        [sys.executable, str(RECOUNT), str(path), "--sha256", sha], capture_output=True, text=True, check=False
    )
    assert recount.returncode == 0, recount.stdout + recount.stderr
    assert "Décompte conforme." in recount.stdout
