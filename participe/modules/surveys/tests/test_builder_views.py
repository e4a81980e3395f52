"""The builder's back-office pages: access, the question list, adding and editing every kind, conditions, order,
copies, deletion, test responses — all with plain forms (no JavaScript)."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from participe.activity.models import AuditEntry
from participe.modules.surveys.models import Question, Questionnaire, Response
from participe.modules.surveys.tests.factories import (
    ChoiceFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SurveyModuleFactory,
    make_choice_question,
)
from participe.spaces.models import SpaceMembership
from tests.factories import ModuleFactory, UserFactory, make_agent, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def admin_client(client):
    client.force_login(make_org_admin(pseudonym="admin-mairie"))
    return client


@pytest.fixture
def survey():
    return QuestionnaireFactory(module__title="Vos déplacements")


def home(survey: Questionnaire) -> str:
    return reverse("backoffice:surveys:questionnaire", args=[survey.module_id])


def add_url(survey: Questionnaire, kind: str = "") -> str:
    url = reverse("backoffice:surveys:question_create", args=[survey.module_id])
    return f"{url}?kind={kind}" if kind else url


def answer_url(survey: Questionnaire, page: int) -> str:
    module = survey.module
    return reverse(
        "spaces:surveys:answer", kwargs={"slug": module.space.slug, "module_slug": module.slug, "page": page}
    )


def edit_url(question: Question, kind: str = "") -> str:
    url = reverse("backoffice:surveys:question_edit", args=[question.pk])
    return f"{url}?kind={kind}" if kind else url


def items(prefix: str, rows: list[dict[str, Any]], initial: int = 0) -> dict[str, Any]:
    """The POSTed fields of a formset of choices or rows."""
    data: dict[str, Any] = {
        f"{prefix}-TOTAL_FORMS": str(len(rows)),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "200",
    }
    for index, row in enumerate(rows):
        for key, value in row.items():
            data[f"{prefix}-{index}-{key}"] = value
    return data


def labels(*names: str) -> list[dict[str, Any]]:
    return [{"label": name} for name in names]


def locked(survey: Questionnaire) -> None:
    Questionnaire.objects.filter(pk=survey.pk).update(responses_count=4)


# --- access ---------------------------------------------------------------------------------------------------
def builder_urls(survey: Questionnaire, question: Question) -> list[tuple[str, str]]:
    get = [
        home(survey),
        add_url(survey),
        add_url(survey, "single"),
        edit_url(question),
        reverse("backoffice:surveys:question_kind", args=[question.pk]),
        reverse("backoffice:surveys:question_condition", args=[question.pk]),
        reverse("backoffice:surveys:question_delete", args=[question.pk]),
        reverse("backoffice:surveys:questionnaire_edit", args=[survey.pk]),
        reverse("backoffice:surveys:questionnaire_duplicate", args=[survey.pk]),
        reverse("backoffice:surveys:test_responses_clear", args=[survey.pk]),
    ]
    post = [
        reverse("backoffice:surveys:question_move", args=[question.pk]),
        reverse("backoffice:surveys:question_duplicate", args=[question.pk]),
    ]
    return [("get", url) for url in get] + [("post", url) for url in post]


def test_visitors_are_sent_to_the_login_page(client, survey):
    question = make_choice_question(survey, ["A", "B"])
    for method, url in builder_urls(survey, question):
        response = getattr(client, method)(url)
        assert response.status_code == 302 and "/login/" in response["Location"], url


@pytest.mark.parametrize("who", ["resident", "agent", "moderator", "admin_elsewhere"])
def test_people_who_do_not_manage_the_space_are_refused(client, survey, who):
    question = make_choice_question(survey, ["A", "B"])
    user = {
        "resident": lambda: UserFactory(),
        "agent": lambda: make_agent(),
        "moderator": lambda: make_space_role(survey.module.space, SpaceMembership.Role.MODERATOR),
        "admin_elsewhere": lambda: make_space_role(SurveyModuleFactory().space, SpaceMembership.Role.ADMIN),
    }[who]()
    client.force_login(user)
    for method, url in builder_urls(survey, question):
        assert getattr(client, method)(url).status_code == 403, url
    assert Question.objects.filter(questionnaire=survey).count() == 1


def test_the_space_administrator_builds_the_questionnaire(client, survey):
    client.force_login(make_space_role(survey.module.space, SpaceMembership.Role.ADMIN))
    assert "Vos déplacements" in text(client.get(home(survey)))
    single = {
        "kind": "single",
        "title": "Comment venez-vous au marché ?",
        "required": "on",
        **items("choix", labels("À pied", "En bus", "")),
    }
    assert client.post(add_url(survey), single).status_code == 302
    assert client.post(add_url(survey), {"kind": "long_text", "title": "Que faudrait-il changer ?"}).status_code == 302
    questions = list(Question.objects.filter(questionnaire=survey).order_by("position"))
    assert [(q.kind, q.title) for q in questions] == [
        ("single", "Comment venez-vous au marché ?"),
        ("long_text", "Que faudrait-il changer ?"),
    ]
    assert [c.label for c in questions[0].choices.all()] == ["À pied", "En bus"]
    builder = text(client.get(home(survey)))
    assert "Comment venez-vous au marché ?" in builder and "Que faudrait-il changer ?" in builder
    # The questions are what a resident is then asked.
    client.logout()
    public = text(client.get(answer_url(survey, 1)))
    assert "Comment venez-vous au marché ?" in public and "Que faudrait-il changer ?" in public
    assert "À pied" in public and "En bus" in public


def test_another_kind_of_module_has_no_builder(admin_client):
    page = ModuleFactory(module_type="page")
    assert admin_client.get(reverse("backoffice:surveys:questionnaire", args=[page.pk])).status_code == 404


def test_the_module_page_of_the_back_office_links_to_the_builder(admin_client, survey):
    page = text(admin_client.get(reverse("backoffice:module_edit", args=[survey.module_id])))
    assert "Construire le questionnaire" in page and home(survey) in page


# --- the builder's home ---------------------------------------------------------------------------------------
def test_the_builder_lists_pages_questions_and_conditions(admin_client, survey):
    QuestionFactory(questionnaire=survey, kind="section", title="Vos trajets", help_text="Une semaine ordinaire.")
    transport = make_choice_question(
        survey, ["Voiture", "Bus", "Vélo", "Autre…"], title="Comment venez-vous ?", required=True
    )
    why = QuestionFactory(questionnaire=survey, kind="long_text", title="Pourquoi pas le vélo ?")
    why.condition_question = transport
    why.save()
    why.condition_choices.set(transport.choices.filter(label__in=["Voiture", "Bus"]))
    QuestionFactory(questionnaire=survey, kind="section", title="Votre avis")
    QuestionFactory(
        questionnaire=survey, kind="scale", title="Satisfait ?", config={"min": 1, "max": 5, "min_label": "Pas du tout"}
    )
    QuestionFactory(questionnaire=survey, kind="date", title="Arrivée ?", config={"min": "2024-01-31"})
    QuestionFactory(questionnaire=survey, kind="number", title="Distance ?", config={"max": 12.5, "unit": "km"})
    page = text(admin_client.get(home(survey)))
    assert "Questionnaire « Vos déplacements »" in page
    assert "5 questions, 2 pages" in page
    assert "À partir du 31/01/2024." in page and "Maximum 12,5. Unité : km." in page
    assert "Page 1 — section « Vos trajets »" in page and "Page 2 — section « Votre avis »" in page
    assert "Q1. Comment venez-vous ?" in page and "Q3. Satisfait ?" in page
    assert "affichée seulement si la réponse à Q1 est « Voiture » ou « Bus »." in page
    assert "Les questions suivantes en dépendent : Q2." in page
    assert "avec précision" in page  # the "autre, précisez" choice
    assert "De 1 (Pas du tout) à 5" in page
    assert "Aucune réponse reçue pour l'instant" in page
    assert reverse("backoffice:surveys:question_delete", args=[why.pk]) in page


def test_once_answered_the_builder_explains_what_is_still_possible(admin_client, survey):
    question = make_choice_question(survey, ["A", "B"])
    locked(survey)
    page = text(admin_client.get(home(survey)))
    assert "4 réponses reçues." in page
    assert "4 réponses ont déjà été reçues" in page and "dupliquez le questionnaire" in page
    assert reverse("backoffice:surveys:question_delete", args=[question.pk]) not in page


def test_the_builder_links_to_the_preview_and_the_test_mode(admin_client, survey):
    page = text(admin_client.get(home(survey)))
    answer = answer_url(survey, 1)
    assert f"{answer}?apercu=1" in page and f"{answer}?test=1" in page


def test_the_builder_costs_the_same_with_more_questions(admin_client, survey):
    make_choice_question(survey, ["A", "B"])
    admin_client.get(home(survey))
    with CaptureQueriesContext(connection) as few:
        admin_client.get(home(survey))
    for n in range(6):
        question = make_choice_question(survey, ["Oui", "Non"], kind="multiple" if n % 2 else "single")
        QuestionFactory(questionnaire=survey, kind="section")
        QuestionFactory(questionnaire=survey, kind="matrix").rows.create(label="Ligne")
        question.condition_question = survey.questions.first()
        question.save()
    with CaptureQueriesContext(connection) as many:
        assert admin_client.get(home(survey)).status_code == 200
    assert len(many.captured_queries) <= len(few.captured_queries) + 6  # matrix rows are read once per matrix


# --- adding questions -----------------------------------------------------------------------------------------
def test_adding_starts_with_the_choice_of_a_kind(admin_client, survey):
    page = text(admin_client.get(add_url(survey)))
    assert "Type de question" in page and "Matrice (lignes × choix unique)" in page
    assert "Un titre et un texte explicatif" in page
    page = text(admin_client.get(add_url(survey) + "?kind=sondage"))
    assert "Choisissez un type de question." in page


def test_an_agent_adds_a_single_choice_question_with_other(admin_client, survey):
    page = text(admin_client.get(add_url(survey, "single")))
    assert "Ajouter une question : Choix unique" in page and "Choix proposés" in page
    data = {
        "kind": "single",
        "title": "Comment venez-vous au travail ?",
        "help_text": "Le mode principal.",
        "required": "on",
        "allow_other": "on",
        "other_label": "Autre, précisez",
        **items("choix", labels("Voiture", "Bus", "", "Vélo", "")),
    }
    response = admin_client.post(add_url(survey), data)
    question = Question.objects.get(questionnaire=survey)
    assert response.status_code == 302 and response["Location"].endswith(f"#question-{question.pk}")
    assert question.required and question.help_text == "Le mode principal."
    assert [(c.label, c.is_other) for c in question.choices.all()] == [
        ("Voiture", False),
        ("Bus", False),
        ("Vélo", False),
        ("Autre, précisez", True),
    ]
    assert AuditEntry.objects.filter(action="surveys.question_create").count() == 1


def test_a_bad_question_is_shown_again_with_the_errors_and_what_was_typed(admin_client, survey):
    data = {
        "kind": "multiple",
        "title": "Vos loisirs ?",
        "max_choices": "5",
        **items("choix", labels("Cinéma", "Sport", "")),
    }
    response = admin_client.post(add_url(survey), data)
    assert response.status_code == 200
    page = text(response)
    assert "La question n'a pas été enregistrée" in page
    assert "Entre 1 et le nombre de choix (2)." in page
    assert 'value="Vos loisirs ?"' in page and 'value="Cinéma"' in page and 'value="5"' in page
    assert 'aria-describedby="id_max_choices-hint id_max_choices-error"' in page
    assert not Question.objects.exists()

    response = admin_client.post(
        add_url(survey), {"kind": "single", "title": "Oui ?", **items("choix", labels("Oui", "", ""))}
    )
    page = text(response)
    assert "Indiquez au moins 2 choix." in page and 'id="choices-legend-error"' in page


def test_a_too_long_choice_is_tied_to_its_field(admin_client, survey):
    data = {"kind": "single", "title": "Oui ?", **items("choix", labels("Oui", "N" * 301))}
    page = text(admin_client.post(add_url(survey), data))
    assert 'aria-invalid="true"' in page and 'id="id_choix-1-label-error"' in page


def test_a_matrix_is_added_with_rows_and_columns(admin_client, survey):
    page = text(admin_client.get(add_url(survey, "matrix")))
    assert "Lignes de la matrice" in page and "Réponses possibles (colonnes)" in page
    assert "Autre, précisez" not in page
    data = {
        "kind": "matrix",
        "title": "Comment jugez-vous ?",
        **items("choix", labels("Bien", "Moyen", "Mal")),
        **items("lignes", labels("Trottoirs", "Pistes cyclables", "")),
    }
    assert admin_client.post(add_url(survey), data).status_code == 302
    question = Question.objects.get()
    assert [r.label for r in question.rows.all()] == ["Trottoirs", "Pistes cyclables"]
    assert [c.label for c in question.choices.all()] == ["Bien", "Moyen", "Mal"]


@pytest.mark.parametrize(
    ("kind", "fields", "config"),
    [
        ("short_text", {"max_length": "80"}, {"max_length": 80}),
        ("long_text", {}, {}),
        (
            "scale",
            {"min": "0", "max": "10", "min_label": "Jamais", "max_label": "Toujours"},
            {"min": 0, "max": 10, "min_label": "Jamais", "max_label": "Toujours"},
        ),
        (
            "number",
            {"min": "0", "max": "99,5", "decimals": "1", "unit": "km"},
            {"min": 0, "max": 99.5, "decimals": 1, "unit": "km"},
        ),
        ("date", {"min": "2024-01-01", "max": ""}, {"min": "2024-01-01"}),
        ("file", {"max_mb": "5"}, {"max_mb": 5}),
    ],
)
def test_each_kind_without_choices_is_added_with_its_options(admin_client, survey, kind, fields, config):
    response = admin_client.post(add_url(survey), {"kind": kind, "title": "Une question", **fields})
    assert response.status_code == 302, text(response)
    assert Question.objects.get().config == config


def test_a_ranking_and_a_section(admin_client, survey):
    data = {"kind": "ranking", "title": "Classez", "rank_all": "", **items("choix", labels("A", "B", "C"))}
    assert admin_client.post(add_url(survey), data).status_code == 302
    assert Question.objects.get().config == {"rank_all": False}
    page = text(admin_client.get(add_url(survey, "section")))
    assert "Titre de la section" in page and "Réponse obligatoire" not in page
    assert (
        admin_client.post(add_url(survey), {"kind": "section", "title": "Page 2", "help_text": "Vos avis"}).status_code
        == 302
    )
    assert Question.objects.filter(kind="section", help_text="Vos avis").exists()


def test_save_and_continue_comes_back_to_the_form_with_more_lines(admin_client, survey):
    data = {"kind": "single", "title": "Oui ?", "continuer": "1", **items("choix", labels("Oui", "Non"))}
    response = admin_client.post(add_url(survey), data)
    question = Question.objects.get()
    assert response["Location"] == edit_url(question)
    page = text(admin_client.get(edit_url(question)))
    assert 'name="choix-TOTAL_FORMS" value="5"' in page.replace("\n", "")  # two choices and three blank lines


# --- editing --------------------------------------------------------------------------------------------------
def existing(question: Question) -> list[dict[str, Any]]:
    return [
        {"pk": str(c.pk), "label": c.label, "order": str(n)}
        for n, c in enumerate(question.choices.filter(is_other=False), 1)
    ]


def test_editing_renames_reorders_and_removes_choices(admin_client, survey):
    question = make_choice_question(survey, ["Voiture", "Velo", "Bus", "Autre…"], title="Comment ?")
    rows = existing(question)
    rows[1]["label"] = "Vélo"
    rows[0]["order"] = "9"
    rows[2]["remove"] = "on"
    data = {
        "kind": "single",
        "title": "Comment venez-vous ?",
        **items("choix", [*rows, {"label": "À pied"}], initial=3),
    }
    response = admin_client.post(edit_url(question), data)
    assert response.status_code == 302, text(response)
    question.refresh_from_db()
    assert question.title == "Comment venez-vous ?"
    assert [c.label for c in question.choices.all()] == ["Vélo", "À pied", "Voiture"]  # "autre" unticked: removed


def test_the_edit_form_is_prefilled(admin_client, survey):
    question = make_choice_question(
        survey, ["Oui", "Non", "Autre…"], kind="multiple", title="Q ?", config={"max_choices": 2}
    )
    page = text(admin_client.get(edit_url(question)))
    assert 'value="Q ?"' in page and 'value="Oui"' in page and 'name="max_choices" value="2"' in page
    assert (
        'name="allow_other" id="id_allow_other" checked' in page
        or "checked" in page.split('name="allow_other"')[1][:80]
    )
    assert "Changer de type" in page


def test_once_answered_removing_a_choice_is_refused_in_the_form(admin_client, survey):
    question = make_choice_question(survey, ["Oui", "Non"])
    locked(survey)
    rows = existing(question)
    rows[1]["remove"] = "on"
    page = text(
        admin_client.post(edit_url(question), {"kind": "single", "title": "Q", **items("choix", rows, initial=2)})
    )
    assert "4 réponses ont déjà été reçues" in page
    assert question.choices.count() == 2
    assert "Changer de type" not in page


def test_changing_the_kind_goes_through_the_edit_form(admin_client, survey):
    question = make_choice_question(survey, ["Oui", "Non"])
    page = text(admin_client.get(reverse("backoffice:surveys:question_kind", args=[question.pk])))
    assert "Changer le type de" in page
    page = text(admin_client.get(edit_url(question, "multiple")))
    assert "Le type passera de « Choix unique » à « Choix multiple »" in page
    data = {"kind": "multiple", "title": "Q", "min_choices": "1", **items("choix", existing(question), initial=2)}
    assert admin_client.post(edit_url(question), data).status_code == 302
    question.refresh_from_db()
    assert question.kind == "multiple" and question.config == {"min_choices": 1}


def test_once_answered_the_kind_cannot_change(admin_client, survey):
    question = make_choice_question(survey, ["Oui", "Non"])
    locked(survey)
    response = admin_client.get(edit_url(question, "ranking"), follow=True)
    assert "4 réponses ont déjà été reçues" in text(response)
    response = admin_client.post(
        edit_url(question), {"kind": "ranking", "title": "Q", **items("choix", existing(question), initial=2)}
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert question.kind == "single"


# --- conditions -----------------------------------------------------------------------------------------------
def test_an_agent_sets_a_condition_without_javascript(admin_client, survey):
    transport = make_choice_question(survey, ["Voiture", "Bus", "Vélo"], title="Comment venez-vous ?")
    make_choice_question(survey, ["Oui", "Non"], title="Avez-vous un vélo ?")
    QuestionFactory(questionnaire=survey, kind="short_text", title="Votre quartier ?")
    why = QuestionFactory(questionnaire=survey, kind="long_text", title="Pourquoi pas le vélo ?")
    url = reverse("backoffice:surveys:question_condition", args=[why.pk])
    page = text(admin_client.get(url))
    assert "Comment venez-vous ?" in page and "Avez-vous un vélo ?" in page
    assert "Votre quartier ?" not in page.split("<select")[1].split("</select>")[0]  # not a choice question
    page = text(admin_client.post(url, {"condition_question": transport.pk, "action": "choisir"}))
    assert "Voiture" in page and "a pour réponse l'un de ces choix" in page
    assert not AuditEntry.objects.filter(action="surveys.question_condition").exists()
    voiture, bus, _velo = transport.choices.all()
    response = admin_client.post(
        url, {"condition_question": transport.pk, "condition_choices": [voiture.pk, bus.pk], "action": "enregistrer"}
    )
    assert response.status_code == 302
    why.refresh_from_db()
    assert why.condition_question == transport and set(why.condition_choices.all()) == {voiture, bus}
    page = text(admin_client.get(url))
    checkboxes = page.split('name="condition_choices"')
    assert sum("checked" in box[:60] for box in checkboxes[1:]) == 2


def test_a_condition_without_an_answer_is_refused_next_to_the_field(admin_client, survey):
    transport = make_choice_question(survey, ["Voiture", "Bus"])
    why = QuestionFactory(questionnaire=survey, kind="long_text")
    url = reverse("backoffice:surveys:question_condition", args=[why.pk])
    page = text(admin_client.post(url, {"condition_question": transport.pk, "action": "enregistrer"}))
    assert "Cochez au moins une réponse qui fait apparaître la question." in page
    why.refresh_from_db()
    assert why.condition_question is None


def test_a_condition_is_removed(admin_client, survey):
    transport = make_choice_question(survey, ["Voiture", "Bus"])
    why = QuestionFactory(questionnaire=survey, kind="long_text", condition_question=transport)
    url = reverse("backoffice:surveys:question_condition", args=[why.pk])
    assert admin_client.post(url, {"condition_question": "", "action": "enregistrer"}).status_code == 302
    why.refresh_from_db()
    assert why.condition_question is None


def test_the_first_question_cannot_have_a_condition(admin_client, survey):
    first = QuestionFactory(questionnaire=survey, kind="short_text")
    page = text(admin_client.get(reverse("backoffice:surveys:question_condition", args=[first.pk])))
    assert "Aucune question à choix unique ou multiple ne précède celle-ci" in page


# --- order, copies, deletion ----------------------------------------------------------------------------------
def test_move_buttons_reorder_without_javascript(admin_client, survey):
    _a, b = (QuestionFactory(questionnaire=survey, kind="short_text", title=t) for t in "AB")
    url = reverse("backoffice:surveys:question_move", args=[b.pk])
    response = admin_client.post(url, {"direction": "up"})
    assert response["Location"].endswith(f"#question-{b.pk}")
    assert [q.title for q in survey.questions.all()] == ["B", "A"]
    response = admin_client.post(url, {"direction": "up"}, follow=True)
    assert "déjà en première ou en dernière position" in text(response)
    assert admin_client.get(url).status_code == 405


def test_a_question_is_duplicated(admin_client, survey):
    question = make_choice_question(survey, ["Oui", "Non"], title="Q ?")
    response = admin_client.post(reverse("backoffice:surveys:question_duplicate", args=[question.pk]))
    copy = survey.questions.last()
    assert copy.title == "Q ? (copie)" and response["Location"].endswith(f"#question-{copy.pk}")


def test_a_question_is_deleted_after_confirmation(admin_client, survey):
    transport = make_choice_question(survey, ["Voiture", "Bus"], title="Comment ?")
    QuestionFactory(questionnaire=survey, kind="long_text", title="Pourquoi ?", condition_question=transport)
    url = reverse("backoffice:surveys:question_delete", args=[transport.pk])
    page = text(admin_client.get(url))
    assert "Supprimer « Comment ? »" in page and "« Pourquoi ? »" in page
    assert admin_client.post(url).status_code == 302
    assert [q.title for q in survey.questions.all()] == ["Pourquoi ?"]


def test_once_answered_deleting_is_refused_with_the_reason(admin_client, survey):
    question = make_choice_question(survey, ["Oui", "Non"])
    locked(survey)
    url = reverse("backoffice:surveys:question_delete", args=[question.pk])
    assert "4 réponses ont déjà été reçues" in text(admin_client.get(url, follow=True))
    assert "4 réponses ont déjà été reçues" in text(admin_client.post(url, follow=True))
    assert Question.objects.filter(pk=question.pk).exists()


# --- presentation, copy, test responses -----------------------------------------------------------------------
def test_the_presentation_is_edited(admin_client, survey):
    url = reverse("backoffice:surveys:questionnaire_edit", args=[survey.pk])
    assert "Étapes et paramètres du module" in text(admin_client.get(url))
    response = admin_client.post(url, {"intro": "<p>Huit minutes</p>", "closing_message": "<p>Merci !</p>"})
    assert response.status_code == 302
    survey.refresh_from_db()
    assert survey.intro == "<p>Huit minutes</p>" and survey.closing_message == "<p>Merci !</p>"


def test_the_questionnaire_is_copied_into_a_module_the_agent_manages(client, survey):
    admin = make_space_role(survey.module.space, SpaceMembership.Role.ADMIN)
    client.force_login(admin)
    make_choice_question(survey, ["Oui", "Non"], title="Q ?")
    mine = SurveyModuleFactory(space=survey.module.space, title="Enquête 2027")
    answered = QuestionnaireFactory(module__space=survey.module.space, module__title="Déjà répondu")
    locked(answered)
    elsewhere = SurveyModuleFactory(title="Chez les autres")
    url = reverse("backoffice:surveys:questionnaire_duplicate", args=[survey.pk])
    page = text(client.get(url))
    assert "Enquête 2027" in page and "Déjà répondu" not in page and "Chez les autres" not in page
    assert client.post(url, {"target": elsewhere.pk}).status_code == 200  # not offered: refused
    response = client.post(url, {"target": mine.pk})
    assert response["Location"] == reverse("backoffice:surveys:questionnaire", args=[mine.pk])
    assert [q.title for q in mine.questionnaire.questions.all()] == ["Q ?"]


def test_without_a_target_the_copy_page_explains_what_to_do(admin_client, survey):
    page = text(admin_client.get(reverse("backoffice:surveys:questionnaire_duplicate", args=[survey.pk])))
    assert "Ajoutez d'abord un module « Questionnaire »" in page


def test_test_responses_are_counted_and_cleared(admin_client, survey):
    ResponseFactory.create_batch(3, questionnaire=survey, is_test=True)
    ResponseFactory(questionnaire=survey)
    assert "3 réponses de test enregistrées." in text(admin_client.get(home(survey)))
    url = reverse("backoffice:surveys:test_responses_clear", args=[survey.pk])
    assert "Les 3 réponses de test seront effacées." in text(admin_client.get(url))
    assert admin_client.post(url).status_code == 302
    assert Response.objects.filter(questionnaire=survey).count() == 1


def test_a_choice_of_another_question_in_the_post_is_refused(admin_client, survey):
    question = make_choice_question(survey, ["Oui", "Non"])
    stranger = ChoiceFactory(label="Intrus")
    rows = existing(question)
    rows[0]["pk"] = str(stranger.pk)
    page = text(
        admin_client.post(edit_url(question), {"kind": "single", "title": "Q", **items("choix", rows, initial=2)})
    )
    assert "n'appartient pas à cette question" in page
    stranger.refresh_from_db()
    assert stranger.label == "Intrus"
