"""The tally engine's interface: grouped ballots, exact scores, greedy with its documented tie-breaking."""

from collections import Counter

from participe.modules.budgets.tally.model import Election, Project
from participe.modules.budgets.tally.rules import scores, tally


def election() -> Election:
    projects = [Project("a", 60), Project("b", 50), Project("c", 30), Project("d", 10)]
    ballots = Counter({(("a", 1), ("b", 1)): 3, (("b", 1), ("c", 1)): 2, (("d", 1),): 1})
    return Election(budget=100, projects=projects, ballots=ballots)


def test_scores_count_each_grouped_ballot_as_many_times_as_it_was_cast():
    assert scores(election()) == {"a": 3, "b": 5, "c": 2, "d": 1}


def test_greedy_skips_what_does_not_fit_and_says_what_it_needed():
    outcome = tally(election(), "greedy")
    assert outcome.selected == ["b", "c", "d"] and outcome.total_cost == 90
    skipped = outcome.explanations["a"]
    assert skipped.reason == "not_enough_budget" and skipped.budget_left == 50 and skipped.needed == 10


def test_greedy_with_a_threshold_leaves_out_projects_below_it():
    outcome = tally(election(), "greedy-threshold", threshold=2)
    assert outcome.selected == ["b", "c"] and outcome.explanations["d"].reason == "below_threshold"
