"""The pure functions of answering: pages, conditions, posted values, validation per kind, counters."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.http import QueryDict
from hypothesis import given
from hypothesis import strategies as st

from participe.modules.surveys import answers
from participe.modules.surveys.answers import AnswerRow, ChoiceSpec, QuestionSpec, RowSpec


def q(pk: int, kind: str = "short_text", **kwargs) -> QuestionSpec:
    return QuestionSpec(id=pk, kind=kind, title=f"Question {pk}", **kwargs)


def choices(*labels: str, start: int = 100) -> tuple[ChoiceSpec, ...]:
    return tuple(
        ChoiceSpec(start + i, label.rstrip("…"), is_other=label.endswith("…")) for i, label in enumerate(labels)
    )


def check(question: QuestionSpec, values: dict) -> answers.Validation:
    return answers.validate([question], values, {question.id})


def error_of(question: QuestionSpec, values: dict) -> str:
    result = check(question, values)
    assert not result.is_valid, result.rows
    return next(iter(result.errors.values()))


# --- pages ------------------------------------------------------------------------------------------------------
def test_questions_before_the_first_section_are_on_page_one_and_each_section_starts_a_page():
    items = [q(1), q(2, "section"), q(3), q(4), q(5, "section"), q(6)]
    pages = answers.split_pages(items)
    assert [(p.number, p.section and p.section.id, [x.id for x in p.questions]) for p in pages] == [
        (1, None, [1]),
        (2, 2, [3, 4]),
        (3, 5, [6]),
    ]


def test_a_questionnaire_opening_with_a_section_has_no_empty_first_page():
    pages = answers.split_pages([q(1, "section"), q(2)])
    assert len(pages) == 1 and pages[0].section.id == 1 and [x.id for x in pages[0].questions] == [2]


def test_an_empty_questionnaire_still_has_one_page():
    assert [p.number for p in answers.split_pages([])] == [1]


# --- conditions -------------------------------------------------------------------------------------------------
def conditional_items() -> list[QuestionSpec]:
    return [
        q(1, "single", choices=choices("Oui", "Non")),
        q(2, condition_question_id=1, condition_choice_ids=frozenset({100})),
        q(
            3,
            "multiple",
            choices=choices("Vélo", "Bus", "Voiture", start=200),
            condition_question_id=1,
            condition_choice_ids=frozenset({100}),
        ),
        q(4, condition_question_id=3, condition_choice_ids=frozenset({201, 202})),
    ]


def test_a_question_is_shown_when_the_answer_it_depends_on_is_one_of_its_choices():
    items = conditional_items()
    assert answers.visible_ids(items, {}) == {1}
    assert answers.visible_ids(items, {"1": ["101"]}) == {1}
    assert answers.visible_ids(items, {"1": ["100"]}) == {1, 2, 3}
    assert answers.visible_ids(items, {"1": ["100"], "3": ["200", "202"]}) == {1, 2, 3, 4}


def test_a_question_depending_on_a_hidden_one_is_hidden_whatever_its_answer():
    items = conditional_items()
    assert answers.visible_ids(items, {"1": ["101"], "3": ["201"]}) == {1}


def test_a_hidden_section_hides_its_page_and_the_page_is_skipped():
    items = [
        q(1, "single", choices=choices("Oui", "Non")),
        q(2, "section", condition_question_id=1, condition_choice_ids=frozenset({100})),
        q(3),
        q(4, "section"),
        q(5),
    ]
    pages = answers.split_pages(items)
    visible = answers.visible_ids(items, {"1": ["101"]})
    assert visible == {1, 4, 5}
    assert [p.number for p in answers.visible_pages(pages, visible)] == [1, 3]
    visible = answers.visible_ids(items, {"1": ["100"]})
    assert [p.number for p in answers.visible_pages(pages, visible)] == [1, 2, 3]


def test_a_page_whose_questions_are_all_hidden_is_skipped_but_a_text_only_page_is_kept():
    items = [
        q(1, "single", choices=choices("Oui", "Non")),
        q(2, "section"),
        q(3, condition_question_id=1, condition_choice_ids=frozenset({100})),
        q(4, "section"),
    ]
    pages = answers.split_pages(items)
    assert [p.number for p in answers.visible_pages(pages, answers.visible_ids(items, {}))] == [1, 3]


@given(st.lists(st.sampled_from(["section", "short_text", "single"]), max_size=12), st.data())
def test_questions_without_condition_are_visible_whatever_the_answers(kinds, data):
    items = [q(i + 1, kind, choices=choices("A", "B", start=100 * (i + 1))) for i, kind in enumerate(kinds)]
    values = {str(i.id): [str(data.draw(st.sampled_from([c.id for c in i.choices])))] for i in items}
    assert answers.visible_ids(items, values) == {i.id for i in items}
    assert sum(len(p.questions) for p in answers.split_pages(items)) == sum(1 for i in items if not i.is_section)


# --- posted values ----------------------------------------------------------------------------------------------
def test_posted_values_are_read_in_the_draft_format():
    single = q(1, "single", choices=choices("Oui", "Autre…"))
    multiple = q(2, "multiple", choices=choices("A", "B", "C", start=200))
    matrix = q(
        3, "matrix", choices=choices("Bien", "Mal", start=300), rows=(RowSpec(31, "Propreté"), RowSpec(32, "Bruit"))
    )
    ranking = q(4, "ranking", choices=choices("X", "Y", start=400))
    text = q(5)
    data = QueryDict(mutable=True)
    data.update(
        {"q1": "101", "q1-other": "Le marché", "q3-31": "300", "q4-rank-400": "2", "q4-rank-401": "1", "q5": "Bonjour"}
    )
    data.setlist("q2", ["200", "202"])
    values = answers.read_posted([single, multiple, matrix, ranking, text, q(6, "section"), q(7, "file")], data)
    assert values == {
        "1": ["101"],
        "1-other": "Le marché",
        "2": ["200", "202"],
        "3-31": "300",
        "3-32": "",
        "4-rank-400": "2",
        "4-rank-401": "1",
        "5": ["Bonjour"],
    }


def test_posted_values_are_bounded():
    data = QueryDict(mutable=True)
    data.setlist("q2", [str(n) for n in range(50)])
    data["q1"] = "x" * 100_000
    values = answers.read_posted([q(1), q(2, "multiple", choices=choices("A", "B"))], data)
    assert len(values["1"][0]) == answers.MAX_POSTED_CHARS
    assert len(values["2"]) == 2


def test_merging_a_page_replaces_its_answers_and_keeps_the_others_and_the_files():
    draft = {"1": ["a"], "1-other": "x", "2": ["b"], "3": ["surveys/1/f.pdf"], "3-name": "f.pdf", "12": ["c"]}
    merged = answers.merge(draft, [q(1, "single"), q(3, "file")], {"1": ["101"]})
    assert merged == {"1": ["101"], "2": ["b"], "3": ["surveys/1/f.pdf"], "3-name": "f.pdf", "12": ["c"]}


# --- validation -------------------------------------------------------------------------------------------------
def test_hidden_questions_are_never_required_and_give_no_rows():
    question = q(1, required=True)
    assert answers.validate([question], {"1": ["texte"]}, set()).rows == []
    assert answers.validate([question], {}, set()).is_valid


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("short_text", "Répondez à cette question : elle est obligatoire."),
        ("single", "Choisissez une réponse : cette question est obligatoire."),
        ("multiple", "Cochez au moins une réponse : cette question est obligatoire."),
        ("matrix", "Répondez pour chaque ligne : cette question est obligatoire."),
        ("file", "Joignez un fichier : cette question est obligatoire."),
    ],
)
def test_a_required_question_left_blank_says_what_to_do(kind, message):
    question = q(1, kind, required=True, choices=choices("A"), rows=(RowSpec(5, "L"),))
    result = check(question, {"1": ["   "]})
    assert result.errors == {"q1": message}
    assert result.invalid_questions == [1]


def test_texts_are_trimmed_and_their_length_is_checked():
    assert check(q(1), {"1": ["  Bonjour\r\nà tous  "]}).rows == [AnswerRow(1, text="Bonjour\nà tous")]
    message = error_of(q(1, config={"max_length": 10}), {"1": ["x" * 12]})
    assert message == "Votre réponse compte 12 caractères ; la limite est de 10 : raccourcissez-la."
    assert check(q(1, "long_text"), {"1": ["x" * 5000]}).is_valid


def test_a_single_choice_refuses_a_choice_that_is_not_offered():
    question = q(1, "single", choices=choices("Oui", "Non"))
    assert check(question, {"1": ["100"]}).rows == [AnswerRow(1, choice_id=100)]
    assert "n'existe pas" in error_of(question, {"1": ["999"]})
    assert "n'existe pas" in error_of(question, {"1": ["abc"]})


def test_the_other_choice_asks_for_its_precision_next_to_its_field():
    question = q(1, "single", choices=choices("Oui", "Autre, précisez…"))
    result = check(question, {"1": ["101"], "1-other": " "})
    assert result.errors == {"q1-other": "Précisez votre réponse « Autre, précisez »."}
    assert check(question, {"1": ["101"], "1-other": " Le parc "}).rows == [AnswerRow(1, choice_id=101, text="Le parc")]
    # The precision typed for a choice not taken is not kept.
    assert check(question, {"1": ["100"], "1-other": "oubli"}).rows == [AnswerRow(1, choice_id=100)]


def test_a_multiple_choice_respects_its_minimum_and_maximum():
    question = q(1, "multiple", choices=choices("A", "B", "C", "D"), config={"min_choices": 2, "max_choices": 3})
    assert error_of(question, {"1": ["100"]}) == "Cochez au moins 2 réponses."
    assert (
        error_of(question, {"1": ["100", "101", "102", "103"]}) == "Cochez au plus 3 réponses (vous en avez coché 4)."
    )
    assert [r.choice_id for r in check(question, {"1": ["100", "102", "100"]}).rows] == [100, 102]
    assert check(question, {}).is_valid  # optional: no answer at all is fine


def test_a_ranking_must_rank_every_choice_once_unless_told_otherwise():
    question = q(1, "ranking", choices=choices("A", "B", "C"))
    full = {"1-rank-100": "2", "1-rank-101": "3", "1-rank-102": "1"}
    assert [(r.choice_id, r.rank) for r in check(question, full).rows] == [(102, 1), (100, 2), (101, 3)]
    assert error_of(question, {"1-rank-100": "1"}) == "Classez tous les choix, de 1 à 3."
    assert "donné plusieurs fois" in error_of(question, {"1-rank-100": "1", "1-rank-101": "1", "1-rank-102": "2"})
    result = check(question, {"1-rank-100": "7"})
    assert result.errors == {"q1-rank-100": "Choisissez un rang entre 1 et 3."}


def test_a_partial_ranking_keeps_the_order_given():
    question = q(1, "ranking", choices=choices("A", "B", "C", "D"), config={"rank_all": False})
    rows = check(question, {"1-rank-101": "4", "1-rank-103": "2"}).rows
    assert [(r.choice_id, r.rank) for r in rows] == [(103, 1), (101, 2)]


@given(st.permutations(range(1, 7)), st.integers(min_value=1, max_value=6))
def test_ranks_given_are_stored_from_one_without_gaps_in_the_same_order(ranks, kept):
    question = q(1, "ranking", choices=choices(*"ABCDEF"), config={"rank_all": False})
    values = {f"1-rank-{100 + i}": str(rank) for i, rank in enumerate(ranks[:kept])}
    rows = check(question, values).rows
    assert [r.rank for r in rows] == list(range(1, kept + 1))
    given_order = sorted(range(kept), key=lambda i: ranks[i])
    assert [r.choice_id for r in rows] == [100 + i for i in given_order]


def test_a_matrix_gives_one_row_per_answered_line_and_a_required_one_names_the_lines_left():
    question = q(
        1, "matrix", choices=choices("Bien", "Mal"), rows=(RowSpec(5, "Propreté"), RowSpec(6, "Bruit")), required=True
    )
    rows = check(question, {"1-5": "100", "1-6": "101"}).rows
    assert [(r.row_id, r.choice_id) for r in rows] == [(5, 100), (6, 101)]
    result = check(question, {"1-5": "100"})
    assert result.errors == {"q1-6": "Répondez aussi pour la ligne « Bruit »."}
    assert check(question, {"1-5": "100", "1-6": "999"}).errors == {
        "q1-6": "Ce choix n'existe pas ou plus : choisissez parmi les réponses proposées."
    }
    optional = q(2, "matrix", choices=choices("Bien"), rows=(RowSpec(5, "Propreté"), RowSpec(6, "Bruit")))
    assert len(check(optional, {"2-5": "100"}).rows) == 1


def test_a_scale_takes_a_whole_value_between_its_ends():
    question = q(1, "scale", config={"min": 0, "max": 10})
    assert check(question, {"1": ["0"]}).rows == [AnswerRow(1, number=Decimal(0))]
    assert error_of(question, {"1": ["11"]}) == "Choisissez une valeur entre 0 et 10."
    assert error_of(q(2, "scale"), {"2": ["2.5"]}) == "Choisissez une valeur entre 1 et 5."


@pytest.mark.parametrize(
    ("typed", "expected"),
    [("12", "12"), ("1 234,5", "1234.5"), ("-3,25", "-3.25"), ("1\u202f000", "1000"), (",5", ".5"), ("+7.", "7")],
)
def test_numbers_are_read_as_people_type_them(typed, expected):
    assert answers.parse_number(typed) == Decimal(expected)


@pytest.mark.parametrize("typed", ["douze", "1,2,3", "1e5", "", "--1", "12 €"])
def test_what_is_not_a_number_is_refused(typed):
    with pytest.raises(ValueError):
        answers.parse_number(typed)


@given(st.decimals(min_value=-(10**11), max_value=10**11, places=2, allow_nan=False, allow_infinity=False))
def test_a_number_written_the_french_way_reads_back_the_same(number):
    assert answers.parse_number(str(number).replace(".", ",")) == number


def test_a_number_question_checks_decimals_and_bounds_with_clear_messages():
    whole = q(1, "number", config={"min": 0, "max": 120})
    assert error_of(whole, {"1": ["douze"]}) == "Saisissez un nombre, par exemple 12."
    assert error_of(whole, {"1": ["3,5"]}) == "Saisissez un nombre entier, sans virgule."
    assert error_of(whole, {"1": ["-1"]}) == "Saisissez un nombre supérieur ou égal à 0."
    assert error_of(whole, {"1": ["121"]}) == "Saisissez un nombre inférieur ou égal à 120."
    assert check(whole, {"1": ["42,0"]}).rows == [AnswerRow(1, number=Decimal("42.0"))]
    decimal = q(2, "number", config={"decimals": 2, "min": "0.5"})
    assert error_of(decimal, {"2": ["1,255"]}) == "Au plus 2 chiffres après la virgule."
    assert error_of(decimal, {"2": ["0,25"]}) == "Saisissez un nombre supérieur ou égal à 0,5."
    assert error_of(decimal, {"2": ["10000000000000"]}) == "Ce nombre est trop grand."


def test_dates_are_read_from_the_date_field_or_typed_by_hand_and_bounded():
    question = q(1, "date", config={"min": "2025-01-01", "max": "2025-12-31"})
    assert check(question, {"1": ["2025-07-14"]}).rows == [AnswerRow(1, date=datetime.date(2025, 7, 14))]
    assert check(question, {"1": ["14/07/2025"]}).rows == [AnswerRow(1, date=datetime.date(2025, 7, 14))]
    assert error_of(question, {"1": ["31/02/2025"]}) == "Saisissez une date valide, par exemple 14/07/2025."
    assert error_of(question, {"1": ["2024-12-31"]}) == "Saisissez une date à partir du 1er\xa0janvier\xa02025."
    assert (
        error_of(question, {"1": ["2026-01-01"]}) == "Saisissez une date jusqu'au 31\xa0décembre\xa02025 au plus tard."
    )


def test_a_file_answer_is_the_stored_file_and_its_original_name():
    rows = check(q(1, "file"), {"1": ["surveys/3/ab.pdf"], "1-name": "plan.pdf"}).rows
    assert rows == [AnswerRow(1, file="surveys/3/ab.pdf", file_name="plan.pdf")]


def test_errors_are_listed_in_the_order_of_the_questions():
    items = [q(1, required=True), q(2, "number"), q(3, required=True)]
    result = answers.validate(items, {"2": ["x"]}, {1, 2, 3})
    assert result.invalid_questions == [1, 2, 3]
    assert list(result.errors) == ["q1", "q2", "q3"]


# --- counters ---------------------------------------------------------------------------------------------------
def test_each_closed_answer_adds_to_its_counter_keyed_by_choice_row_value_and_territory():
    kinds = {1: "single", 2: "ranking", 3: "matrix", 4: "scale", 5: "short_text"}
    rows = [
        AnswerRow(1, choice_id=10),
        AnswerRow(2, choice_id=20, rank=2),
        AnswerRow(3, choice_id=30, row_id=7),
        AnswerRow(4, number=Decimal(4)),
        AnswerRow(5, text="libre"),
    ]
    increments = answers.tally_increments(rows, kinds, territory_id=9)
    assert [(i.question_id, i.key, i.rank) for i in increments] == [
        (1, "10:0:0:9", 0),
        (2, "0:0:0:9", 0),  # the respondents who answered the ranking
        (2, "20:0:0:9", 2),
        (3, "30:7:0:9", 0),
        (4, "0:0:4:9", 0),
    ]
    scale = increments[-1]
    assert scale.choice_id is None and scale.value == 4
    assert answers.tally_increments(rows[:1], kinds, None)[0].key == "10:0:0:0"


def test_a_multiple_choice_counts_its_respondent_once_whatever_the_number_of_choices():
    rows = [AnswerRow(1, choice_id=10), AnswerRow(1, choice_id=11), AnswerRow(1, choice_id=12)]
    increments = answers.tally_increments(rows, {1: "multiple"}, territory_id=None)
    assert [i.key for i in increments] == ["0:0:0:0", "10:0:0:0", "11:0:0:0", "12:0:0:0"]
