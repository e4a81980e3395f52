"""Journeys of a budget participatif: an agent turns retained proposals into projects, publishes the services' answers
and opens the vote; a resident fills a budget ballot with the « reste à dépenser » bar (with JavaScript, and without:
« Vérifier mon bulletin ») and gets a receipt; the administrator closes, counts, tallies and publishes; a visitor reads
why a project was not funded. axe-core on every page."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.accounts.models import User
from participe.ballots import services as ballots
from participe.ballots.models import RollEntry
from participe.modules.budgets import services
from participe.modules.budgets.models import Envelope, Project
from participe.modules.budgets.tests.factories import BudgetModuleFactory, make_envelope, make_projects
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.spaces.models import SpaceMembership
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, UserFactory, VerificationFactory, make_org_admin, make_space_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@dataclass
class Budget:
    envelope: Envelope
    admin: User
    url: str


@pytest.fixture
def budget(transactional_db: Any) -> Budget:
    admin = make_org_admin(email="admin@lumerac.example")
    space = SpaceFactory(title="Budget participatif 2027", slug="budget-participatif-2027")
    module = BudgetModuleFactory(space=space, title="Budget participatif 2027", slug="budget")
    envelope = make_envelope(module=module, admin=admin, title="Toute la ville", amount=100_000)
    return Budget(envelope, admin, module.get_absolute_url())


def open_vote(budget: Budget) -> list[Project]:
    projects = make_projects(budget.envelope, (60_000, 50_000, 30_000, 10_000), admin=budget.admin)
    titles = ("Un skatepark", "Une médiathèque de quartier", "Un jardin partagé", "Des nichoirs")
    for project, title in zip(projects, titles, strict=True):
        Project.objects.filter(pk=project.pk).update(title=title)
    envelope = services.vote_open(actor=budget.admin, envelope=budget.envelope)
    envelope.election.min_group, envelope.election.batch_size = 1, 1
    envelope.election.save(update_fields=["min_group", "batch_size"])
    budget.envelope = envelope
    return list(Project.objects.order_by("reference"))


def resident(email: str) -> User:
    user = UserFactory(email=email)
    VerificationFactory(user=user)
    return user


def test_an_agent_turns_retained_proposals_into_projects_and_opens_the_vote(
    new_context: Any, server: str, budget: Budget
) -> None:
    space = budget.envelope.module.space
    agent = make_space_role(space, SpaceMembership.Role.ADMIN, email="agent@lumerac.example")
    idea_box = ProposalModuleFactory(space=space, title="Boîte à idées")
    ProposalFactory(
        module=idea_box,
        title="Un verger partagé",
        answer_status=Proposal.AnswerStatus.SELECTED,
        answered_at=space.created_at,
        estimated_cost=22_000,
    )
    page = new_context().new_page()
    log_in(page, server, agent.email, totp=True)
    module = budget.envelope.module
    page.goto(server + f"/gestion/m/budgets/{module.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Projets issus des propositions retenues").click()
    assert_accessible(page)
    page.get_by_label("Un verger partagé").check()
    page.get_by_label("Enveloppe des nouveaux projets").select_option(label="Toute la ville")
    page.get_by_role("button", name="Créer les projets").click()
    expect(page.get_by_role("status")).to_contain_text("1 projets créés")
    page.get_by_role("link", name="Analyse par les services").first.click()
    page.get_by_label("Un verger partagé").check()
    page.get_by_role("button", name="Préparer l'avis").click()
    expect(page.locator(".error-summary, .errorlist").first).to_be_visible()  # the answer is required
    expect(page).to_have_title(re.compile(r"^Erreur :"))
    assert_accessible(page)
    page.get_by_label("Un verger partagé").check()
    page.get_by_label("Avis de faisabilité").select_option("feasible")
    page.get_by_label("Réponse argumentée").fill("Trente arbres fruitiers sur la parcelle municipale.")
    page.get_by_role("button", name="Préparer l'avis").click()
    page.get_by_label("Un verger partagé").check()
    page.get_by_role("button", name="Publier les avis préparés").click()
    expect(page.get_by_role("status")).to_contain_text("1 avis publiés")
    page.goto(server + f"/gestion/m/budgets/{module.pk}/")
    page.get_by_role("link", name="Ouvrir le vote Toute la ville").click()
    assert_accessible(page)
    page.get_by_role("button", name="Ouvrir le vote").click()
    expect(page.get_by_role("status")).to_contain_text("Le vote de l'enveloppe est ouvert")
    project = Project.objects.get(title="Un verger partagé")
    assert project.origin == "proposal" and project.on_ballot
    page.goto(server + project.get_absolute_url())
    expect(page.get_by_text("Trente arbres fruitiers sur la parcelle municipale.")).to_be_visible()
    expect(page.get_by_role("link", name=re.compile("Un verger partagé"))).to_have_count(1)  # the origin's link
    assert_accessible(page)


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_a_resident_fills_a_budget_ballot_with_the_live_bar_and_gets_a_receipt(
    page: Any, server: str, budget: Budget
) -> None:
    open_vote(budget)
    log_in(page, server, resident("camille@example.org").email)
    page.goto(server + budget.envelope.get_absolute_url())
    assert_accessible(page)
    page.get_by_role("link", name="Remplir mon bulletin").click()
    expect(page.locator("#budget-summary")).to_contain_text("Reste à dépenser : 100\u202f000\xa0€")
    assert_accessible(page)
    page.get_by_label(re.compile("Un skatepark")).check()
    expect(page.locator("#budget-summary")).to_contain_text("Reste à dépenser : 40\u202f000\xa0€")
    page.get_by_label(re.compile("Une médiathèque")).check()
    expect(page.locator("#budget-summary")).to_contain_text("Dépassement : 10\u202f000\xa0€")
    assert_accessible(page)
    page.get_by_label(re.compile("Une médiathèque")).uncheck()
    page.get_by_label(re.compile("Un jardin partagé")).check()
    expect(page.locator("#budget-summary")).to_contain_text("Reste à dépenser : 10\u202f000\xa0€")
    page.get_by_role("button", name="Relire et valider").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Relire mon bulletin")
    assert_accessible(page)
    page.get_by_role("button", name="Déposer mon bulletin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A voté : votre bulletin est dans l'urne")
    assert_accessible(page)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", page.locator(".budget-receipt__code").inner_text())


def test_without_javascript_the_ballot_is_checked_by_the_server(nojs_page: Any, server: str, budget: Budget) -> None:
    page = nojs_page
    open_vote(budget)
    log_in(page, server, resident("jeanne@example.org").email)
    page.goto(server + budget.envelope.get_absolute_url() + "voter/")
    page.get_by_label(re.compile("Un skatepark")).check()
    page.get_by_label(re.compile("Une médiathèque")).check()
    page.get_by_role("button", name="Vérifier mon bulletin").click()
    expect(page.locator("#budget-summary")).to_contain_text("Dépassement : 10\u202f000\xa0€")
    expect(page.get_by_role("alert")).to_contain_text("plus que l'enveloppe")
    expect(page.get_by_label(re.compile("Un skatepark"))).to_be_checked()  # nothing typed is lost
    page.get_by_role("button", name="Relire et valider").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Mon bulletin")  # refused: over the envelope
    page.get_by_label(re.compile("Une médiathèque")).uncheck()
    page.get_by_role("button", name="Relire et valider").click()
    page.get_by_role("button", name="Modifier mon bulletin").click()
    expect(page.get_by_label(re.compile("Un skatepark"))).to_be_checked()
    page.get_by_label(re.compile("Des nichoirs")).check()
    page.get_by_role("button", name="Relire et valider").click()
    page.get_by_role("button", name="Déposer mon bulletin").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("A voté : votre bulletin est dans l'urne")
    assert RollEntry.objects.filter(channel="online").count() == 1


def test_the_admin_closes_tallies_and_publishes_and_a_visitor_reads_why_a_project_was_not_funded(
    new_context: Any, server: str, budget: Budget
) -> None:
    skatepark, library, garden, boxes = open_vote(budget)
    for n, chosen in enumerate(([skatepark, garden], [skatepark, boxes], [skatepark], [library], [library, garden])):
        ballots.ballot_cast(
            actor=resident(f"votant{n}@example.org"),
            election=budget.envelope.election,
            content={"projects": [p.pk for p in chosen]},
        )
    page = new_context().new_page()
    log_in(page, server, budget.admin.email, totp=True)
    page.goto(server + f"/gestion/m/budgets/{budget.envelope.module.pk}/")
    page.get_by_role("link", name="Scrutin Toute la ville").click()
    page.get_by_role("link", name="Clore le scrutin").click()
    page.get_by_role("button", name="Clore le scrutin").click()
    page.get_by_role("link", name="Dépouiller et publier").click()
    page.get_by_role("button", name="Dépouiller et publier les résultats").click()
    page.goto(server + f"/gestion/m/budgets/enveloppes/{budget.envelope.pk}/resultats/")
    assert_accessible(page)
    page.get_by_label("Règle de dépouillement").select_option("greedy")
    page.get_by_role("button", name="Calculer le résultat").click()
    expect(page.get_by_role("status")).to_contain_text("Le résultat est calculé")
    assert_accessible(page)
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_role("status")).to_contain_text("Les résultats sont publiés")

    visitor = new_context().new_page()
    visitor.goto(server + budget.url)
    visitor.get_by_role("link", name="Projets retenus — Toute la ville").click()
    expect(visitor.get_by_role("heading", level=1)).to_have_text("Projets retenus — Toute la ville")
    expect(visitor.locator(".lead")).to_contain_text("3 projets financés")
    assert_accessible(visitor)
    visitor.get_by_role("link", name="Une médiathèque de quartier").first.click()
    expect(visitor.get_by_role("heading", name="Pourquoi ce projet n'est pas financé")).to_be_visible()
    expect(visitor.get_by_text(re.compile("il ne restait que 10\u202f000\xa0€"))).to_be_visible()
    assert_accessible(visitor)


PABULIB = """META
key;value
description;Budget participatif de Lumerac 2026 (simulation)
budget;100000
vote_type;approval
rule;greedy
PROJECTS
project_id;cost;name
1;60000;Un skatepark
2;50000;Une médiathèque de quartier
3;40000;Un jardin partagé
VOTES
voter_id;vote
1;1,3
2;1
3;2,3
4;2
5;7
"""


def test_an_agent_imports_a_pabulib_file_and_a_visitor_reads_its_results_on_a_phone(
    new_context: Any, server: str, budget: Budget
) -> None:
    from tests.browser.conftest import MOBILE

    module = budget.envelope.module
    page = new_context().new_page()
    log_in(page, server, budget.admin.email, totp=True)
    page.goto(server + f"/gestion/m/budgets/{module.pk}/")
    page.get_by_role("link", name="Importer une enveloppe (Pabulib)").click()
    assert_accessible(page)
    page.get_by_label("Intitulé de l'enveloppe").fill("Simulation 2026")
    upload = {"name": "lumerac-2026.pb", "mimeType": "text/plain", "buffer": PABULIB.encode()}
    page.get_by_label("Fichier Pabulib (.pb)").set_input_files(upload)
    page.get_by_role("button", name="Importer").click()
    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Rien n'a été importé : le fichier a 1 erreur.")
    expect(summary).to_contain_text("Ligne 18 : le vote cite le projet inconnu 7")
    expect(page.get_by_label("Intitulé de l'enveloppe")).to_have_value("Simulation 2026")  # kept
    assert_accessible(page)
    assert not Envelope.objects.filter(imported_from="lumerac-2026.pb").exists()
    page.get_by_label("Fichier Pabulib (.pb)").set_input_files(upload)
    page.get_by_label("Importer sans les bulletins faux listés ci-dessus").check()
    page.get_by_role("button", name="Importer").click()
    expect(page.get_by_role("status")).to_contain_text("L'enveloppe « Simulation 2026 » est importée.")
    expect(page.get_by_text("Enveloppe importée du fichier Pabulib « lumerac-2026.pb »")).to_be_visible()
    assert_accessible(page)
    page.get_by_label("Règle de dépouillement").select_option("mes-add1")
    page.get_by_role("button", name="Calculer le résultat").click()
    expect(page.get_by_role("status")).to_contain_text("Le résultat est calculé")
    page.get_by_role("button", name="Publier les résultats").click()
    expect(page.get_by_role("status")).to_contain_text("Les résultats sont publiés")
    envelope = Envelope.objects.get(imported_from="lumerac-2026.pb")

    phone = new_context(**MOBILE).new_page()
    phone.goto(server + envelope.get_absolute_url() + "projets-retenus/")
    expect(phone.get_by_role("heading", level=1)).to_have_text("Projets retenus — Simulation 2026")
    expect(
        phone.get_by_text("Simulation : 4 bulletins importés du fichier Pabulib « lumerac-2026.pb ».")
    ).to_be_visible()
    row = phone.get_by_role("row", name=re.compile("Une médiathèque de quartier"))
    expect(row).to_contain_text("2")  # its two votes, from the file
    assert_accessible(phone)
