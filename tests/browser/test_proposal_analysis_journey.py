"""Journey: an agent analyses the proposals of an idea box and answers them (one by one and in bulk), enters a
proposal received on paper; the author then reads the answer on the proposal's page and in their notifications.
Every back-office page of the module goes through axe-core, and the answer is published without JavaScript too.
An agent of a service finds a proposal given to their service in the queue of the services (across modules), sees
it overdue, and adds a note on its analysis page."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from participe.assignments.tests.factories import AssignmentFactory
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import ItemFactory, ServiceFactory, ThemeFactory, UserFactory, make_org_admin, with_totp

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MOTIVE = "La place sera entièrement réaménagée en 2027 : les bancs seront prévus dans ce projet."


def label(text: str) -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def analyse_and_answer(page: Any, server: str, module: Any, proposal: Proposal) -> None:
    page.goto(server + reverse("backoffice:module_edit", args=[module.pk]))
    page.get_by_role("link", name="Analyser et répondre aux propositions").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Propositions de")
    assert_accessible(page)
    filters = page.get_by_role("group", name="Filtrer les propositions")
    filters.get_by_label(label("Réponse")).select_option(label="Sans réponse publiée")
    filters.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("status")).to_contain_text("3 propositions correspondent")
    page.get_by_role("link", name=proposal.title).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(proposal.title)
    assert_accessible(page)

    analysis = page.get_by_role("region", name="Analyse")
    analysis.get_by_label(label("Service chargé de l'analyse")).select_option(label="Espaces verts")
    analysis.get_by_role("button", name="Confier à ce service").click()
    expect(page.get_by_role("status")).to_contain_text("confiée au service Espaces verts")
    analysis = page.get_by_role("region", name="Analyse")
    analysis.get_by_label(label("Faisabilité")).select_option(label="réalisable en partie")
    analysis.get_by_label(label("Coût estimé (€)")).fill("4 800")
    analysis.get_by_role("button", name="Enregistrer la faisabilité et le coût").click()
    expect(page.get_by_role("status")).to_contain_text("La faisabilité et le coût estimé sont enregistrés.")
    notes = page.get_by_role("region", name="Notes internes")
    notes.get_by_label(label("Nouvelle note interne")).fill("Voir avec le projet de réaménagement de la place.")
    notes.get_by_role("button", name="Ajouter la note").click()
    expect(page.get_by_role("region", name="Notes internes")).to_contain_text("réaménagement de la place")

    answer = page.get_by_role("region", name="Réponse de la collectivité")
    answer.get_by_label("non retenue").check()
    answer.get_by_role("button", name="Enregistrer et publier la réponse").click()
    error = page.locator("#id_answer-answer-error")
    expect(error).to_contain_text("motif")
    expect(page.get_by_role("region", name="Réponse de la collectivité").get_by_label("non retenue")).to_be_checked()
    assert_accessible(page)
    answer = page.get_by_role("region", name="Réponse de la collectivité")
    answer.get_by_label(label("Réponse argumentée")).fill(MOTIVE)
    answer.get_by_role("button", name="Enregistrer et publier la réponse").click()
    expect(page.get_by_role("status")).to_contain_text("La réponse est publiée")
    expect(page.get_by_role("region", name="Historique public")).to_contain_text(
        "Réponse de la collectivité : non retenue"
    )


def answer_in_bulk(page: Any, server: str, module: Any, others: list[Proposal]) -> None:
    page.goto(server + reverse("backoffice:proposals:list", args=[module.pk]))
    for proposal in others:
        page.get_by_label(re.compile(rf"Sélectionner la proposition n° {proposal.reference} ")).check()
    page.get_by_role("button", name="Traiter les propositions cochées").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("2 propositions cochées")
    assert_accessible(page)
    prepare = page.get_by_role("region", name="Préparer la même réponse pour ces propositions")
    prepare.get_by_label("en analyse").check()
    prepare.get_by_label(label("Réponse argumentée")).fill(
        "Le service étudie ces propositions avec le conseil de quartier."
    )
    prepare.get_by_role("button", name="Préparer cette réponse").click()
    expect(page.get_by_role("status")).to_contain_text("Une réponse est préparée pour 2 propositions.")
    page.get_by_role("region", name="Publier les réponses préparées").get_by_role(
        "button", name="Publier les 2 réponses"
    ).click()
    expect(page.get_by_role("status")).to_contain_text("2 réponses sont publiées")
    assert_accessible(page)


def enter_a_paper_proposal(page: Any, server: str, module: Any) -> None:
    page.goto(server + reverse("backoffice:proposals:list", args=[module.pk]))
    page.get_by_role("link", name="Saisir une proposition reçue hors ligne").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Saisir une proposition reçue hors ligne")
    assert_accessible(page)
    page.get_by_label(re.compile("Un habitant sans compte")).check()
    page.get_by_label(label("Nom ou indication sur la personne (facultatif)")).fill("Mme Lopez")
    page.get_by_label("sur papier").check()
    page.get_by_label(label("Titre de la proposition")).fill("Une boîte à livres devant la mairie")
    page.get_by_label(label("Description")).fill("Pour échanger des livres entre voisins, à l'abri de la pluie.")
    page.get_by_role("button", name="Enregistrer la proposition", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("marquée « saisie par un agent »")
    expect(page.get_by_role("region", name="Notes internes")).to_contain_text("Déposée par : Mme Lopez (sans compte)")
    page.goto(server + reverse("backoffice:proposals:import", args=[module.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Importer des propositions (CSV)")
    assert_accessible(page)
    # The back-office menu leads to the modules where the agent has work (the breadcrumb does too).
    page.get_by_role("navigation", name="Menu du back-office").get_by_role(
        "link", name="Propositions à analyser"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propositions à analyser")
    expect(page.get_by_role("main")).to_contain_text(module.title)
    assert_accessible(page)
    page.goto(server + reverse("backoffice:proposals:answers", args=[module.pk]))
    expect(page.get_by_role("heading", level=1)).to_have_text("Réponses préparées à publier")
    assert_accessible(page)


def author_reads_the_answer(page: Any, server: str, author: Any, proposal: Proposal) -> None:
    log_in(page, server, author.email)
    page.goto(server + proposal.get_absolute_url())
    answer = page.get_by_role("region", name="Réponse de la collectivité")
    expect(answer).to_contain_text("Non retenue")
    expect(answer).to_contain_text(MOTIVE)
    assert_accessible(page)
    page.goto(server + reverse("notifications:list"))
    expect(page.get_by_role("main")).to_contain_text(proposal.title)
    expect(page.get_by_role("main")).to_contain_text("Réponse de la collectivité : non retenue")
    assert_accessible(page)


def test_an_agent_answers_and_the_author_is_told(new_context: Callable[..., Any], server: str) -> None:
    admin = make_org_admin(email="agent.mairie@example.org", pseudonym="agent-mairie")
    ServiceFactory(name="Espaces verts")
    module = ProposalModuleFactory(title="Boîte à idées du centre-ville")
    author = UserFactory(email="autrice@example.org", pseudonym="autrice")
    theme = ThemeFactory(name="Cadre de vie")
    proposal = ProposalFactory(module=module, author=author, title="Des bancs à l'ombre place du Marché", theme=theme)
    others = [
        ProposalFactory(module=module, title="Un composteur au square Dupuis"),
        ProposalFactory(module=module, title="Des arceaux vélos rue Haute"),
    ]

    page = new_context().new_page()
    log_in(page, server, admin.email, totp=True)
    analyse_and_answer(page, server, module, proposal)
    answer_in_bulk(page, server, module, others)
    enter_a_paper_proposal(page, server, module)

    author_reads_the_answer(new_context().new_page(), server, author, proposal)
    assert Proposal.objects.filter(module=module, answer_status="analysis").count() == 2


def test_the_answer_is_published_without_javascript(new_context: Callable[..., Any], server: str) -> None:
    admin = make_org_admin(email="agent.nojs@example.org", pseudonym="agent-nojs")
    proposal = ProposalFactory(title="Un passage piéton devant l'école")
    page = new_context(java_script_enabled=False).new_page()
    log_in(page, server, admin.email, totp=True)
    page.goto(server + reverse("backoffice:proposals:detail", args=[proposal.pk]))
    answer = page.get_by_role("region", name="Réponse de la collectivité")
    answer.get_by_label("retenue", exact=True).check()
    answer.get_by_label(label("Réponse argumentée")).fill("Il sera peint pendant les vacances de printemps.")
    answer.get_by_role("button", name="Enregistrer et publier la réponse").click()
    expect(page.get_by_role("status")).to_contain_text("La réponse est publiée")
    proposal.refresh_from_db()
    assert proposal.answer_status == "selected"


def test_an_agent_finds_an_overdue_proposal_in_the_queue_of_the_services_and_adds_a_note(
    new_context: Callable[..., Any], server: str
) -> None:
    service = ServiceFactory(name="Espaces verts")
    agent = with_totp(UserFactory(email="agent.verts@example.org", pseudonym="agent-verts"))
    service.members.add(agent)
    now = timezone.now()
    late = ProposalFactory(title="Un verger partagé au parc Léo-Lagrange")
    AssignmentFactory(
        item=late,
        service=service,
        assigned_at=now - datetime.timedelta(days=40),
        due_at=now - datetime.timedelta(days=10),
    )
    other = ItemFactory(title="Élagage des platanes du mail")  # an item of another module
    AssignmentFactory(item=other, service=service, due_at=now + datetime.timedelta(days=20))

    page = new_context().new_page()
    log_in(page, server, agent.email, totp=True)
    page.goto(server + reverse("backoffice:dashboard"))
    page.get_by_role("navigation", name="Menu du back-office").get_by_role(
        "link", name="File d'attente des services"
    ).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("File d'attente des services")
    assert_accessible(page)
    rows = page.get_by_role("table", name=re.compile("Éléments confiés aux services")).get_by_role("row")
    expect(rows.nth(1)).to_contain_text(late.title)  # overdue first
    expect(rows.nth(1)).to_contain_text("en retard")
    expect(rows.nth(2)).to_contain_text(other.title)
    page.get_by_label(label("Seulement les éléments en retard")).check()
    page.get_by_role("button", name="Filtrer").click()
    expect(page.get_by_role("main")).not_to_contain_text(other.title)
    page.get_by_role("link", name=late.title).click()

    expect(page.get_by_role("heading", level=1)).to_contain_text(late.title)
    expect(page.get_by_role("region", name="Analyse")).to_contain_text("en retard")
    notes = page.get_by_role("region", name="Notes internes")
    notes.get_by_label(label("Nouvelle note interne")).fill("Voir avec l'association des jardins partagés.")
    notes.get_by_role("button", name="Ajouter la note").click()
    expect(page.get_by_role("status")).to_contain_text("La note est ajoutée.")
    expect(page.get_by_role("region", name="Notes internes")).to_contain_text("association des jardins partagés")
    assert_accessible(page)
