"""The rules on small elections worked by hand (the examples of docs/modules/budgets-tally.md)."""

import hashlib
import json
from collections import Counter
from fractions import Fraction

import pytest

from participe.modules.budgets.tally.model import Election, Project
from participe.modules.budgets.tally.rules import RULES, rule_of, tally


def quartier() -> Election:
    """10 voters, 100 €: six want the skatepark (A, 60 €) and the benches (B, 40 €), four want the garden (C, 40 €)."""
    projects = [Project("A", 60, "Skatepark"), Project("B", 40, "Bancs"), Project("C", 40, "Jardin")]
    return Election(100, projects, Counter({(("A", 1), ("B", 1)): 6, (("C", 1),): 4}))


def test_greedy_funds_the_most_voted_and_leaves_the_minority_out():
    outcome = tally(quartier(), "greedy")
    assert outcome.selected == ["B", "A"] and outcome.total_cost == 100
    assert outcome.explanations["C"].reason == "not_enough_budget" and outcome.explanations["C"].needed == 40


def test_equal_shares_gives_the_minority_its_share():
    outcome = tally(quartier(), "mes")
    assert outcome.selected == ["B", "C"] and outcome.total_cost == 80
    bought = outcome.explanations["B"]
    assert bought.price_per_voter == Fraction(20, 3) and bought.round == 1 and bought.budget_left == 100
    skipped = outcome.explanations["A"]  # its six supporters have 20 € left after the benches: 40 € short
    assert skipped.reason == "too_expensive_per_voter" and skipped.needed == 40 and skipped.price_per_voter == 10
    assert outcome.details["greedy"] == {"only_rule": ["C"], "only_greedy": ["A"], "greedy_total_cost": 100}


def test_equal_shares_never_funds_what_nobody_voted_for():
    election = quartier()
    election.projects.append(Project("D", 5))
    outcome = tally(election, "mes-add1")
    assert "D" not in outcome.selected and outcome.explanations["D"].reason == "not_selected"


def test_a_project_its_supporters_can_never_pay_is_out_of_money():
    projects = [Project("A", 80), Project("B", 90)]
    election = Election(100, projects, Counter({(("A", 1),): 9, (("B", 1),): 1}))
    outcome = tally(election, "mes")
    assert outcome.selected == ["A"]
    assert outcome.explanations["B"].reason == "supporters_out_of_money" and outcome.explanations["B"].needed == 80


def two_voters() -> Election:
    """Two voters, 100 €: both want the playground (A, 80 €), the second also the bench (B, 20 €)."""
    return Election(100, [Project("A", 80), Project("B", 20)], Counter({(("A", 1),): 1, (("A", 1), ("B", 1)): 1}))


def test_plain_equal_shares_can_leave_money_unspent():
    outcome = tally(two_voters(), "mes")
    assert outcome.selected == ["A"] and outcome.explanations["B"].needed == 10


def test_add1_raises_the_voters_money_until_the_outcome_is_exhaustive():
    outcome = tally(two_voters(), "mes-add1")
    assert outcome.selected == ["A", "B"] and outcome.details["add1_steps"] == 10
    assert outcome.details["per_voter"] == 60 and outcome.details["completion"] == []


def test_until_infeasible_keeps_the_last_outcome_that_fits():
    projects = [Project("A", 80), Project("B", 20), Project("C", 30)]
    ballots = Counter({(("A", 1),): 1, (("A", 1), ("B", 1)): 1, (("C", 1),): 1})
    election = Election(100, projects, ballots)
    add1 = tally(election, "mes-add1")
    until = tally(election, "mes-add1-infeasible")
    assert add1.total_cost <= 100 and until.total_cost <= 100
    assert until.details["add1_steps"] >= add1.details["add1_steps"]


def test_completion_fills_what_equal_shares_leaves_by_votes():
    projects = [Project("A", 60), Project("B", 50), Project("C", 30)]
    election = Election(100, projects, Counter({(("A", 1),): 5, (("B", 1),): 4, (("C", 1),): 1}))
    outcome = tally(election, "mes-add1")
    completed = [e for e in outcome.explanations.values() if e.stage == "completion" and e.selected]
    assert outcome.total_cost <= 100
    assert [e.project_id for e in completed] == outcome.details["completion"]


