"""Journey: an agent builds a questionnaire with conditional logic in the back-office, then previews it as residents
will see it. Every page goes through axe-core; it runs with and without JavaScript (the builder is plain forms).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.modules.surveys.models import Question
from participe.modules.surveys.tests.factories import QuestionnaireFactory, preparation_phase
from participe.spaces.models import SpaceMembership
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, make_agent

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SURVEY = "Vos déplacements au quotidien"
TRANSPORT = "Comment venez-vous au travail ?"
WHY = "Qu'est-ce qui vous ferait laisser la voiture ?"
SATISFIED = "Êtes-vous satisfait de vos trajets ?"


# Pages opened without JavaScript are not run through axe-core (it does not return on the builder's page when
# scripts are off); the same HTML is checked by the run with JavaScript.
WITHOUT_SCRIPT: set[int] = set()


def accessible(page: Any) -> None:
    if id(page) not in WITHOUT_SCRIPT:
        assert_accessible(page)


def label(text: str) -> re.Pattern[str]:
    """A field's label, whether or not it is marked required (a trailing asterisk)."""
    return re.compile(rf"^{re.escape(text)}( \*)?$")


def heading(page: Any) -> Any:
    return page.get_by_role("heading", level=1)


def add_question(page: Any, kind: str) -> None:
    page.get_by_role("link", name="Ajouter une question").first.click()
    expect(heading(page)).to_have_text("Ajouter une question")
    page.get_by_label(kind, exact=True).check()
    page.get_by_role("button", name="Continuer").click()


def write_presentation(page: Any) -> None:
    page.get_by_role("link", name="Modifier la présentation").click()
    expect(heading(page)).to_contain_text("Présentation du questionnaire")
    accessible(page)
    page.get_by_label(label("Introduction")).fill("Huit minutes pour préparer le plan de mobilité.")
    page.get_by_label(label("Message de fin")).fill("Merci ! Résultats en réunion publique le 14 avril.")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("La présentation du questionnaire a été enregistrée.")
    expect(page.get_by_role("region", name="Présentation")).to_contain_text("Huit minutes")


def add_section(page: Any, title: str) -> None:
    add_question(page, "Section (titre et texte explicatif)")
    expect(heading(page)).to_have_text("Ajouter une section")
    page.get_by_label(label("Titre de la section")).fill(title)
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"La section « {title} » a été enregistrée.")


def add_transport(page: Any) -> None:
    add_question(page, "Choix unique")
    expect(heading(page)).to_have_text("Ajouter une question : Choix unique")
    accessible(page)
    page.get_by_label(label("Intitulé de la question")).fill(TRANSPORT)
    page.get_by_label("Réponse obligatoire").check()
    page.get_by_label("Choix 1", exact=True).fill("Voiture")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    # One choice is not a question: the form comes back with the error next to the choices, nothing lost.
    expect(page.get_by_role("alert")).to_contain_text("Indiquez au moins 2 choix.")
    expect(page.get_by_label(label("Intitulé de la question"))).to_have_value(TRANSPORT)
    expect(page.get_by_label("Choix 1", exact=True)).to_have_value("Voiture")
    accessible(page)
    page.get_by_label("Choix 2", exact=True).fill("Bus")
    page.get_by_label("Choix 3", exact=True).fill("Vélo")
    page.get_by_label("Proposer « Autre, précisez »").check()
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text(f"La question « {TRANSPORT} » a été enregistrée.")
    card = page.locator(".card", has=page.get_by_role("heading", name=f"Q1. {TRANSPORT}"))
    expect(card).to_contain_text("obligatoire")
    expect(card.get_by_role("listitem")).to_have_text(["Voiture", "Bus", "Vélo", "Autre, précisez (avec précision)"])


def add_texts(page: Any) -> None:
    add_question(page, "Texte long")
    page.get_by_label(label("Intitulé de la question")).fill(WHY)
    page.get_by_label("Nombre maximal de caractères").fill("1000")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("a été enregistrée")
    add_question(page, "Échelle")
    accessible(page)
    page.get_by_label(label("Intitulé de la question")).fill(SATISFIED)
    page.get_by_label("Libellé de la valeur la plus basse").fill("Pas du tout")
    page.get_by_label("Libellé de la valeur la plus haute").fill("Tout à fait")
    page.get_by_role("button", name="Enregistrer", exact=True).click()
    expect(page.get_by_role("status")).to_contain_text("a été enregistrée")


def set_condition(page: Any) -> None:
    page.get_by_role("link", name=f"Ajouter une condition — « {WHY} »").click()
    expect(heading(page)).to_have_text(f"Condition d'affichage de « {WHY} »")
    accessible(page)
    page.get_by_label("Afficher cette question seulement si la question").select_option(label=TRANSPORT)
    page.get_by_role("button", name="Afficher les réponses de cette question").click()
    page.get_by_label("Voiture", exact=True).check()
    page.get_by_role("button", name="Enregistrer la condition").click()
    expect(page.get_by_role("status")).to_contain_text("La condition d'affichage")
    card = page.locator(".card", has=page.get_by_role("heading", name=f"Q2. {WHY}"))
    expect(card).to_contain_text("affichée seulement si la réponse à Q1 est « Voiture ».")


