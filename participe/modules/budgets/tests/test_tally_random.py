"""Random small elections (many ties, points, cheap and dear projects): the same outcome as pabutools."""

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participe.modules.budgets.tally import pabulib
from participe.modules.budgets.tally.model import Election, Project
from participe.modules.budgets.tally.rules import tally


@st.composite
def elections(draw: st.DrawFn) -> Election:
    size = draw(st.integers(2, 6))
    ids = [f"p{i}" for i in range(size)]
    projects = [Project(pid, draw(st.integers(1, 60))) for pid in ids]
    cumulative = draw(st.booleans())
    ballots: Counter = Counter()
    for _ in range(draw(st.integers(1, 8))):
        chosen = draw(st.lists(st.sampled_from(ids), min_size=1, max_size=size, unique=True))
        points = [draw(st.integers(1, 3)) if cumulative else 1 for _ in chosen]
        ballots[tuple(sorted(zip(chosen, points, strict=True)))] += draw(st.integers(1, 4))
    if draw(st.booleans()):
        ballots[()] += draw(st.integers(1, 3))  # voters who chose nothing
    vote_type = "cumulative" if cumulative else "approval"
    return Election(draw(st.integers(20, 150)), projects, ballots, vote_type=vote_type)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(elections(), st.sampled_from(["greedy", "mes", "mes-add1", "mes-add1-infeasible"]))
def test_random_elections_agree_with_pabutools(election, rule):
    from participe.modules.budgets.tests.pabutools_oracle import Oracle

    outcome = tally(election, rule)
    assert set(outcome.selected) == Oracle(election).outcome(rule)
    assert outcome.total_cost <= election.budget
    assert sorted(outcome.explanations) == sorted(p.id for p in election.projects)
    assert {p for p, e in outcome.explanations.items() if e.selected} == set(outcome.selected)


@settings(max_examples=60, deadline=None)
@given(elections())
def test_random_elections_go_through_pabulib_unchanged(election):
    exported = pabulib.from_election(election)
    again = pabulib.to_election(pabulib.read(pabulib.write(exported)))
    assert again.ballots == election.ballots and again.budget == election.budget
    assert again.vote_type == election.vote_type and again.projects == election.projects
