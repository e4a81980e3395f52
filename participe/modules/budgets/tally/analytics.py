"""What an outcome means for the voters (the figures pabutools' analysis offers) and how it differs from greedy."""

from __future__ import annotations

from fractions import Fraction

from participe.modules.budgets.tally.model import Election, Outcome

DECILES = 10


def analytics(election: Election, selected: list[str]) -> dict[str, object]:
    """The voters' satisfaction with an outcome.

    ``funded_per_voter``: how many voters got 0, 1, 2… of the projects they voted for funded;
    ``share_with_one_funded``: the share of voters with at least one funded project (exact);
    ``cost_satisfaction``: how many voters got 0–10 %, 10–20 %… 90–100 % of the cost of what they voted for funded
    (the last bucket holds 100 %); ``voters``: their number."""
    chosen = set(selected)
    costs = {p.id: p.cost for p in election.projects}
    funded: dict[int, int] = {}
    buckets = [0] * DECILES
    voters = with_one = 0
    for ballot, count in election.ballots.items():
        voters += count
        hits = [project_id for project_id, points in ballot if points > 0 and project_id in chosen]
        funded[len(hits)] = funded.get(len(hits), 0) + count
        with_one += count if hits else 0
        wanted = sum(costs.get(project_id, 0) for project_id, points in ballot if points > 0)
        share = Fraction(sum(costs[h] for h in hits), wanted) if wanted else Fraction(0)
        buckets[min(int(share * DECILES), DECILES - 1)] += count
    return {
        "voters": voters,
        "funded_per_voter": dict(sorted(funded.items())),
        "share_with_one_funded": Fraction(with_one, voters) if voters else Fraction(0),
        "cost_satisfaction": buckets,
    }


def compare(outcome: Outcome, greedy: Outcome) -> dict[str, object]:
    """The projects the rule funds and greedy by votes would not, and the other way round (ids in selection order)."""
    mine, theirs = set(outcome.selected), set(greedy.selected)
    return {
        "only_rule": [p for p in outcome.selected if p not in theirs],
        "only_greedy": [p for p in greedy.selected if p not in mine],
        "greedy_total_cost": greedy.total_cost,
    }
