"""Journey: residents answer questionnaires. A visitor without an account answers a questionnaire of two steps with a
conditional question, makes a mistake that is pointed out without losing anything typed, and gets a receipt; the same
without JavaScript, saving half-way and resuming; a questionnaire reserved to verified residents of a neighbourhood
tells a resident not verified why he cannot answer, while a verified neighbour answers it and reads her answers."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from participe.core.capabilities import Cap
from participe.modules.surveys.models import Answer, Question, Response, Tally
from participe.modules.surveys.tests.answering_data import Survey, build_survey
from participe.modules.surveys.tests.factories import QuestionnaireFactory, SurveyModuleFactory, make_choice_question
from participe.verifications.models import EligibilityRule
from tests.browser.helpers import assert_accessible, log_in
from tests.factories import SpaceFactory, TerritoryFactory, UserFactory, VerificationFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def label(text: str) -> re.Pattern[str]:
    """A field's accessible name, whether or not it is marked required."""
    return re.compile(rf"^{re.escape(text)}\s*(\*\s*)?(\(obligatoire\))?\s*$")


@pytest.fixture
def fete(transactional_db: Any) -> Survey:
    space = SpaceFactory(title="La fête du quartier", slug="fete-du-quartier", summary="Préparons la fête ensemble.")
    module = SurveyModuleFactory(space=space, title="Votre avis sur la fête", slug="avis-fete")
    return build_survey(QuestionnaireFactory(module=module, closing_message="<p>Rendez-vous le 21 juin !</p>"))


def open_questionnaire(page: Any, server: str, js: bool = True) -> None:
    page.goto(f"{server}/demarches/fete-du-quartier/")
    page.get_by_role("link", name="Votre avis sur la fête").first.click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Votre avis sur la fête")
    expect(page.get_by_text("Qui peut répondre : tout le monde, même sans compte.")).to_be_visible()
    if js:  # axe-core needs JavaScript; the pages are checked in the runs with it
        assert_accessible(page)
    page.get_by_role("link", name="Commencer").click()
    expect(page.locator("#survey-progress-text")).to_have_text("Étape 1 sur 2")


def fill_step_two(page: Any, age: str) -> None:
    expect(page.get_by_role("heading", level=2, name="Votre quartier")).to_be_visible()
    page.get_by_role("radio", name="4", exact=True).check()
    page.get_by_role("radio", name="La propreté : Bien").check()
    page.get_by_role("radio", name="Le bruit : Mal").check()
    page.get_by_label("Rang de Bibliothèque").select_option("1")
    page.get_by_label("Rang de Parc").select_option("2")
    page.get_by_label("Rang de Piscine").select_option("3")
    page.get_by_label(label("Votre âge")).fill(age)
    page.get_by_label(label("Vos remarques")).fill("Plus de tables pour le repas partagé.")


@pytest.mark.parametrize("page", ["desktop", "mobile"], indirect=True)
def test_a_visitor_answers_without_an_account_and_corrects_a_mistake(page: Any, server: str, fete: Survey) -> None:
    open_questionnaire(page, server)
    assert_accessible(page)
    why = page.get_by_label(label("Pourquoi ?"))
    expect(why).to_be_hidden()  # asked only to those who come
    page.get_by_role("radio", name="Oui").check()
    expect(why).to_be_visible()
    expect(page.locator("#survey-live")).to_contain_text("Une question s’ajoute selon votre réponse : Pourquoi ?")
    why.fill("Pour rencontrer les voisins")
    page.get_by_role("checkbox", name="Vélo").check()
    page.get_by_role("button", name="Suivant").click()

    expect(page.locator("#survey-progress-text")).to_have_text("Étape 2 sur 2")
    assert_accessible(page)
    fill_step_two(page, age="quarante-deux")
    page.get_by_role("button", name="Envoyer mes réponses").click()

    summary = page.get_by_role("alert")
    expect(summary).to_contain_text("Vos réponses ne sont pas encore envoyées : un point est à corriger")
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Erreur :"))
    age = page.get_by_label(label("Votre âge"))
    expect(age).to_have_value("quarante-deux")
    expect(age).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_role("radio", name="La propreté : Bien")).to_be_checked()
    expect(page.get_by_label("Rang de Piscine")).to_have_value("3")
    expect(page.get_by_label(label("Vos remarques"))).to_have_value("Plus de tables pour le repas partagé.")
    assert_accessible(page)
    summary.get_by_role("link", name="Votre âge").click()
    expect(age).to_be_focused()
    age.fill("42")
    page.get_by_role("button", name="Envoyer mes réponses").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, vos réponses sont enregistrées")
    expect(page.get_by_text("Rendez-vous le 21 juin !")).to_be_visible()
    sent = Response.objects.get(submitted_at__isnull=False)
    expect(page.get_by_text(sent.short_receipt)).to_be_visible()
    assert_accessible(page)
    assert sent.participant is None
    assert Answer.objects.get(response=sent, question=fete.why).text == "Pour rencontrer les voisins"
    assert Answer.objects.get(response=sent, question=fete.age).number == 42
    assert Tally.objects.get(question=fete.come).count == 1

    # The same browser cannot answer twice.
    page.goto(server + fete.module.get_absolute_url())
    expect(page.get_by_text("Vous avez déjà répondu à ce questionnaire depuis ce navigateur.")).to_be_visible()


