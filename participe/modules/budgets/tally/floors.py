"""The categories' minimum shares (« parts minimales »): funded first, then the rule decides on what is left.

For each category with a floor (the least its funded projects must cost: its minimum share of the budget, rounded up
to the unit), categories in the order of their names: its projects in the order of votes (the rules' tie-break order:
more votes, lower cost, the public seed), those with at least one vote (and the threshold, under greedy-threshold),
each taken if it fits in what is left of the budget, until the category's funded cost reaches its floor. The chosen
rule then runs on the rest: the budget less what the floors took, the other projects, the same voters (their ballots
keep only the other projects; under the Method of Equal Shares everyone's share is that of the rest).

A floor its category cannot reach is *infeasible*, and said so: ``not_enough_projects`` (the category's projects that
received votes cost less than the floor, all together) or ``no_room`` (they would, but what other floors took leaves
no room for them). Its projects that fit are funded all the same. (docs/decisions/0027-pabulib-import-and-floors.md)
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field, replace

from participe.modules.budgets.tally.model import Ballot, Election, Explanation
from participe.modules.budgets.tally.prepared import Prepared


@dataclass
class FloorReport:
    """What a category's floor did: its amount, what it funded, whether it was reached and why not."""

    category: str
    floor: int
    funded: int = 0  # the cost of the projects the floor funded
    projects: list[str] = field(default_factory=list)  # their ids, in the order they were taken
    available: int = 0  # the cost of the category's projects with votes, all together
    reached: bool = False
    shortfall: int = 0
    reason: str = ""  # infeasible floors: not_enough_projects or no_room

    def to_json(self) -> dict[str, object]:
        return asdict(self)


@dataclass
class Reserved:
    selected: list[str]
    spent: int
    reports: list[FloorReport]
    explanations: dict[str, Explanation]


def reserve(election: Election, prep: Prepared, *, threshold: int = 0) -> Reserved:
    """Fund each category's projects, most voted first, until its floor is reached (or nothing more fits)."""
    category_of = {p.id: p.category for p in election.projects}
    order = sorted(range(len(prep.ids)), key=lambda j: prep.tie_key[j])
    left = prep.budget
    selected: list[str] = []
    reports: list[FloorReport] = []
    explanations: dict[str, Explanation] = {}
    for category in sorted(c for c, floor in election.floors.items() if floor > 0):
        report = FloorReport(category, election.floors[category])
        candidates = [
            j
            for j in order
            if category_of[prep.ids[j]] == category and prep.scores[j] > 0 and prep.scores[j] >= threshold
        ]
        report.available = sum(prep.costs[j] for j in candidates)
        for j in candidates:
            if report.funded >= report.floor:
                break
            pid, cost = prep.ids[j], prep.costs[j]
            if cost > left:
                continue
            explanations[pid] = Explanation(
                pid, True, "selected", prep.scores[j], cost, len(selected) + 1, left, stage="floor", category=category
            )
            selected.append(pid)
            report.projects.append(pid)
            report.funded += cost
            left -= cost
        report.reached = report.funded >= report.floor
        if not report.reached:
            report.shortfall = report.floor - report.funded
            report.reason = "not_enough_projects" if report.available < report.floor else "no_room"
        reports.append(report)
    return Reserved(selected, prep.budget - left, reports, explanations)


def rest_of(election: Election, reserved: Reserved) -> Election:
    """The election the rule decides once the floors are funded: what is left of the budget, the other projects,
    every voter (a ballot that named only funded projects stays, empty: its voter keeps their share under MES)."""
    taken = set(reserved.selected)
    ballots: Counter[Ballot] = Counter()
    for ballot, count in election.ballots.items():
        ballots[tuple(item for item in ballot if item[0] not in taken)] += count
    return replace(
        election,
        budget=election.budget - reserved.spent,
        projects=[p for p in election.projects if p.id not in taken],
        ballots=ballots,
        floors={},
    )


def mark_decisive(reserved: Reserved, without_floors: list[str]) -> dict[str, Explanation]:
    """The floors' explanations, where a project the rule alone would not have funded is ``category_floor``."""
    alone = set(without_floors)
    return {
        pid: explanation if pid in alone else replace(explanation, reason="category_floor")
        for pid, explanation in reserved.explanations.items()
    }
