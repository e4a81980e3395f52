"""Sequential Phragmén: voters earn money at the same pace, together, and buy a project as soon as its supporters
have earned its cost; each purchase empties its supporters' purses (their « load »).

In load terms: buying project j would bring each of its supporters to the load (cost + their loads) / supporters;
the project with the lowest such load goes first; the rule stops when that project does not fit in what is left.
A voter's load is the one of the last selected project they voted for, so voters are grouped by that project:
a handful of classes, whatever the number of voters. Ballots count as approvals (any points = one approval).
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from participe.modules.budgets.tally.numbers import Q
from participe.modules.budgets.tally.prepared import Prepared


@dataclass
class PhragmenRun:
    selected: list[int] = field(default_factory=list)
    cost: int = 0
    load: dict[int, Any] = field(default_factory=dict)  # selected: the load its supporters reached
    spent_before: dict[int, int] = field(default_factory=dict)
    stopped_by: int | None = None  # the project that had the lowest load but did not fit
    last_load: dict[int, Any] = field(default_factory=dict)  # others: the load it would have needed at the end


def run(prep: Prepared) -> PhragmenRun:
    """Sequential Phragmén. A project's load only rises as loads rise, so a heap of last-known loads gives the lowest
    after recomputing only the stale ones that reach its top (as for MES)."""
    _, ballots, _, weights, _ = prep.arrays
    approvals = [int(w.sum()) for w in weights]
    class_of = np.zeros(prep.ballots, dtype=np.int64)
    loads: list[Any] = [Q(0)]  # class 0: no selected project yet, load 0; class k: the k-th selected project's load

    def load(j: int) -> Any:
        carried = np.bincount(class_of[ballots[j]], weights=weights[j], minlength=len(loads)).tolist()
        return (sum((loads[c] * int(n) for c, n in enumerate(carried) if n), Q(0)) + prep.costs[j]) / approvals[j]

    candidates = [j for j in range(len(prep.ids)) if approvals[j] > 0 and prep.costs[j] <= prep.budget]
    heap = [(Q(prep.costs[j], approvals[j]), prep.tie_key[j], j) for j in candidates]
    heapq.heapify(heap)
    fresh: set[int] = set(candidates)  # loads computed since the last purchase (at the start: exact, no loads yet)
    result = PhragmenRun()
    while heap:
        new_load, key, j = heapq.heappop(heap)
        if j not in fresh:
            heapq.heappush(heap, (load(j), key, j))
            fresh.add(j)
            continue
        if result.cost + prep.costs[j] > prep.budget:
            result.stopped_by = j
            heapq.heappush(heap, (new_load, key, j))
            break
        result.selected.append(j)
        result.load[j] = new_load
        result.spent_before[j] = result.cost
        result.cost += prep.costs[j]
        loads.append(new_load)
        class_of[ballots[j]] = len(loads) - 1
        fresh = set()
    for _, _, j in heap:
        result.last_load[j] = load(j)
    return result
