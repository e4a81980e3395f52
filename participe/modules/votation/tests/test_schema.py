"""The votation's ballot schema: what a valid ballot is for each kind of question, paper codes, counting."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participe.modules.votation.models import Question
from participe.modules.votation.schema import QuestionSchema
from participe.modules.votation.tests.factories import make_votation, option_ids

pytestmark = pytest.mark.django_db
schema = QuestionSchema()


def refused(question, content) -> dict[str, list[str]]:
    with pytest.raises(ValidationError) as error:
        schema.validate(question.election, content)
    return error.value.message_dict


def test_single_choice_takes_exactly_one_known_option():
    question = make_votation()
    a, b, _c = option_ids(question)
    assert schema.validate(question.election, {"choices": [a]}) == {"choices": [a]}
    assert schema.validate(question.election, {"choices": [str(b)]}) == {"choices": [b]}
    assert refused(question, {"choices": []}) == {"choices": ["Choisissez une réponse."]}
    assert refused(question, {"choices": [a, b]}) == {"choices": ["Choisissez une seule réponse."]}
    assert refused(question, {"choices": [999999]}) == {
        "choices": ["Une des options choisies n'existe pas dans cette votation."]
    }
    assert refused(question, "n'importe quoi") == {"choices": ["Choisissez une réponse."]}


def test_multiple_choice_between_min_and_max_without_duplicates():
    question = make_votation(kind=Question.Kind.MULTIPLE, min_choices=2, max_choices=2)
    a, b, c = option_ids(question)
    assert schema.validate(question.election, {"choices": [a, c]}) == {"choices": [a, c]}
    assert refused(question, {"choices": [a, a]}) == {"choices": ["Une même option est choisie deux fois."]}
    assert refused(question, {"choices": [a, b, c]}) == {
        "choices": ["Choisissez au plus 2 options (vous en avez choisi 3)."]
    }
    assert refused(question, {"choices": [a]}) == {
        "choices": ["Choisissez au moins 2 options (vous en avez choisi 1)."]
    }


def test_a_ranking_without_gaps_nor_ties():
    question = make_votation(kind=Question.Kind.RANKING, min_choices=2)
    a, b, c = option_ids(question)
    assert schema.validate(question.election, {"ranks": {str(a): 2, str(b): 1}}) == {"ranking": [b, a]}
    assert schema.validate(question.election, {"ranking": [c, a, b]}) == {"ranking": [c, a, b]}
    assert refused(question, {"ranks": {str(a): 1, str(b): 3}}) == {
        "ranking": ["Le classement a un trou : le rang 2 manque."]
    }
    assert refused(question, {"ranks": {str(a): 1, str(b): 1}}) == {"ranking": ["Deux options ont le même rang (1)."]}
    assert refused(question, {"ranks": {str(a): 1}}) == {"ranking": ["Classez au moins 2 options."]}
    assert refused(question, {"ranking": [a, a]}) == {"ranking": ["Une même option est classée deux fois."]}


def test_yes_no_gets_its_two_options():
    question = make_votation(kind=Question.Kind.YESNO)
    assert [o.title for o in question.options.order_by("position")] == ["Oui", "Non"]


def test_paper_codes_are_the_options_numbers():
    single = make_votation()
    _a, b, _c = option_ids(single)
    assert schema.parse_paper(single.election, "2") == {"choices": [b]}
    assert schema.paper_legend(single.election) == [("1", "Tilleuls"), ("2", "Simone-Veil"), ("3", "Fontaine")]
    with pytest.raises(ValidationError):
        schema.parse_paper(single.election, "7")
    multiple = make_votation(kind=Question.Kind.MULTIPLE, max_choices=3)
    x, _y, z = option_ids(multiple)
    assert schema.parse_paper(multiple.election, "1+3") == {"choices": [x, z]}
    ranking = make_votation(kind=Question.Kind.RANKING)
    r1, r2, r3 = option_ids(ranking)
    assert schema.parse_paper(ranking.election, "3>1>2") == {"ranking": [r3, r1, r2]}
    assert schema.display(ranking.election, {"ranking": [r3, r1]}) == "1. Fontaine, 2. Tilleuls"


def test_counting_choices_and_rankings():
    question = make_votation()
    a, b, _c = option_ids(question)
    count = schema.counter(question.election)
    count.add({"choices": [a]}, 3)
    count.add({"choices": [b]})
    assert {o["id"]: o["votes"] for o in count.result()["options"]} == {a: 3, b: 1, _c: 0}
    ranking = make_votation(kind=Question.Kind.RANKING)
    r1, r2, r3 = option_ids(ranking)
    count = schema.counter(ranking.election)
    count.add({"ranking": [r1, r2, r3]}, 2)
    count.add({"ranking": [r3]})
    lines = {o["id"]: (o["points"], o["votes"]) for o in count.result()["options"]}
    assert lines == {r1: (6, 2), r2: (4, 0), r3: (3, 1)}