def test_a_visitor_answers_without_javascript_saving_half_way(nojs_page: Any, server: str, fete: Survey) -> None:
    page = nojs_page
    open_questionnaire(page, server, js=False)
    expect(page.get_by_label(label("Pourquoi ?"))).to_be_hidden()
    page.get_by_role("radio", name="Oui").check()
    page.get_by_role("button", name="Suivant").click()
    # Without a script the page comes back once with the question the answer added, pointed out, not as an error.
    expect(page.get_by_role("status").filter(has_text="Selon votre réponse, une question s'ajoute")).to_be_visible()
    expect(page.get_by_role("alert")).to_have_count(0)
    expect(page.get_by_role("radio", name="Oui")).to_be_checked()
    page.get_by_label(label("Pourquoi ?")).fill("Pour la musique")
    page.get_by_role("button", name="Suivant").click()

    fill_step_two(page, age="37")
    page.get_by_role("button", name="Enregistrer et continuer plus tard").click()
    expect(page.get_by_role("status")).to_contain_text("Vos réponses sont enregistrées dans ce navigateur")
    page.get_by_role("link", name="Reprendre mes réponses").click()
    expect(page.locator("#survey-progress-text")).to_have_text("Étape 2 sur 2")
    expect(page.get_by_label(label("Votre âge"))).to_have_value("37")
    page.get_by_role("button", name="Précédent").click()
    expect(page.get_by_label(label("Pourquoi ?"))).to_have_value("Pour la musique")
    page.get_by_role("button", name="Suivant").click()
    page.get_by_role("button", name="Envoyer mes réponses").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, vos réponses sont enregistrées")
    sent = Response.objects.get(submitted_at__isnull=False)
    assert Answer.objects.get(response=sent, question=fete.why).text == "Pour la musique"
    assert Answer.objects.get(response=sent, question=fete.age).number == 37


@pytest.fixture
def restricted(transactional_db: Any) -> Any:
    gare = TerritoryFactory(name="Quartier de la Gare", slug="quartier-gare")
    space = SpaceFactory(title="Le square de la Gare", slug="square-gare", summary="Réaménager le square.")
    module = SurveyModuleFactory(
        space=space, title="Le square que nous voulons", slug="square", settings={"access": "signed_in"}
    )
    rule = EligibilityRule.objects.create(module=module, action=Cap.ANSWER, require_verification=True)
    rule.territories.set([gare])
    questionnaire = QuestionnaireFactory(module=module)
    games = make_choice_question(
        questionnaire,
        ["Des jeux d'enfants", "Un terrain de pétanque", "Des bancs à l'ombre"],
        kind=Question.Kind.MULTIPLE,
        title="Que voulez-vous dans le square ?",
        required=True,
    )
    return {"module": module, "games": games, "gare": gare}


def test_a_verified_resident_answers_a_restricted_questionnaire_and_a_non_verified_one_is_told_why(
    new_context: Any, server: str, restricted: dict[str, Any]
) -> None:
    module = restricted["module"]
    stranger = UserFactory(email="paul.martin@example.org", pseudonym="paul-martin")
    resident = VerificationFactory(
        user=UserFactory(email="elodie.durand@example.org", pseudonym="elodie-gare"), territory=restricted["gare"]
    ).user

    page = new_context().new_page()
    page.goto(server + module.get_absolute_url())
    expect(page.get_by_text("être un habitant vérifié, résider à Quartier de la Gare")).to_be_visible()
    expect(page.get_by_text("Connectez-vous pour répondre à ce questionnaire.")).to_be_visible()
    assert_accessible(page)

    log_in(page, server, stranger.email)
    page.goto(server + module.get_absolute_url())
    expect(page.get_by_text("Il faut d'abord vérifier votre lieu de résidence.")).to_be_visible()
    expect(page.get_by_role("link", name="Commencer")).to_have_count(0)
    expect(page.get_by_role("link", name="Vérifier mon lieu de résidence")).to_be_visible()
    assert_accessible(page)
    page.goto(server + module.get_absolute_url() + "repondre/1/")  # typing the address does not help
    expect(page.get_by_role("heading", level=1)).to_have_text("Le square que nous voulons")
    expect(page.get_by_text("Il faut d'abord vérifier votre lieu de résidence.").first).to_be_visible()

    page = new_context().new_page()
    log_in(page, server, resident.email)
    page.goto(server + module.get_absolute_url())
    page.get_by_role("link", name="Commencer").click()
    expect(page.locator("#survey-progress-text")).to_have_text("Étape 1 sur 1")
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("alert")).to_contain_text("Cochez au moins une réponse : cette question est obligatoire.")
    assert_accessible(page)
    page.get_by_role("checkbox", name="Des bancs à l'ombre").check()
    page.get_by_role("checkbox", name="Des jeux d'enfants").check()
    page.get_by_role("button", name="Envoyer mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Merci, vos réponses sont enregistrées")
    page.get_by_role("link", name="Relire mes réponses").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Mes réponses à « Le square que nous voulons »")
    expect(page.get_by_text("Des bancs à l'ombre")).to_be_visible()
    assert_accessible(page)
    sent = Response.objects.get(submitted_at__isnull=False)
    assert sent.participant == resident
    assert Answer.objects.filter(response=sent).count() == 2
