"""pabutools (GPL-3.0, a dev dependency only) as the tally engine's oracle: the same election, the same utilities
(points × cost, « cost utilities »), the same tie-breaking, computed by an independent implementation.

Projects nobody voted for are left out of pabutools' instance: our rules never fund them, pabutools' greedy would
when they fit. pabutools' Phragmén only takes approval ballots: any points count as one approval, as in ours.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pabutools.election import (
    AdditiveSatisfaction,
    ApprovalMultiProfile,
    CumulativeMultiProfile,
    FrozenApprovalBallot,
    FrozenCumulativeBallot,
    Instance,
    Project,
)
from pabutools.rules import (
    exhaustion_by_budget_increase,
    greedy_utilitarian_welfare,
    method_of_equal_shares,
    sequential_phragmen,
)
from pabutools.tiebreaking import TieBreakingRule

from participe.modules.budgets.tally.model import Election
from participe.modules.budgets.tally.prepared import Prepared


class PointsTimesCost(AdditiveSatisfaction):
    """Cost utilities: a voter's satisfaction with a project is the points they gave it times its cost."""

    def __init__(self, instance: Instance, profile: Any, ballot: Any) -> None:
        super().__init__(instance, profile, ballot, lambda _i, _p, b, project, _v: b.get(project, 0) * project.cost)


class Oracle:
    def __init__(self, election: Election, tie_break_seed: str | None = None) -> None:
        prep = Prepared.of(election, tie_break_seed)
        self.budget = election.budget
        self.projects = {pid: Project(pid, prep.costs[j]) for j, pid in enumerate(prep.ids) if prep.scores[j] > 0}
        self.instance = Instance(self.projects.values(), budget_limit=election.budget)
        keys = {pid: prep.tie_key[j] for j, pid in enumerate(prep.ids)}
        self.tie = TieBreakingRule(lambda _i, _p, project: keys[project.name])
        self.points = CumulativeMultiProfile(instance=self.instance)
        self.approvals = ApprovalMultiProfile(instance=self.instance)
        empty = 0
        for ballot, count in election.ballots.items():
            items = {self.projects[pid]: points for pid, points in ballot if pid in self.projects and points > 0}
            if not items:
                empty += count  # a voter who chose nothing still gets a share under MES
                continue
            self.points[FrozenCumulativeBallot(items)] = count
            approval = FrozenApprovalBallot(items)  # several point ballots can make one approval ballot
            self.approvals[approval] = self.approvals.get(approval, 0) + count
        if empty:
            self.points[FrozenCumulativeBallot({})] = empty
            self.approvals[FrozenApprovalBallot({})] = empty
        self.voters = election.voters

    def _names(self, allocation: Any) -> set[str]:
        return {project.name for project in allocation}

    def greedy(self, start: Any = None) -> Any:
        return greedy_utilitarian_welfare(
            self.instance,
            self.points,
            sat_class=PointsTimesCost,
            tie_breaking=self.tie,
            initial_budget_allocation=start,
        )

    def mes(self, increment: int | None = None) -> Any:
        return method_of_equal_shares(
            self.instance,
            self.points,
            sat_class=PointsTimesCost,
            tie_breaking=self.tie,
            voter_budget_increment=increment,
        )

    def mes_until_infeasible(self) -> Any:
        return exhaustion_by_budget_increase(
            self.instance,
            self.points,
            method_of_equal_shares,
            {"sat_class": PointsTimesCost, "tie_breaking": self.tie},
            exhaustive_stop=False,
            budget_step=self.voters,
        )

    def outcome(self, rule: str, threshold: int = 0) -> set[str]:
        runs: dict[str, Callable[[], Any]] = {
            "greedy": self.greedy,
            "mes": self.mes,
            "mes-add1": lambda: self.greedy(start=self.mes(increment=1)),
            "mes-add1-infeasible": lambda: self.greedy(start=self.mes_until_infeasible()),
            "phragmen": lambda: sequential_phragmen(self.instance, self.approvals, tie_breaking=self.tie),
        }
        if rule == "greedy-threshold":
            return self._greedy_threshold(threshold)
        return self._names(runs[rule]())

    def _greedy_threshold(self, threshold: int) -> set[str]:
        kept = [p for p in self.instance if self.points.total_score(p) >= threshold] if threshold else None
        if kept is None:
            return self._names(self.greedy())
        instance = Instance(kept, budget_limit=self.budget)
        profile = CumulativeMultiProfile(instance=instance)
        for ballot, count in self.points.items():
            items = {p: n for p, n in ballot.items() if p in kept}
            if items:
                profile[FrozenCumulativeBallot(items)] = profile.get(FrozenCumulativeBallot(items), 0) + count
        allocation = greedy_utilitarian_welfare(instance, profile, sat_class=PointsTimesCost, tie_breaking=self.tie)
        return self._names(allocation)