def test_phragmen_buys_as_soon_as_supporters_have_earned_the_cost():
    outcome = tally(quartier(), "phragmen")
    assert outcome.selected == ["B", "C"] and outcome.details["stopped_by"] == "A"
    assert outcome.explanations["C"].price_per_voter == 10  # the load its four supporters reached


def test_cumulative_points_count_as_points_and_as_utility():
    projects = [Project("A", 50), Project("B", 50)]
    ballots = Counter({(("A", 3),): 1, (("B", 1),): 2})
    election = Election(50, projects, ballots, vote_type="cumulative")
    assert tally(election, "greedy").selected == ["A"]  # 3 points against 2


def test_ties_go_to_the_lower_cost_then_to_the_seeds_public_order():
    projects = [Project("x", 50), Project("y", 50), Project("z", 40)]
    ballots = Counter({(("x", 1),): 1, (("y", 1),): 1, (("z", 1),): 1})
    election = Election(60, projects, ballots)
    assert tally(election, "greedy").selected == ["z"]  # equal votes: the cheapest first
    election.budget = 50
    election.projects = projects[:2]
    assert tally(election, "greedy").selected == ["x"]  # without a seed: the ids' order
    drawn = min("xy", key=lambda p: hashlib.sha256(f"tirage-2027:{p}".encode()).hexdigest())
    for rule in RULES:  # (plain MES funds nothing: each voter's 25 € share cannot pay 50 €)
        expected = [] if rule == "mes" else [drawn]
        assert tally(election, rule, tie_break_seed="tirage-2027").selected == expected, rule


def test_threshold_defaults_to_the_files_meta():
    election = quartier()
    election.meta["min_project_score_threshold"] = "5"
    outcome = tally(election, "greedy-threshold")
    assert outcome.selected == ["B", "A"] and outcome.explanations["C"].reason == "below_threshold"


def test_analytics_say_how_many_voters_got_something():
    outcome = tally(quartier(), "mes")
    figures = outcome.details["analytics"]
    assert figures["share_with_one_funded"] == 1 and figures["funded_per_voter"] == {1: 10}
    assert figures["cost_satisfaction"][4] == 6 and figures["cost_satisfaction"][9] == 4  # 40 % and 100 %
    assert tally(quartier(), "greedy").details["analytics"]["share_with_one_funded"] == Fraction(6, 10)


def test_exact_shares_when_the_budget_does_not_divide():
    election = Election(100, [Project("A", 70)], Counter({(("A", 1),): 3}))
    outcome = tally(election, "mes")
    assert outcome.selected == ["A"] and outcome.explanations["A"].price_per_voter == Fraction(70, 3)


def test_voters_who_chose_nothing_still_get_a_share():
    election = Election(100, [Project("A", 60)], Counter({(("A", 1),): 1, (): 1}))
    assert tally(election, "mes").selected == []  # 50 € each: the one supporter cannot pay 60 €
    assert tally(election, "mes-add1").details["per_voter"] == 60


def test_an_empty_vote_funds_nothing():
    for rule in RULES:
        outcome = tally(Election(100, [Project("A", 10)]), rule)
        assert outcome.selected == [] and outcome.total_cost == 0, rule


def test_rules_by_their_pabulib_names():
    assert rule_of({"rule": "equalshares/add1"}) == "mes-add1-infeasible"
    assert rule_of({}) == "greedy" and rule_of({"rule": "greedy-threshold"}) == "greedy-threshold"
    with pytest.raises(ValueError, match="inconnue"):
        rule_of({"rule": "borda"})
    with pytest.raises(ValueError, match="Unknown rule"):
        tally(quartier(), "borda")


def test_an_outcome_serialises_exactly_to_json():
    data = json.loads(json.dumps(tally(quartier(), "mes").to_json()))
    assert data["selected"] == ["B", "C"] and data["explanations"]["B"]["price_per_voter"] == "20/3"
    assert data["details"]["analytics"]["funded_per_voter"] == {"1": 10}
