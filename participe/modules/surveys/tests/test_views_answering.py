"""The public pages of answering: the module page and its states, the answer pages (progress, errors kept next to
their fields, conditions, drafts), the receipt, "mes réponses", files, preview, test mode and paper questionnaires."""

from __future__ import annotations

import datetime
import html
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participe.core.capabilities import Cap
from participe.modules.surveys.models import Answer, Question, Questionnaire, Response
from participe.modules.surveys.tests.answering_data import build_survey, posted, valid_values
from participe.modules.surveys.tests.factories import (
    QuestionFactory,
    QuestionnaireFactory,
    make_choice_question,
    preparation_phase,
    results_phase,
)
from participe.spaces.models import Space
from participe.verifications.models import EligibilityRule
from tests.factories import PhaseFactory, TerritoryFactory, UserFactory, VerificationFactory, make_org_admin

pytestmark = pytest.mark.django_db
DAY = datetime.timedelta(days=1)


def text(response) -> str:
    return html.unescape(response.content.decode())


def page_url(survey_or_module, page: int, mode: str = "") -> str:
    module = getattr(survey_or_module, "module", survey_or_module)
    url = reverse("spaces:surveys:answer", kwargs={"slug": module.space.slug, "module_slug": module.slug, "page": page})
    return f"{url}?{mode}=1" if mode else url


def set_settings(survey, **values):
    module = survey.module
    module.settings = {**module.settings, **values}
    module.save()


def page_one(survey) -> dict:
    values = valid_values(survey)
    keys = [str(survey.come.pk), str(survey.why.pk), str(survey.transport.pk)]
    return {**posted({k: values[k] for k in keys}), "shown": [str(survey.why.pk)]}


def page_two(survey) -> dict:
    values = valid_values(survey)
    first = {str(survey.come.pk), str(survey.why.pk), str(survey.transport.pk)}
    return posted({k: v for k, v in values.items() if k not in first})


def answer_all(client, survey) -> object:
    assert client.post(page_url(survey, 1), page_one(survey)).status_code == 302
    return client.post(page_url(survey, 2), page_two(survey))


@pytest.fixture
def survey():
    return build_survey()


# --- the module page --------------------------------------------------------------------------------------------
def test_the_module_page_says_who_may_answer_until_when_and_lets_anyone_start(client, survey):
    page = text(client.get(survey.module.get_absolute_url()))
    assert "Merci de prendre quelques minutes pour répondre." in page  # the introduction
    assert "Ouvert jusqu'au" in page
    assert "Qui peut répondre : tout le monde, même sans compte." in page
    assert "Une seule réponse par participant." in page
    assert "10 questions, en 2 étapes." in page
    assert f'href="{page_url(survey, 1)}">Commencer' in page
    assert "Pour les gestionnaires" not in page


def test_the_module_page_asks_visitors_to_sign_in_when_answers_need_an_account(client, survey):
    set_settings(survey, access="signed_in")
    page = text(client.get(survey.module.get_absolute_url()))
    assert "Connectez-vous pour répondre à ce questionnaire." in page
    assert "Se connecter" in page and "Commencer" not in page
    response = client.get(page_url(survey, 1))
    assert response.status_code == 302 and response["Location"].startswith(reverse("account_login"))


def closed_phase(module) -> None:
    """The answers phase ended yesterday; the results phase is running."""
    now = timezone.now()
    module.phases.all().delete()
    PhaseFactory(module=module, phase_type="reponses", name="Réponses", start=now - DAY * 30, end=now - DAY)
    PhaseFactory(module=module, phase_type="resultats", name="Résultats", start=now - DAY, end=now + DAY * 30)


