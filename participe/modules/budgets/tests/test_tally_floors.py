"""The categories' minimum shares in the tally (tally/floors.py): funded first, the rule on the rest, explained."""

from collections import Counter

import pytest

from participe.modules.budgets.tally.model import Election, Project
from participe.modules.budgets.tally.rules import RULES, tally


def town(floors: dict[str, int] | None = None) -> Election:
    """100 €, 10 voters: the sports projects are popular, the garden (nature) has three voters."""
    projects = [
        Project("A", 50, "Skatepark", "Sport"),
        Project("B", 40, "Gymnase", "Sport"),
        Project("C", 30, "Jardin partagé", "Nature"),
        Project("D", 20, "Haies", "Nature"),
    ]
    ballots = Counter({(("A", 1), ("B", 1)): 6, (("A", 1),): 1, (("C", 1),): 2, (("D", 1),): 1})
    return Election(100, projects, ballots, floors=floors or {})


def test_without_a_floor_greedy_funds_the_sports_projects_only():
    assert tally(town(), "greedy").selected == ["A", "B"]


def test_a_floor_funds_its_category_first_and_says_which_project_it_brought_in():
    outcome = tally(town({"Nature": 25}), "greedy")
    assert outcome.selected == ["C", "A", "D"] and outcome.total_cost == 100
    garden = outcome.explanations["C"]
    assert garden.reason == "category_floor" and garden.category == "Nature" and garden.stage == "floor"
    assert outcome.explanations["B"].reason == "not_enough_budget"
    (report,) = outcome.details["floors"]
    assert report["reached"] and report["funded"] == 30 and report["projects"] == ["C"]
    assert outcome.details["without_floors"] == ["A", "B"]


def test_a_floor_the_rule_reaches_anyway_is_no_reason_given():
    outcome = tally(town({"Sport": 40}), "greedy")
    assert outcome.selected[:1] == ["A"]  # the floor takes the most voted sports project first
    assert outcome.explanations["A"].reason == "selected" and outcome.explanations["A"].stage == "floor"


def test_an_infeasible_floor_funds_what_it_can_and_says_why():
    outcome = tally(town({"Nature": 60}), "greedy")
    assert {"C", "D"} <= set(outcome.selected)
    (report,) = outcome.details["floors"]
    assert not report["reached"] and report["reason"] == "not_enough_projects"
    assert report["available"] == 50 and report["shortfall"] == 10


def test_a_floor_left_without_room_by_another_floor_says_so():
    outcome = tally(town({"Sport": 90, "Nature": 20}), "greedy")  # categories in the order of their names
    sport = next(r for r in outcome.details["floors"] if r["category"] == "Sport")
    assert sport["reason"] == "no_room" and not sport["reached"] and sport["funded"] == 50


def test_a_project_without_votes_is_never_funded_by_a_floor():
    election = town({"Culture": 10})
    election.projects.append(Project("E", 10, "Fresque", "Culture"))
    outcome = tally(election, "greedy")
    assert "E" not in outcome.selected
    assert outcome.details["floors"][0]["reason"] == "not_enough_projects"


@pytest.mark.parametrize("rule", RULES)
def test_every_rule_respects_the_floor_and_the_budget(rule):
    outcome = tally(town({"Nature": 25}), rule, threshold=1)
    assert "C" in outcome.selected and outcome.total_cost <= 100
    assert sum(town().project(p).cost for p in outcome.selected) == outcome.total_cost


def test_equal_shares_runs_on_what_the_floor_left():
    outcome = tally(town({"Nature": 25}), "mes")
    assert outcome.selected[0] == "C"
    assert all(e.budget_left is None or e.budget_left <= 70 for p, e in outcome.explanations.items() if p != "C")
