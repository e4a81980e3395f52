"""Why no panel meets the quotas, in people: « il manque 3 personnes « 16-24 ans » pour atteindre le minimum »."""

from __future__ import annotations

from dataclasses import dataclass

import highspy
import numpy as np

from participe.modules.juries.sortition.highs import new_highs
from participe.modules.juries.sortition.model import Instance, Quota


@dataclass(frozen=True)
class Shortfall:
    """A quota that must move by ``people``: ``kind`` "min" (too few such people can be selected: lower the
    minimum or find volunteers) or "max" (too many must be: raise the maximum); "size" when the pool is smaller
    than the panel."""

    feature: str
    value: str
    kind: str
    people: int

    def as_dict(self) -> dict[str, object]:
        return {"feature": self.feature, "value": self.value, "kind": self.kind, "people": self.people}


class Infeasible(Exception):
    """No panel of the size meets every quota; ``shortfalls`` say which quotas and by how many people."""

    def __init__(self, shortfalls: list[Shortfall]) -> None:
        self.shortfalls = shortfalls
        super().__init__("; ".join(f"{s.feature}={s.value}: {s.kind} by {s.people}" for s in shortfalls))


def _pool_shortfalls(instance: Instance) -> list[Shortfall]:
    """Quotas that the pool itself cannot fill: fewer volunteers than the minimum, or a pool smaller than the panel."""
    found = []
    if len(instance.people) < instance.size:
        found.append(Shortfall("", "", "size", instance.size - len(instance.people)))
    counts = instance.counts
    for quota in instance.quotas:
        available = sum(counts[i] for i in instance.quota_types(quota))
        if available < quota.min:
            found.append(Shortfall(quota.feature, quota.value, "min", quota.min - available))
    return found


def _relaxation(instance: Instance) -> list[Shortfall]:
    """The smallest total move of the quotas (in people) that lets a panel exist, from an integer program with a
    slack below and above every quota; empty when the quotas can be met as they are."""
    n, m = len(instance.types), len(instance.quotas)
    h = new_highs()
    h.addVars(n, np.zeros(n), np.array(instance.counts, dtype=float))
    h.changeColsIntegrality(n, np.arange(n, dtype=np.int32), np.array([highspy.HighsVarType.kInteger] * n))
    # under[q] then over[q]: the people missing below the minimum and the people beyond the maximum.
    h.addVars(2 * m, np.zeros(2 * m), np.full(2 * m, highspy.kHighsInf))
    h.changeColsCost(2 * m, np.arange(n, n + 2 * m, dtype=np.int32), np.ones(2 * m))
    h.addRow(instance.size, instance.size, n, np.arange(n, dtype=np.int32), np.ones(n))
    for q, quota in enumerate(instance.quotas):
        idx = [*instance.quota_types(quota), n + q, n + m + q]
        values = [1.0] * (len(idx) - 2) + [1.0, -1.0]
        h.addRow(quota.min, quota.max, len(idx), np.array(idx, dtype=np.int32), np.array(values))
    h.run()
    if h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
        return []
    values = h.getSolution().col_value
    found = []
    for q, quota in enumerate(instance.quotas):
        under, over = round(values[n + q]), round(values[n + m + q])
        if under:
            found.append(Shortfall(quota.feature, quota.value, "min", under))
        if over:
            found.append(Shortfall(quota.feature, quota.value, "max", over))
    return found


def _quota_shortfalls(quotas: tuple[Quota, ...], size: int) -> list[Shortfall]:
    """A feature whose minimums add up to more than the panel, or whose maximums to less."""
    found = []
    for feature in dict.fromkeys(q.feature for q in quotas):
        mine = [q for q in quotas if q.feature == feature]
        low, high = sum(q.min for q in mine), sum(q.max for q in mine)
        if low > size:
            found.append(Shortfall(feature, "", "min", low - size))
        elif high < size:
            found.append(Shortfall(feature, "", "max", size - high))
    return found


def check_feasible(instance: Instance) -> None:
    """Raise ``Infeasible`` with the quotas to move when no panel meets them; return when one does.

    The plainest reasons first (the pool is too small for a minimum; a feature's minimums exceed the size), then
    the smallest relaxation found by an integer program for what only the combination of features prevents.
    """
    found = _pool_shortfalls(instance) + _quota_shortfalls(instance.quotas, instance.size)
    if not found and instance.size <= len(instance.people):
        found = _relaxation(instance)
    if found:
        raise Infeasible(found)