@pytest.mark.parametrize(
    ("phase", "message"),
    [
        (preparation_phase, "Le questionnaire ouvrira le"),
        (closed_phase, "Le questionnaire est clos depuis le"),
        (results_phase, "Le questionnaire n'est pas ouvert aux réponses."),
    ],
)
def test_the_module_page_says_when_it_opens_or_since_when_it_is_closed(client, survey, phase, message):
    phase(survey.module)
    page = text(client.get(survey.module.get_absolute_url()))
    assert message in page and "Commencer" not in page
    response = client.get(page_url(survey, 1))
    assert response.status_code == 302 and response["Location"] == survey.module.get_absolute_url()


def test_a_questionnaire_still_empty_says_it_is_being_prepared(client):
    questionnaire = QuestionnaireFactory()
    page = text(client.get(questionnaire.module.get_absolute_url()))
    assert "Le questionnaire est en préparation" in page and "Commencer" not in page


def test_a_restricted_questionnaire_tells_who_may_answer_and_why_not(client, survey):
    centre = TerritoryFactory(name="Centre-ville")
    rule = EligibilityRule.objects.create(module=survey.module, action=Cap.ANSWER)
    rule.territories.set([centre])
    page = text(client.get(survey.module.get_absolute_url()))
    assert "être un habitant vérifié, résider à Centre-ville" in page
    client.force_login(UserFactory())
    page = text(client.get(survey.module.get_absolute_url()))
    assert "Il faut d'abord vérifier votre lieu de résidence." in page
    assert reverse("verifications:index") in page and "Commencer" not in page
    client.force_login(VerificationFactory(territory=centre).user)
    assert "Commencer" in text(client.get(survey.module.get_absolute_url()))


def test_after_answering_once_the_page_says_so_and_offers_to_read_the_answers(client, survey):
    user = UserFactory()
    client.force_login(user)
    answer_all(client, survey)
    page = text(client.get(survey.module.get_absolute_url()))
    assert "Vous avez déjà répondu à ce questionnaire" in page
    assert reverse("spaces:surveys:mine", args=[survey.module.space.slug, survey.module.slug]) in page
    set_settings(survey, multiple_answers=True)
    assert "Répondre à nouveau" in text(client.get(survey.module.get_absolute_url()))


def test_the_staff_see_the_preview_test_and_paper_links(client, survey):
    client.force_login(make_org_admin())
    page = text(client.get(survey.module.get_absolute_url()))
    assert f"{page_url(survey, 1)}?apercu=1" in page
    assert f"{page_url(survey, 1)}?test=1" in page
    assert f"{page_url(survey, 1)}?papier=1" in page


def test_a_private_space_asks_visitors_to_sign_in_and_a_draft_space_is_not_found(client, survey):
    space = survey.module.space
    space.visibility = Space.Visibility.PRIVATE
    space.save()
    response = client.get(page_url(survey, 1))
    assert response.status_code == 302 and "login" in response["Location"]
    client.force_login(UserFactory())
    assert client.get(page_url(survey, 1)).status_code == 403
    space.status = Space.Status.DRAFT
    space.save()
    assert client.get(page_url(survey, 1)).status_code == 404


# --- answering --------------------------------------------------------------------------------------------------
def test_each_page_shows_its_section_and_the_progress(client, survey):
    page = text(client.get(page_url(survey, 1)))
    assert "Étape 1 sur 2" in page and '<progress class="survey-progress__bar" max="2" value="1"' in page
    assert "Viendrez-vous à la fête ?" in page and "Votre quartier" not in page
    client.post(page_url(survey, 1), page_one(survey))
    page = text(client.get(page_url(survey, 2)))
    assert "Étape 2 sur 2" in page and '<h2 class="survey-section__title">Votre quartier</h2>' in page
    assert "Quelques questions sur le quartier." in page
    assert "Envoyer mes réponses" in page and "Précédent" in page


