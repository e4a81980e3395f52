"""The Method of Equal Shares with cost utilities, exact and fast (see docs/decisions/0019-the-tally-engine.md).

Every voter gets an equal share of the budget. A project is bought when its supporters can pay its cost together, each
paying in proportion to the points they gave it, and no one more than they have left; of the projects that can be
bought, the one needing the lowest price per unit of utility (cost utilities: utility = points × cost) goes first.

Speed comes from three facts. Voters with the same ballot always have the same money left, and more: a voter's money
depends only on which *selected* projects they gave points to (and how many). So voters are kept in classes keyed by
that, and a project's supporters are a few (class, points) groups instead of thousands of voters; voters who have
spent everything share one class that never changes again. A project's price only rises as money is spent, so a heap
of last-known prices gives the cheapest project after recomputing only the projects whose supporters paid in the last
round. And the arithmetic is exact rationals (GMP's when installed, see ``numbers``).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from participe.modules.budgets.tally.numbers import Q
from participe.modules.budgets.tally.prepared import Prepared

BROKE = 0  # the class of the voters with no money left


class _State:
    """The voters' classes: ``class_of[ballot]`` and each class's money (class 0: the voters with nothing left).

    A project's supporters are grouped on demand by (class, points), the key being ``class × span + points``."""

    def __init__(self, prep: Prepared, per_voter: Any) -> None:
        self.prep = prep
        _, self.ballots, self.points, self.weights, self.span = prep.arrays
        self.class_of = np.ones(prep.ballots, dtype=np.int64)
        self.money: list[Any] = [Q(0), per_voter]

    def groups(self, j: int) -> list[tuple[int, int]]:
        """j's supporters as (class × span + points, voters) pairs."""
        sums = np.bincount(self.class_of[self.ballots[j]] * self.span + self.points[j], weights=self.weights[j])
        keys = np.flatnonzero(sums)
        return list(zip(keys.tolist(), sums[keys].astype(np.int64).tolist(), strict=True))

    def price(self, j: int) -> Any | None:
        """The lowest price per point at which j's supporters can pay its cost, or None if they cannot at all.

        The supporters are taken poorest first (money per point): while the price would be more than what the
        poorest can pay, they give all they have and the rest share what is left."""
        money, span = self.money, self.span
        rows = []
        weight = 0
        for key, n in self.groups(j):
            c, points = divmod(key, span)
            weight += points * n
            rows.append((money[c] / points if points != 1 else money[c], c, points, n))
        rows.sort()
        left = Q(self.prep.costs[j])
        for _, c, points, n in rows:
            rho = left / weight
            if rho * points <= money[c]:
                return rho
            left -= money[c] * n
            weight -= points * n
        return None  # even all their money is not enough

    def pay(self, j: int, rho: Any) -> None:
        """j's supporters pay ``rho`` per point, or all they have left: they move to the class that says so."""
        money, span = self.money, self.span
        ballots = self.ballots[j]
        keys = self.class_of[ballots] * span + self.points[j]
        unique, inverse = np.unique(keys, return_inverse=True)
        new = np.empty(len(unique), dtype=np.int64)
        for i, key in enumerate(unique.tolist()):
            old, points = divmod(key, span)
            left = money[old] - rho * points
            if old == BROKE or left <= 0:
                new[i] = BROKE  # pays what it has left (or nothing), has nothing left
            else:
                new[i] = len(money)
                money.append(left)
        self.class_of[ballots] = new[inverse]

    def supporters_money(self, j: int) -> Any:
        return sum((self.money[key // self.span] * n for key, n in self.groups(j)), Q(0))


@dataclass
class MesRun:
    """One run of MES at a given budget per voter (amounts are exact rationals: ``numbers.Q``)."""

    per_voter: Any
    selected: list[int] = field(default_factory=list)
    cost: int = 0
    price: dict[int, Any] = field(default_factory=dict)  # selected: the price per point paid by its supporters
    round_of: dict[int, int] = field(default_factory=dict)  # selected: its round; others: the last round considered
    spent_before: dict[int, int] = field(default_factory=dict)  # selected: what had been spent when it was bought
    spent_at: list[int] = field(default_factory=list)  # what had been spent when each round (1, 2…) began
    state: _State | None = None  # the voters' money at the end (see ``money_left``)
    _start: _State | None = None

    def initial_price(self, j: int) -> Any | None:
        """The price per point j's supporters would have paid at the start, or None if they never could."""
        if self.state is None:
            return None
        if self._start is None:
            self._start = _State(self.state.prep, self.per_voter)
        return self._start.price(j)

    def money_left(self, j: int) -> Any:
        """What j's supporters had left at the end, all together."""
        return self.state.supporters_money(j) if self.state is not None else Q(0)


def run(prep: Prepared, per_voter: Any) -> MesRun:
    """MES with ``per_voter`` money for each voter (the budget divided by the voters, or more in the add1 loops)."""
    state = _State(prep, per_voter)
    result = MesRun(per_voter)
    candidates = [j for j in range(len(prep.ids)) if prep.scores[j] > 0]
    for j in candidates:  # free projects cost nobody anything: bought at once, as pabutools does
        if prep.costs[j] == 0:
            result.selected.append(j)
            result.round_of[j] = 0
            result.price[j] = Q(0)
            result.spent_before[j] = 0
    heap = [(Q(1, prep.scores[j]), prep.tie_key[j], j) for j in candidates if prep.costs[j] > 0]
    heapq.heapify(heap)
    dirty = {j for _, _, j in heap}
    round_number = 0
    while heap:
        round_number += 1
        result.spent_at.append(result.cost)
        chosen = _cheapest(state, heap, dirty, result, round_number)
        if chosen is None:
            break
        rho, j = chosen
        result.selected.append(j)
        result.round_of[j] = round_number
        result.price[j] = rho
        result.spent_before[j] = result.cost
        result.cost += prep.costs[j]
        state.pay(j, rho)
        dirty = {k for _, _, k in heap}  # stale prices are lower bounds: only those reaching the top get recomputed
    result.state = state
    return result


def _cheapest(state: _State, heap: list[Any], dirty: set[int], result: MesRun, rnd: int) -> tuple[Any, int] | None:
    costs = state.prep.costs
    while heap:
        affordability, key, j = heap[0]
        heapq.heappop(heap)
        if j not in dirty:
            return affordability * costs[j], j
        dirty.discard(j)
        result.round_of[j] = rnd
        rho = state.price(j)
        if rho is None:
            continue  # its supporters' money only shrinks: it will never be affordable again
        heapq.heappush(heap, (rho / costs[j], key, j))
    return None


def is_exhaustive(prep: Prepared, selected: list[int], cost: int) -> bool:
    """No project with votes left out still fits in the budget."""
    chosen = set(selected)
    return not any(
        prep.scores[j] > 0 and j not in chosen and cost + prep.costs[j] <= prep.budget for j in range(len(prep.ids))
    )


def plain(prep: Prepared) -> MesRun:
    return run(prep, Q(prep.budget, prep.voters)) if prep.voters else MesRun(Q(0))


def add1(prep: Prepared, *, until_infeasible: bool, unit: int = 1) -> tuple[MesRun, int]:
    """MES with the voters' money raised by 1 (currency unit) at a time: until an outcome is exhaustive (« add1 »),
    or, ``until_infeasible`` (Wieliczka 2023), as long as the outcome still fits in the real budget. Returns the
    kept run and the number of units added to each voter's money. ``unit``: the amounts' integer units per currency
    unit (100 when a Pabulib file had cents: the step stays 1 currency unit)."""
    if not prep.voters:
        return MesRun(Q(0)), 0
    base = Q(prep.budget, prep.voters)
    with_votes = sum(1 for s in prep.scores if s > 0)
    previous: MesRun | None = None
    step = 0
    while True:
        current = run(prep, base + step * unit)
        if current.cost > prep.budget:
            if previous is None:  # cannot happen (plain MES never overspends); keep the safe answer
                return current, step
            return previous, step - 1
        if not until_infeasible and is_exhaustive(prep, current.selected, current.cost):
            return current, step
        if len(current.selected) == with_votes:
            return current, step  # everything with votes is bought: more money changes nothing
        previous = current
        step += 1
