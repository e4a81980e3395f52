"""The budget ballot: within the budget, a maximum, exactly k, points, ranking; paper codes; counting."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participe.ballots import schemas
from participe.modules.budgets.models import Envelope
from participe.modules.budgets.schema import SCHEMA_KEY, check
from participe.modules.budgets.tests.factories import make_vote

pytestmark = pytest.mark.django_db


def ids(projects, *numbers):
    return [projects[n - 1].pk for n in numbers]


def messages(error):
    return " ".join(m for ms in error.value.message_dict.values() for m in ms)


def test_approval_within_the_budget_refuses_a_ballot_that_costs_more_than_the_envelope():
    envelope, projects = make_vote()
    assert check(envelope, {"projects": ids(projects, 2, 3, 4)}) == {"projects": sorted(ids(projects, 2, 3, 4))}
    with pytest.raises(ValidationError) as error:
        check(envelope, {"projects": ids(projects, 1, 2)})
    assert "110\u202f000\xa0€, plus que l'enveloppe (100\u202f000\xa0€)" in messages(error)


def test_a_project_not_on_the_ballot_or_chosen_twice_is_refused():
    envelope, projects = make_vote()
    for content in ({"projects": [999999]}, {"projects": ids(projects, 1, 1)}, {"projects": []}, "x"):
        with pytest.raises(ValidationError):
            check(envelope, content)


def test_approval_with_a_maximum_and_k_approval():
    envelope, projects = make_vote(ballot_kind=Envelope.BallotKind.MAX, max_choices=2, amount=200_000)
    check(envelope, {"projects": ids(projects, 1, 2)})
    with pytest.raises(ValidationError) as error:
        check(envelope, {"projects": ids(projects, 1, 2, 3)})
    assert "au plus 2 projets" in messages(error)
    envelope, projects = make_vote(ballot_kind=Envelope.BallotKind.K, max_choices=2, amount=200_000)
    with pytest.raises(ValidationError) as error:
        check(envelope, {"projects": ids(projects, 1)})
    assert "exactement 2 projets" in messages(error)


def test_cumulative_points_as_in_toulouse_seven_points_three_at_most_per_project():
    envelope, projects = make_vote(ballot_kind=Envelope.BallotKind.CUMULATIVE, points=7, max_points_per_project=3)
    a, b, c, _d = (str(p.pk) for p in projects)
    assert check(envelope, {"points": {a: 3, b: "3", c: 1}}) == {"points": {a: 3, b: 3, c: 1}}
    with pytest.raises(ValidationError) as error:
        check(envelope, {"points": {a: 4}})
    assert "au plus 3 points" in messages(error)
    with pytest.raises(ValidationError) as error:
        check(envelope, {"points": {a: 3, b: 3, c: 2}})
    assert "7 points à répartir, pas 8" in messages(error)


def test_ranking_with_points_gives_three_two_one():
    envelope, projects = make_vote(ballot_kind=Envelope.BallotKind.RANKING, rank_points="3,2,1")
    a, b, c, d = (p.pk for p in projects)
    assert check(envelope, {"ranks": {str(c): "1", str(a): "2"}}) == {"ranking": [c, a]}
    with pytest.raises(ValidationError):
        check(envelope, {"ranking": [a, b, c, d]})
    with pytest.raises(ValidationError) as error:
        check(envelope, {"ranks": {str(a): "1", str(b): "1"}})
    assert "même rang" in messages(error)


def test_paper_codes_are_the_projects_numbers_on_the_ballot():
    envelope, projects = make_vote()
    schema = schemas.get(SCHEMA_KEY)
    assert schema.parse_paper(envelope.election, "2+3") == {"projects": sorted(ids(projects, 2, 3))}
    with pytest.raises(ValidationError):
        schema.parse_paper(envelope.election, "1+2")
    assert [code for code, _title in schema.paper_legend(envelope.election)] == ["1", "2", "3", "4"]


def test_the_counter_gives_votes_and_points_per_project():
    envelope, projects = make_vote(ballot_kind=Envelope.BallotKind.CUMULATIVE)
    counter = schemas.get(SCHEMA_KEY).counter(envelope.election)
    counter.add({"points": {str(projects[0].pk): 3}}, 2)
    counter.add({"points": {str(projects[0].pk): 1, str(projects[1].pk): 2}}, 1)
    lines = {line["id"]: line for line in counter.result()["projects"]}
    assert counter.result()["valid"] == 3
    assert (lines[projects[0].pk]["votes"], lines[projects[0].pk]["points"]) == (3, 7)