def test_every_kind_of_question_is_labelled_for_assistive_technologies(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    page = text(client.get(page_url(survey, 2)))
    m = survey.matrix
    row, bien = survey.rows[0], survey.choice(m, "Bien")
    assert (
        f'<label for="q{m.pk}-{row.pk}-c{bien.pk}" class="survey-matrix__label"><span class="visually-hidden">La propreté : </span>'
        in page
    )
    assert '<th scope="col">Bien</th>' in page and '<th scope="row">La propreté' in page
    parc = survey.choice(survey.ranking, "Parc")
    assert (
        f'<label for="q{survey.ranking.pk}-rank-{parc.pk}"><span class="visually-hidden">Rang de </span>Parc</label>'
        in page
    )
    assert f'<select id="q{survey.ranking.pk}-rank-{parc.pk}"' in page
    assert (
        f'<label for="q{survey.mood.pk}-v1"><span class="survey-scale__value">1</span><span class="survey-scale__end"><span class="visually-hidden"> : </span>Pas du tout</span></label>'
        in page
    )
    assert f'<input type="text" inputmode="numeric" class="survey-number__input" id="q{survey.age.pk}"' in page
    assert f'aria-describedby="q{survey.age.pk}-hint"' in page and "Un nombre entre 0 et 120." in page
    assert f'<input type="file" id="q{survey.photo.pk}"' in page and 'enctype="multipart/form-data"' in page
    assert page.count("<fieldset") == 3  # scale, matrix, ranking: a group with its legend each


def test_a_validation_error_keeps_what_was_typed_and_says_what_to_fix_next_to_the_field(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    data = page_two(survey)
    data[f"q{survey.age.pk}"] = "quarante-deux"
    data[f"q{survey.remarks.pk}"] = "Plus de bancs."
    response = client.post(page_url(survey, 2), data)
    assert response.status_code == 200
    page = text(response)
    assert "<title>Erreur :" in page
    assert 'class="error-summary" role="alert" tabindex="-1"' in page
    assert "Vos réponses ne sont pas encore envoyées : un point est à corriger" in page
    assert f'<a href="#q{survey.age.pk}">Votre âge</a> : Saisissez un nombre, par exemple 12.' in page
    assert f'<p class="error" id="q{survey.age.pk}-error">' in page
    assert f'aria-describedby="q{survey.age.pk}-hint q{survey.age.pk}-error" aria-invalid="true"' in page
    assert 'value="quarante-deux"' in page and ">Plus de bancs.</textarea>" in page
    bien = survey.choice(survey.matrix, "Bien")
    assert f'value="{bien.pk}" checked' in page
    assert not Response.objects.filter(submitted_at__isnull=False).exists()
    # The draft kept it too: coming back later shows what was typed.
    assert 'value="quarante-deux"' in text(client.get(page_url(survey, 2)))


def test_a_required_choice_left_blank_links_the_summary_to_the_first_option(client, survey):
    response = client.post(page_url(survey, 1), {"shown": [str(survey.why.pk)]})
    page = text(response)
    first = survey.come.choices.first()
    assert f'<a href="#q{survey.come.pk}-c{first.pk}">Viendrez-vous à la fête ?</a> : Choisissez une réponse' in page
    assert (
        f'<fieldset class="field field--group survey-choices field--error" aria-describedby="q{survey.come.pk}-error">'
        in page
    )


def test_questions_shown_by_an_answer_of_the_same_page_are_pointed_out_without_a_script(client, survey):
    # Without a script, "Pourquoi ?" was hidden when the page was drawn: answering "Oui" shows it.
    page = text(client.get(page_url(survey, 1)))
    assert f'id="q{survey.why.pk}-block" data-condition-name="q{survey.come.pk}"' in page
    assert f'<input type="hidden" name="shown" value="{survey.why.pk}" disabled>' in page
    oui = survey.choice(survey.come, "Oui")
    response = client.post(page_url(survey, 1), {f"q{survey.come.pk}": oui.pk})
    assert response.status_code == 200
    page = text(response)
    assert "Selon votre réponse, une question s'ajoute sur cette page" in page
    assert "Question ajoutée selon votre réponse" in page
    assert "error-summary" not in page  # not an error: it had never been shown
    response = client.post(page_url(survey, 1), page_one(survey))
    assert response.status_code == 302 and response["Location"] == page_url(survey, 2)


def test_a_page_whose_questions_are_all_hidden_is_skipped():
    questionnaire = QuestionnaireFactory()
    come = make_choice_question(questionnaire, ["Oui", "Non"], title="Avez-vous un vélo ?", required=True)
    QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.SECTION, title="Votre vélo")
    bike = QuestionFactory(
        questionnaire=questionnaire, kind=Question.Kind.SHORT_TEXT, title="Quelle marque ?", condition_question=come
    )
    bike.condition_choices.set([come.choices.get(label="Oui")])
    QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.SECTION, title="Pour finir")
    QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.SHORT_TEXT, title="Un mot ?")
    from django.test import Client

    client = Client()
    non = come.choices.get(label="Non")
    response = client.post(page_url(questionnaire, 1), {f"q{come.pk}": non.pk})
    assert response["Location"] == page_url(questionnaire, 3)
    page = text(client.get(page_url(questionnaire, 3)))
    assert "Étape 2 sur 2" in page
    assert client.get(page_url(questionnaire, 2))["Location"] == page_url(questionnaire, 3)
    response = client.post(page_url(questionnaire, 3), {"action": "previous"})
    assert response["Location"] == page_url(questionnaire, 1)