def reorder(page: Any) -> None:
    # The scale goes before the conditional question; the conditional question cannot go above its condition.
    page.get_by_role("button", name=f"Monter « {SATISFIED} »").click()
    expect(page.get_by_role("status")).to_contain_text(f"« {SATISFIED} » a été déplacée.")
    titles = page.locator(".card h3")
    expect(titles).to_have_text(
        [
            "Page 1 — section « Vos trajets »",
            f"Q1. {TRANSPORT}",
            "Page 2 — section « Votre avis »",
            f"Q2. {SATISFIED}",
            f"Q3. {WHY}",
        ]
    )
    page.get_by_role("button", name=f"Monter « {SATISFIED} »").click()
    page.get_by_role("button", name=f"Descendre « {SATISFIED} »").click()
    expect(titles.nth(4)).to_have_text(f"Q3. {WHY}")
    accessible(page)


def preview(page: Any) -> None:
    page.get_by_role("link", name=re.compile(r"^Aperçu")).click()
    expect(page.get_by_text("Aperçu : vous voyez le questionnaire comme un participant")).to_be_visible()
    expect(page.get_by_role("heading", name="Vos trajets")).to_be_visible()
    accessible(page)
    page.get_by_label("Vélo", exact=True).check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_role("heading", name="Votre avis")).to_be_visible()
    expect(page.get_by_text(SATISFIED)).to_be_visible()
    expect(page.get_by_text(WHY)).to_have_count(0)  # by bike: the question about leaving the car is not asked
    page.get_by_role("button", name="Précédent").click()
    page.get_by_label("Voiture", exact=True).check()
    page.get_by_role("button", name="Suivant").click()
    expect(page.get_by_text(WHY)).to_be_visible()
    accessible(page)


def other_pages(page: Any, server: str, module_pk: int) -> None:
    """The builder's other pages pass axe-core too: a matrix, a change of kind, a copy, a deletion."""
    builder = f"{server}/gestion/m/surveys/{module_pk}/questionnaire/"
    page.goto(builder)
    add_question(page, "Matrice (lignes × choix unique)")
    expect(page.get_by_role("group", name="Lignes de la matrice")).to_be_visible()
    accessible(page)
    page.goto(builder)
    page.get_by_role("link", name=f"Modifier « {TRANSPORT} »").click()
    page.get_by_role("link", name="Changer de type").click()
    expect(heading(page)).to_have_text(f"Changer le type de « {TRANSPORT} »")
    accessible(page)
    page.goto(builder)
    page.get_by_role("link", name="Dupliquer le questionnaire").click()
    expect(page.get_by_text("Aucun autre questionnaire sans réponse ne vous est accessible.")).to_be_visible()
    accessible(page)
    page.goto(builder)
    page.get_by_role("link", name=f"Supprimer « {SATISFIED} »").click()
    expect(heading(page)).to_have_text(f"Supprimer « {SATISFIED} »")
    accessible(page)
    page.get_by_role("link", name="Annuler").click()
    expect(heading(page)).to_have_text(f"Questionnaire « {SURVEY} »")


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_agent_builds_a_questionnaire_with_a_condition_and_previews_it(
    new_context: Callable[..., Any], server: str, transactional_db: Any, javascript: bool
) -> None:
    agent = make_agent(email="agent.mobilite@example.org", pseudonym="agent-mobilite")
    space = SpaceFactory(title="Plan de mobilité 2027")
    SpaceMembership.objects.create(space=space, user=agent, role=SpaceMembership.Role.ADMIN)
    questionnaire = QuestionnaireFactory(module__space=space, module__title=SURVEY, intro="", closing_message="")
    preparation_phase(questionnaire.module)  # built and tried before it opens

    page = new_context(java_script_enabled=javascript).new_page()
    if not javascript:
        WITHOUT_SCRIPT.add(id(page))
    try:
        log_in(page, server, agent.email, totp=True)
        page.goto(f"{server}/gestion/modules/{questionnaire.module_id}/")
        page.get_by_role("link", name="Construire le questionnaire").click()
        expect(heading(page)).to_have_text(f"Questionnaire « {SURVEY} »")
        accessible(page)

        write_presentation(page)
        add_section(page, "Vos trajets")
        add_transport(page)
        add_section(page, "Votre avis")
        add_texts(page)
        set_condition(page)
        reorder(page)
        preview(page)
        if javascript:
            other_pages(page, server, questionnaire.module_id)
    finally:
        WITHOUT_SCRIPT.discard(id(page))

    assert Question.objects.filter(questionnaire=questionnaire).count() == 5
    why = Question.objects.get(title=WHY)
    assert why.condition_question.title == TRANSPORT
    assert [c.label for c in why.condition_choices.all()] == ["Voiture"]
