"""The builder services: questions of every kind, choices and rows, conditions, order, copies, deletion, test
responses, the audit log, and the structural edits refused once responses exist."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participe.activity.models import AuditEntry
from participe.modules.surveys.models import Choice, MatrixRow, Question, Questionnaire, Response
from participe.modules.surveys.services import builder
from participe.modules.surveys.services.builder_checks import ChoiceSpec, RowSpec
from participe.modules.surveys.tests.factories import (
    AnswerFactory,
    ChoiceFactory,
    MatrixRowFactory,
    QuestionFactory,
    QuestionnaireFactory,
    ResponseFactory,
    SurveyModuleFactory,
    make_choice_question,
)
from tests.factories import ModuleFactory, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def agent():
    return make_org_admin(pseudonym="agent-mobilite")


@pytest.fixture
def survey():
    return QuestionnaireFactory()


def answered(questionnaire: Questionnaire, count: int = 3) -> Questionnaire:
    Questionnaire.objects.filter(pk=questionnaire.pk).update(responses_count=count)
    questionnaire.refresh_from_db()
    return questionnaire


def choices(*labels: str) -> list[ChoiceSpec]:
    return [ChoiceSpec(label=label.rstrip("…"), is_other=label.endswith("…")) for label in labels]


def create(agent, survey, kind="single", title="Comment venez-vous ?", config=None, items=(), rows=(), **data):
    return builder.question_create(
        actor=agent,
        questionnaire=survey,
        data={"kind": kind, "title": title, "config": config or {}, **data},
        choices=choices(*items),
        rows=[RowSpec(label=r) for r in rows],
    )


def errors(exc: pytest.ExceptionInfo[ValidationError]) -> dict[str, list[str]]:
    return exc.value.message_dict


# --- the questionnaire ----------------------------------------------------------------------------------------
def test_a_surveys_module_gets_its_questionnaire_once():
    module = SurveyModuleFactory()
    first = builder.questionnaire_for_module(module)
    assert builder.questionnaire_for_module(module) == first
    assert Questionnaire.objects.filter(module=module).count() == 1


def test_another_kind_of_module_has_no_questionnaire():
    with pytest.raises(ValidationError):
        builder.questionnaire_for_module(ModuleFactory(module_type="page"))


def test_the_presentation_is_sanitised_and_audited(agent, survey):
    builder.questionnaire_edit(
        actor=agent,
        questionnaire=survey,
        data={"intro": "<p>Bienvenue</p><script>alert(1)</script>", "closing_message": "<p>Merci</p>"},
    )
    survey.refresh_from_db()
    assert survey.intro == "<p>Bienvenue</p>" and survey.closing_message == "<p>Merci</p>"
    entry = AuditEntry.objects.get(action="surveys.questionnaire_edit")
    assert entry.actor == agent and entry.after["closing_message"] == "<p>Merci</p>"
    assert entry.before["closing_message"] == "<p>Merci pour votre participation.</p>"


def test_the_presentation_refuses_unknown_fields(agent, survey):
    with pytest.raises(ValidationError):
        builder.questionnaire_edit(actor=agent, questionnaire=survey, data={"responses_count": 0})


# --- creating questions ---------------------------------------------------------------------------------------
def test_questions_are_added_at_the_end_with_their_choices_and_audited(agent, survey):
    first = create(agent, survey, items=["Voiture", "Bus", "Autre, précisez…"], required=True)
    second = create(agent, survey, kind="long_text", title="Pourquoi ?")
    assert (first.position, second.position) == (1, 2)
    assert [(c.label, c.is_other, c.position) for c in first.choices.all()] == [
        ("Voiture", False, 1),
        ("Bus", False, 2),
        ("Autre, précisez", True, 3),
    ]
    assert first.required
    entry = AuditEntry.objects.get(action="surveys.question_create", target_id=str(first.pk))
    assert entry.actor == agent
    assert [c["label"] for c in entry.after["choices"]] == ["Voiture", "Bus", "Autre, précisez"]


@pytest.mark.parametrize(
    ("kind", "config", "stored"),
    [
        ("short_text", {"max_length": 120}, {"max_length": 120}),
        ("long_text", {}, {}),
        ("multiple", {"min_choices": 1, "max_choices": 2}, {"min_choices": 1, "max_choices": 2}),
        ("ranking", {}, {"rank_all": True}),
        ("scale", {"min": 0, "max": 10, "min_label": " Jamais "}, {"min": 0, "max": 10, "min_label": "Jamais"}),
        ("scale", {}, {"min": 1, "max": 5}),
        (
            "number",
            {"min": "0", "max": "12.5", "decimals": 1, "unit": "km"},
            {"min": 0, "max": 12.5, "decimals": 1, "unit": "km"},
        ),
        ("date", {"min": "2024-01-01", "max": "2025-12-31"}, {"min": "2024-01-01", "max": "2025-12-31"}),
        ("file", {"max_mb": 5}, {"max_mb": 5}),
    ],
)
def test_each_kind_keeps_its_options(agent, survey, kind, config, stored):
    items = ["Un", "Deux", "Trois"] if kind in Question.CHOICE_KINDS else []
    question = create(agent, survey, kind=kind, config=config, items=items)
    assert question.config == stored


def test_a_matrix_has_rows_and_columns(agent, survey):
    question = create(agent, survey, kind="matrix", items=["Bien", "Mal"], rows=["Trottoirs", "Pistes cyclables"])
    assert [r.label for r in question.rows.all()] == ["Trottoirs", "Pistes cyclables"]
    assert [c.label for c in question.choices.all()] == ["Bien", "Mal"]


def test_a_section_is_never_mandatory(agent, survey):
    section = create(
        agent, survey, kind="section", title="Vos trajets", help_text="Page sur vos trajets", required=True
    )
    assert section.is_section and not section.required


@pytest.mark.parametrize(
    ("kind", "config", "items", "rows", "field"),
    [
        ("single", {}, ["Seul"], [], "choices"),
        ("single", {}, ["Bus", "bus"], [], "choices"),
        ("single", {}, ["Bus", "  "], [], "choices"),
        ("ranking", {}, ["A", "B", "Autre…"], [], "choices"),
        ("single", {}, ["A", "Autre…", "Divers…"], [], "choices"),
        ("matrix", {}, ["Bien", "Mal"], [], "rows"),
        ("matrix", {}, ["Bien"], ["Ligne"], "choices"),
        ("short_text", {}, ["Inutile"], [], "choices"),
        ("single", {}, ["A", "B"], ["Ligne"], "rows"),
        ("multiple", {"min_choices": 3, "max_choices": 2}, ["A", "B", "C"], [], "max_choices"),
        ("multiple", {"max_choices": 4}, ["A", "B", "C"], [], "max_choices"),
        ("scale", {"min": 5, "max": 1}, [], [], "max"),
        ("scale", {"min": 0, "max": 20}, [], [], "max"),
        ("scale", {"min": "un"}, [], [], "min"),
        ("number", {"min": 10, "max": 1}, [], [], "max"),
        ("number", {"decimals": 9}, [], [], "decimals"),
        ("date", {"min": "2025-12-31", "max": "2025-01-01"}, [], [], "max"),
        ("date", {"min": "31/12/2025"}, [], [], "min"),
        ("file", {"max_mb": 5000}, [], [], "max_mb"),
        ("short_text", {"max_length": 0}, [], [], "max_length"),
    ],
)
def test_bad_structures_are_refused_next_to_the_field(agent, survey, kind, config, items, rows, field):
    with pytest.raises(ValidationError) as exc:
        create(agent, survey, kind=kind, config=config, items=items, rows=rows)
    assert field in errors(exc)
    assert not Question.objects.filter(questionnaire=survey).exists()


def test_a_mandatory_multiple_choice_needs_at_least_one_choice(agent, survey):
    with pytest.raises(ValidationError) as exc:
        create(agent, survey, kind="multiple", config={"min_choices": 0}, items=["A", "B"], required=True)
    assert "min_choices" in errors(exc)


def test_an_empty_title_and_unknown_options_are_refused(agent, survey):
    with pytest.raises(ValidationError) as exc:
        create(agent, survey, title="   ", items=["A", "B"])
    assert "title" in errors(exc)
    with pytest.raises(ValidationError):
        create(agent, survey, kind="number", config={"colour": "red"})
    with pytest.raises(ValidationError):
        create(agent, survey, kind="poll")


def test_new_questions_are_allowed_once_responses_exist(agent, survey):
    answered(survey)
    assert create(agent, survey, kind="short_text", title="Une précision ?").pk


# --- editing --------------------------------------------------------------------------------------------------
def test_renaming_a_choice_keeps_it_and_its_answers(agent, survey):
    question = make_choice_question(survey, ["Voiture", "Velo"])
    voiture, velo = question.choices.all()
    answer = AnswerFactory(response__questionnaire=survey, question=question, choice=velo)
    answered(survey)
    builder.question_edit(
        actor=agent,
        question=question,
        data={"title": "Comment venez-vous au travail ?"},
        choices=[ChoiceSpec("Voiture", voiture.pk), ChoiceSpec("Vélo", velo.pk), ChoiceSpec("Bus")],
    )
    question.refresh_from_db()
    assert question.title == "Comment venez-vous au travail ?"
    assert [c.label for c in question.choices.all()] == ["Voiture", "Vélo", "Bus"]
    answer.refresh_from_db()
    assert answer.choice_id == velo.pk
    entry = AuditEntry.objects.get(action="surveys.question_edit")
    assert entry.before["choices"][1]["label"] == "Velo" and entry.after["choices"][1]["label"] == "Vélo"


def test_choices_are_reordered_by_the_order_given(agent, survey):
    question = make_choice_question(survey, ["A", "B", "C"])
    a, b, c = question.choices.all()
    builder.question_edit(
        actor=agent,
        question=question,
        data={},
        choices=[ChoiceSpec("C", c.pk), ChoiceSpec("A", a.pk), ChoiceSpec("B", b.pk)],
    )
    assert [(ch.label, ch.position) for ch in question.choices.all()] == [("C", 1), ("A", 2), ("B", 3)]


def test_removing_a_choice_is_refused_once_responses_exist(agent, survey):
    question = make_choice_question(survey, ["A", "B", "C"])
    a, b, _c = question.choices.all()
    answered(survey, 1)
    with pytest.raises(ValidationError) as exc:
        builder.question_edit(
            actor=agent, question=question, data={}, choices=[ChoiceSpec("A", a.pk), ChoiceSpec("B", b.pk)]
        )
    assert "Une réponse a déjà été reçue" in errors(exc)["choices"][0]
    assert question.choices.count() == 3


def test_removing_a_choice_is_allowed_before_any_response(agent, survey):
    question = make_choice_question(survey, ["A", "B", "C"])
    a, b, _c = question.choices.all()
    builder.question_edit(
        actor=agent, question=question, data={}, choices=[ChoiceSpec("A", a.pk), ChoiceSpec("B", b.pk)]
    )
    assert question.choices.count() == 2


def test_a_choice_of_another_question_cannot_be_slipped_in(agent, survey):
    question = make_choice_question(survey, ["A", "B"])
    stranger = ChoiceFactory()
    with pytest.raises(ValidationError):
        builder.question_edit(
            actor=agent, question=question, data={}, choices=[ChoiceSpec("A", stranger.pk), ChoiceSpec("B")]
        )


def test_removing_a_matrix_row_is_refused_once_responses_exist(agent, survey):
    question = create(agent, survey, kind="matrix", items=["Bien", "Mal"], rows=["Trottoirs", "Bus"])
    first, _second = question.rows.all()
    answered(survey)
    with pytest.raises(ValidationError) as exc:
        builder.question_edit(actor=agent, question=question, data={}, rows=[RowSpec("Trottoirs", first.pk)])
    assert "rows" in errors(exc)
    builder.question_edit(
        actor=agent,
        question=question,
        data={},
        rows=[RowSpec("Les trottoirs", first.pk), RowSpec("Bus", _second.pk), RowSpec("Vélo")],
    )
    assert [r.label for r in question.rows.all()] == ["Les trottoirs", "Bus", "Vélo"]


def test_changing_the_kind_is_refused_once_responses_exist(agent, survey):
    question = make_choice_question(survey, ["A", "B"])
    answered(survey)
    with pytest.raises(ValidationError) as exc:
        builder.question_edit(actor=agent, question=question, data={"kind": "multiple"})
    assert "kind" in errors(exc)


def test_changing_the_kind_keeps_compatible_choices_before_responses(agent, survey):
    question = make_choice_question(survey, ["A", "B"])
    builder.question_edit(actor=agent, question=question, data={"kind": "multiple", "config": {"max_choices": 2}})
    question.refresh_from_db()
    assert question.kind == "multiple" and question.choices.count() == 2
    builder.question_edit(actor=agent, question=question, data={"kind": "short_text", "config": {}})
    assert question.choices.count() == 0


def test_the_bounds_of_a_scale_are_structural_but_its_labels_are_not(agent, survey):
    question = create(agent, survey, kind="scale", config={"min": 1, "max": 5})
    answered(survey)
    with pytest.raises(ValidationError) as exc:
        builder.question_edit(actor=agent, question=question, data={"config": {"min": 1, "max": 10}})
    assert "max" in errors(exc)
    builder.question_edit(actor=agent, question=question, data={"config": {"min": 1, "max": 5, "max_label": "Très"}})
    question.refresh_from_db()
    assert question.config["max_label"] == "Très"


def test_wording_and_mandatory_flag_stay_editable_once_responses_exist(agent, survey):
    question = create(agent, survey, kind="short_text", title="Votre quartier ?")
    answered(survey)
    builder.question_edit(
        actor=agent,
        question=question,
        data={"title": "Votre quartier", "required": True, "help_text": "Ex. : les Tilleuls"},
    )
    question.refresh_from_db()
    assert (question.title, question.required, question.help_text) == ("Votre quartier", True, "Ex. : les Tilleuls")


def test_an_edit_that_changes_nothing_is_not_audited(agent, survey):
    question = make_choice_question(survey, ["A", "B"])
    builder.question_edit(actor=agent, question=question, data={})
    assert not AuditEntry.objects.filter(action="surveys.question_edit").exists()


def test_removing_the_other_choice_is_structural(agent, survey):
    question = create(agent, survey, items=["A", "B", "Autre…"])
    a, b, _other = question.choices.all()
    answered(survey)
    with pytest.raises(ValidationError):
        builder.question_edit(
            actor=agent, question=question, data={}, choices=[ChoiceSpec("A", a.pk), ChoiceSpec("B", b.pk)]
        )


# --- conditions -----------------------------------------------------------------------------------------------
@pytest.fixture
def transport(survey):
    return make_choice_question(survey, ["Voiture", "Bus", "Vélo"], title="Comment venez-vous ?")


def test_a_question_shows_only_for_some_answers_of_an_earlier_one(agent, survey, transport):
    why = QuestionFactory(questionnaire=survey, kind="long_text", title="Pourquoi pas le vélo ?")
    voiture, bus, _velo = transport.choices.all()
    builder.question_set_condition(actor=agent, question=why, condition_question=transport, choices=[voiture, bus])
    why.refresh_from_db()
    assert why.condition_question == transport
    assert set(why.condition_choices.all()) == {voiture, bus}
    entry = AuditEntry.objects.get(action="surveys.question_condition")
    assert entry.after["condition_question"] == transport.pk
    builder.question_set_condition(actor=agent, question=why, condition_question=None)
    why.refresh_from_db()
    assert why.condition_question is None and not why.condition_choices.exists()


@pytest.mark.parametrize("case", ["later", "text", "itself", "other_choices", "no_choice", "section", "other_survey"])
def test_bad_conditions_are_refused(agent, survey, transport, case):
    question = QuestionFactory(questionnaire=survey, kind="short_text")
    condition, chosen = transport, [transport.choices.first()]
    if case == "later":
        question, condition = transport, make_choice_question(survey, ["Oui", "Non"])
        chosen = [condition.choices.first()]
    elif case == "text":
        condition = QuestionFactory(questionnaire=survey, kind="short_text", position=0)
    elif case == "itself":
        question = transport
    elif case == "other_choices":
        chosen = [make_choice_question(survey, ["Oui", "Non"]).choices.first()]
    elif case == "no_choice":
        chosen = []
    elif case == "section":
        question = QuestionFactory(questionnaire=survey, kind="section")
    elif case == "other_survey":
        condition = make_choice_question(QuestionnaireFactory(), ["Oui", "Non"], position=0)
        chosen = [condition.choices.first()]
    with pytest.raises(ValidationError):
        builder.question_set_condition(actor=agent, question=question, condition_question=condition, choices=chosen)
    question.refresh_from_db()
    assert question.condition_question is None


def with_condition(survey, transport, **kwargs):
    question = QuestionFactory(questionnaire=survey, kind="long_text", title="Pourquoi ?", **kwargs)
    question.condition_question = transport
    question.save()
    question.condition_choices.set([transport.choices.first()])
    return question


def test_a_choice_a_condition_depends_on_cannot_be_removed(agent, survey, transport):
    with_condition(survey, transport)
    _voiture, bus, velo = transport.choices.all()
    with pytest.raises(ValidationError) as exc:
        builder.question_edit(
            actor=agent, question=transport, data={}, choices=[ChoiceSpec("Bus", bus.pk), ChoiceSpec("Vélo", velo.pk)]
        )
    assert "Pourquoi ?" in errors(exc)["choices"][0]


def test_a_question_others_depend_on_keeps_a_choice_kind(agent, survey, transport):
    with_condition(survey, transport)
    with pytest.raises(ValidationError) as exc:
        builder.question_edit(actor=agent, question=transport, data={"kind": "ranking"})
    assert "kind" in errors(exc)
    builder.question_edit(actor=agent, question=transport, data={"kind": "multiple"})


# --- order ----------------------------------------------------------------------------------------------------
def test_questions_move_up_and_down(agent, survey):
    a, b, c = (QuestionFactory(questionnaire=survey, kind="short_text", title=t) for t in "ABC")
    builder.question_move(actor=agent, question=c, offset=-1)
    assert [q.title for q in survey.questions.all()] == ["A", "C", "B"]
    assert [q.position for q in survey.questions.all()] == [1, 2, 3]
    with pytest.raises(ValidationError):
        builder.question_move(actor=agent, question=a, offset=-1)
    with pytest.raises(ValidationError):
        builder.question_move(actor=agent, question=b, offset=1)
    with pytest.raises(ValidationError):
        builder.question_move(actor=agent, question=b, offset=3)
    entry = AuditEntry.objects.get(action="surveys.question_move")
    assert (entry.before, entry.after) == ({"position": 3}, {"position": 2})


def test_moving_is_allowed_once_responses_exist(agent, survey):
    a = QuestionFactory(questionnaire=survey, kind="short_text", title="A")
    QuestionFactory(questionnaire=survey, kind="short_text", title="B")
    answered(survey)
    builder.question_move(actor=agent, question=a, offset=1)
    assert [q.title for q in survey.questions.all()] == ["B", "A"]


def test_a_conditional_question_cannot_move_before_its_condition(agent, survey, transport):
    why = with_condition(survey, transport)
    with pytest.raises(ValidationError) as exc:
        builder.question_move(actor=agent, question=why, offset=-1)
    assert "doit rester après" in exc.value.messages[0]
    with pytest.raises(ValidationError):
        builder.question_move(actor=agent, question=transport, offset=1)
    assert list(survey.questions.all()) == [transport, why]


# --- copies ---------------------------------------------------------------------------------------------------
def test_a_question_is_duplicated_right_after_it_with_its_condition(agent, survey, transport):
    why = with_condition(survey, transport, required=True)
    last = QuestionFactory(questionnaire=survey, kind="date", title="Depuis quand ?")
    copy = builder.question_duplicate(actor=agent, question=transport)
    assert [q.title for q in survey.questions.all()] == [
        "Comment venez-vous ?",
        "Comment venez-vous ? (copie)",
        "Pourquoi ?",
        "Depuis quand ?",
    ]
    assert [c.label for c in copy.choices.all()] == ["Voiture", "Bus", "Vélo"]
    second = builder.question_duplicate(actor=agent, question=why)
    assert second.condition_question == transport and second.required
    assert list(second.condition_choices.all()) == list(why.condition_choices.all())
    assert last.pk in [q.pk for q in survey.questions.all()]
    assert AuditEntry.objects.filter(action="surveys.question_duplicate").count() == 2


def test_a_questionnaire_is_copied_into_another_module_with_its_conditions(agent, survey, transport):
    with_condition(survey, transport)
    matrix = QuestionFactory(questionnaire=survey, kind="matrix", title="Conditions")
    ChoiceFactory(question=matrix, label="Bien")
    ChoiceFactory(question=matrix, label="Mal")
    MatrixRowFactory(question=matrix, label="Trottoirs")
    target_module = SurveyModuleFactory()
    target = QuestionnaireFactory(module=target_module, intro="", closing_message="<p>Déjà écrit</p>")
    QuestionFactory(questionnaire=target, kind="short_text", title="Déjà là")
    builder.questionnaire_duplicate(actor=agent, source=survey, target_module=target_module)
    target.refresh_from_db()
    copied = list(target.questions.all())
    assert [q.title for q in copied] == ["Déjà là", "Comment venez-vous ?", "Pourquoi ?", "Conditions"]
    why = copied[2]
    assert why.condition_question == copied[1]
    assert [c.label for c in why.condition_choices.all()] == ["Voiture"]
    assert why.condition_choices.first().question == copied[1]
    assert [r.label for r in copied[3].rows.all()] == ["Trottoirs"]
    assert target.intro == survey.intro and target.closing_message == "<p>Déjà écrit</p>"
    assert survey.questions.count() == 3  # the source is untouched
    assert AuditEntry.objects.filter(action="surveys.questionnaire_duplicate").count() == 1


def test_a_questionnaire_is_not_copied_into_itself_an_answered_one_or_another_module_type(agent, survey):
    with pytest.raises(ValidationError):
        builder.questionnaire_duplicate(actor=agent, source=survey, target_module=survey.module)
    answered_target = answered(QuestionnaireFactory())
    with pytest.raises(ValidationError):
        builder.questionnaire_duplicate(actor=agent, source=survey, target_module=answered_target.module)
    with pytest.raises(ValidationError):
        builder.questionnaire_duplicate(actor=agent, source=survey, target_module=ModuleFactory(module_type="page"))


# --- deletion -------------------------------------------------------------------------------------------------
def test_deleting_a_question_frees_its_dependents_and_renumbers(agent, survey, transport):
    why = with_condition(survey, transport)
    QuestionFactory(questionnaire=survey, kind="date", title="Depuis quand ?")
    builder.question_delete(actor=agent, question=transport)
    why.refresh_from_db()
    assert why.condition_question is None and not why.condition_choices.exists()
    assert [(q.title, q.position) for q in survey.questions.all()] == [("Pourquoi ?", 1), ("Depuis quand ?", 2)]
    assert not Choice.objects.filter(question_id=transport.pk).exists()
    deleted = AuditEntry.objects.get(action="surveys.question_delete")
    assert deleted.before["title"] == "Comment venez-vous ?" and len(deleted.before["choices"]) == 3
    freed = AuditEntry.objects.get(action="surveys.question_condition")
    assert freed.reason and freed.before["condition_question"] == transport.pk


def test_deleting_a_question_is_refused_once_responses_exist(agent, survey, transport):
    answered(survey, 1)
    with pytest.raises(ValidationError) as exc:
        builder.question_delete(actor=agent, question=transport)
    assert "dupliquez le questionnaire" in exc.value.messages[0]
    assert Question.objects.filter(pk=transport.pk).exists()


def test_test_responses_do_not_lock_the_structure_and_can_be_cleared(agent, survey, transport):
    ResponseFactory.create_batch(2, questionnaire=survey, is_test=True)
    kept = ResponseFactory(questionnaire=survey, submitted_at=None)  # a resident's draft
    assert builder.structure_locked_reason(survey) == ""
    builder.question_delete(actor=agent, question=transport)
    assert builder.test_responses_clear(actor=agent, questionnaire=survey) == 2
    assert list(Response.objects.filter(questionnaire=survey)) == [kept]
    entry = AuditEntry.objects.get(action="surveys.test_responses_clear")
    assert entry.before == {"test_responses": 2}


def test_the_locked_reason_counts_the_responses(survey):
    assert builder.structure_locked_reason(survey) == ""
    assert builder.structure_locked_reason(answered(survey, 1)).startswith("Une réponse a déjà été reçue")
    assert builder.structure_locked_reason(answered(survey, 12)).startswith("12 réponses ont déjà été reçues")


def test_matrix_rows_and_choices_go_with_their_question(agent, survey):
    question = create(agent, survey, kind="matrix", items=["Bien", "Mal"], rows=["Trottoirs"])
    builder.question_delete(actor=agent, question=question)
    assert not MatrixRow.objects.exists() and not Choice.objects.exists()


def test_deleting_the_module_or_the_space_takes_its_conditional_questions_along(agent, survey, transport):
    from participe.spaces import services as spaces_services

    with_condition(survey, transport)
    module, space = survey.module, survey.module.space
    spaces_services.module_delete(actor=agent, module=module)
    assert not Question.objects.filter(questionnaire_id=survey.pk).exists()
    other = QuestionnaireFactory(module__space=space)
    question = make_choice_question(other, ["Oui", "Non"], title="Venez-vous ?")
    with_condition(other, question)
    spaces_services.space_delete(actor=agent, space=space)
    assert not Question.objects.filter(questionnaire_id=other.pk).exists()


def test_a_question_others_depend_on_cannot_be_deleted_alone_by_mistake(survey, transport):
    from django.db.models import RestrictedError

    with_condition(survey, transport)
    with pytest.raises(RestrictedError):
        transport.delete()  # the builder's service frees the dependents first