def test_saving_to_continue_later_keeps_the_answers_and_the_page(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    data = page_two(survey)
    data["action"] = "save"
    response = client.post(page_url(survey, 2), data)
    assert response.status_code == 302 and response["Location"] == survey.module.get_absolute_url()
    page = text(client.get(survey.module.get_absolute_url()))
    assert "Vos réponses sont enregistrées dans ce navigateur" in page
    assert f'href="{page_url(survey, 2)}">Reprendre mes réponses' in page
    draft = Response.objects.get()
    assert draft.page == 2 and draft.submitted_at is None and draft.draft[str(survey.age.pk)] == ["42"]


def test_going_back_keeps_what_was_typed_without_checking_it(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    response = client.post(page_url(survey, 2), {"action": "previous", f"q{survey.age.pk}": "abc"})
    assert response["Location"] == page_url(survey, 1)
    assert 'value="abc"' in text(client.get(page_url(survey, 2)))


def test_starting_again_deletes_the_draft(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    response = client.post(reverse("spaces:surveys:discard", args=[survey.module.space.slug, survey.module.slug]))
    assert response.status_code == 302 and not Response.objects.exists()


def test_sending_records_the_answers_and_shows_the_receipt_with_the_closing_message(client, survey):
    response = answer_all(client, survey)
    sent = Response.objects.get()
    assert sent.is_submitted and Answer.objects.filter(response=sent).count() == 13
    assert response["Location"] == reverse(
        "spaces:surveys:receipt", args=[survey.module.space.slug, survey.module.slug, sent.receipt]
    )
    page = text(client.get(response["Location"]))
    assert "Merci, vos réponses sont enregistrées" in page
    assert sent.short_receipt in page and "Merci pour votre participation." in page
    # Another browser does not see this receipt.
    from django.test import Client

    assert Client().get(response["Location"]).status_code == 404


def test_a_refused_submission_goes_back_to_the_page_to_correct_with_its_errors(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    draft = Response.objects.get()
    draft.draft = {k: v for k, v in draft.draft.items() if k != str(survey.come.pk)}  # lost meanwhile
    draft.save()
    response = client.post(page_url(survey, 2), page_two(survey))
    assert response["Location"] == page_url(survey, 1) + "?verifier=1"
    page = text(client.get(response["Location"], follow=True))
    assert "Une réponse est à corriger avant l'envoi" in page
    assert "Choisissez une réponse : cette question est obligatoire." in page


def test_a_file_is_kept_between_pages_and_can_be_removed(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    data = page_two(survey)
    data["action"] = "save"
    data[f"q{survey.photo.pk}"] = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%fin\n")
    client.post(page_url(survey, 2), data)
    page = text(client.get(page_url(survey, 2)))
    assert "Fichier joint : plan.pdf" in page and "Retirer le fichier plan.pdf" in page
    response = client.post(page_url(survey, 2), page_two(survey))  # no new file: the first one stays
    assert response.status_code == 302
    answer = Answer.objects.get(question=survey.photo)
    assert answer.file_name == "plan.pdf" and answer.file.name.startswith("surveys/")


def test_a_refused_file_says_why_next_to_the_field(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    data = page_two(survey)
    data[f"q{survey.photo.pk}"] = SimpleUploadedFile("script.exe", b"MZ" + b"\x00" * 100)
    page = text(client.post(page_url(survey, 2), data))
    assert f'<p class="error" id="q{survey.photo.pk}-error">' in page
    assert "Ce type de fichier n'est pas accepté" in page


def test_files_sent_with_answers_are_never_public_media(client, survey):
    client.post(page_url(survey, 1), page_one(survey))
    data = page_two(survey)
    data[f"q{survey.photo.pk}"] = SimpleUploadedFile("plan.pdf", b"%PDF-1.4\n%fin\n")
    client.post(page_url(survey, 2), data)
    answer = Answer.objects.get(question=survey.photo)
    assert client.get(f"/media/{answer.file.name}").status_code == 404
    url = reverse("spaces:surveys:answer_file", args=[survey.module.space.slug, survey.module.slug, answer.pk])
    assert client.get(url).status_code == 404  # a visitor: not even the one who sent it, without an account
    client.force_login(make_org_admin())
    response = client.get(url)
    assert response.status_code == 200 and 'filename="plan.pdf"' in response["Content-Disposition"]


# --- one's own answers ------------------------------------------------------------------------------------------
def test_a_participant_reads_their_own_answers(client, survey):
    user = UserFactory()
    client.force_login(user)
    answer_all(client, survey)
    page = text(client.get(reverse("spaces:surveys:mine", args=[survey.module.space.slug, survey.module.slug])))
    assert "Mes réponses à" in page and Response.objects.get().short_receipt in page
    assert "Pour les voisins" in page and "La propreté : Bien" in page and "1. Bibliothèque" in page
    assert "42 ans" in page and "1er\xa0septembre\xa02019" in page
    other = UserFactory()
    client.force_login(other)
    page = text(client.get(reverse("spaces:surveys:mine", args=[survey.module.space.slug, survey.module.slug])))
    assert "Vous n'avez pas encore envoyé de réponse" in page and "Pour les voisins" not in page


def test_anonymous_answers_cannot_be_read_back(client, survey):
    set_settings(survey, anonymous=True)
    client.force_login(UserFactory())
    response = answer_all(client, survey)
    # The receipt is the answer to the submission itself (no address to come back to, nothing in the session).
    assert response.status_code == 200
    page = text(response)
    assert "Vos réponses sont anonymes" in page and "Relire mes réponses" not in page
    assert not client.session.get("surveys_receipts")
    page = text(client.get(reverse("spaces:surveys:mine", args=[survey.module.space.slug, survey.module.slug])))
    assert "Les réponses à ce questionnaire sont anonymes" in page
    assert not Response.objects.exists()  # staged: the mixer saves it with the next batch


def test_my_answers_need_an_account(client, survey):
    response = client.get(reverse("spaces:surveys:mine", args=[survey.module.space.slug, survey.module.slug]))
    assert response.status_code == 302 and "login" in response["Location"]


# --- staff modes ------------------------------------------------------------------------------------------------
def test_the_preview_saves_nothing(client, survey):
    client.force_login(make_org_admin())
    page = text(client.get(page_url(survey, 1, "apercu")))
    assert "Aperçu : vous voyez le questionnaire comme un participant ; rien n'est enregistré." in page
    assert client.post(page_url(survey, 1, "apercu"), page_one(survey))["Location"] == page_url(survey, 2, "apercu")
    response = client.post(page_url(survey, 2, "apercu"), page_two(survey))
    assert response.status_code == 200
    page = text(response)
    assert "Aperçu terminé" in page and "Merci pour votre participation." in page
    assert not Response.objects.exists()


def test_the_preview_works_before_the_opening(client, survey):
    preparation_phase(survey.module)
    client.force_login(make_org_admin())
    response = client.get(page_url(survey, 1, "apercu"))
    assert response.status_code == 200
    page = text(response)
    assert "Aperçu : vous voyez le questionnaire comme un participant ; rien n'est enregistré." in page
    assert survey.come.title in page and survey.why.title in page  # the questions of the first page
    assert client.post(page_url(survey, 1, "apercu"), page_one(survey))["Location"] == page_url(survey, 2, "apercu")
    assert not Response.objects.exists()


def test_test_mode_records_a_test_response_never_counted(client, survey):
    client.force_login(make_org_admin())
    client.post(page_url(survey, 1, "test"), page_one(survey))
    response = client.post(page_url(survey, 2, "test"), page_two(survey))
    page = text(client.get(response["Location"]))
    assert "Réponse de test enregistrée" in page
    sent = Response.objects.get()
    assert sent.is_test and not Answer.objects.exists()
    assert Questionnaire.objects.get().responses_count == 0


def test_a_resident_following_a_staff_link_simply_answers(client, survey):
    client.force_login(UserFactory())
    page = text(client.get(page_url(survey, 1, "test")))
    assert "Mode test" not in page
    client.post(page_url(survey, 1, "test"), page_one(survey))
    assert not Response.objects.get().is_test


def test_an_agent_types_paper_questionnaires_one_after_the_other(client, survey):
    admin = make_org_admin()
    client.force_login(admin)
    for _ in range(2):
        client.post(page_url(survey, 1, "papier"), page_one(survey))
        response = client.post(page_url(survey, 2, "papier"), page_two(survey))
        page = text(client.get(response["Location"]))
        assert "Questionnaire papier enregistré" in page and "Saisir un autre questionnaire papier" in page
    assert Response.objects.filter(entered_by=admin, participant__isnull=True, is_test=False).count() == 2
    assert Questionnaire.objects.get().responses_count == 2


# --- cost -------------------------------------------------------------------------------------------------------
def test_an_answer_page_costs_the_same_whatever_the_number_of_questions(client):
    questionnaire = QuestionnaireFactory()
    for _ in range(2):
        make_choice_question(questionnaire, ["A", "B", "C"])
    client.get(page_url(questionnaire, 1))
    with CaptureQueriesContext(connection) as few:
        client.get(page_url(questionnaire, 1))
    for _ in range(10):
        make_choice_question(questionnaire, ["A", "B", "C"])
        QuestionFactory(questionnaire=questionnaire, kind=Question.Kind.SHORT_TEXT)
    with CaptureQueriesContext(connection) as many:
        response = client.get(page_url(questionnaire, 1))
    assert response.status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)
    assert re.search(r"Étape 1 sur 1", text(response))


def test_an_agent_participating_for_a_resident_answers_in_their_name(client, survey):
    from participe.activity.models import AuditEntry
    from participe.verifications.services import managed_account_create
    from tests.factories import make_agent

    agent = make_agent()
    resident = managed_account_create(
        agent=agent, first_name="Odette", last_name="Lemoine", territory=None, birth_date=None
    )
    client.force_login(agent)
    session = client.session
    session["acting_for"] = resident.pk
    session.save()
    answer_all(client, survey)
    sent = Response.objects.get()
    assert sent.participant == resident and sent.entered_by == agent
    assert AuditEntry.objects.get(action="surveys.response_enter").on_behalf_of == resident
