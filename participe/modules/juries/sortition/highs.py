"""The integer programs over panels, on HiGHS (``highspy``): one panel composition per solve.

A panel is a number of members per type: ``x[t]`` integers with ``0 ≤ x[t] ≤ count[t]``, ``Σ x = size`` and, for
every quota, ``min ≤ Σ_{t in quota} x[t] ≤ max``.
"""

from __future__ import annotations

import highspy
import numpy as np

from participe.modules.juries.sortition.model import Instance


def new_highs() -> highspy.Highs:
    """A silent solver on one thread: the same model gives the same answer on every run."""
    h = highspy.Highs()
    h.setOptionValue("output_flag", False)
    h.setOptionValue("threads", 1)
    h.setOptionValue("random_seed", 0)
    return h


def add_panel_rows(h: highspy.Highs, instance: Instance, first: int = 0) -> None:
    """The size and quota rows over the type columns ``first … first + len(types) - 1``."""
    n = len(instance.types)
    h.addRow(instance.size, instance.size, n, np.arange(first, first + n, dtype=np.int32), np.ones(n))
    for quota in instance.quotas:
        idx = np.array(instance.quota_types(quota), dtype=np.int32) + first
        h.addRow(quota.min, quota.max, len(idx), idx, np.ones(len(idx)))


class PanelFinder:
    """Finds the panel of highest weight (the pricing problem of the column generation)."""

    def __init__(self, instance: Instance) -> None:
        self.n = len(instance.types)
        self.h = new_highs()
        counts = np.array(instance.counts, dtype=float)
        self.counts = counts
        self.quota_bounds = (
            np.array([q.min for q in instance.quotas], dtype=float),
            np.array([q.max for q in instance.quotas], dtype=float),
        )
        self.h.addVars(self.n, np.zeros(self.n), counts)
        idx = np.arange(self.n, dtype=np.int32)
        self.h.changeColsIntegrality(self.n, idx, np.array([highspy.HighsVarType.kInteger] * self.n))
        add_panel_rows(self.h, instance)
        self.h.changeObjectiveSense(highspy.ObjSense.kMaximize)
        self.h.setOptionValue("mip_rel_gap", 1e-9)
        self.h.setOptionValue("presolve", "off")  # a small model: presolve costs more than it saves
        self.h.setOptionValue("mip_improving_solution_save", True)

    def best(self, weights: np.ndarray) -> tuple[tuple[int, ...], float] | None:
        """The panel maximising ``Σ weights[t] · x[t]`` and its weight; None when no panel meets the quotas."""
        self.h.changeColsCost(self.n, np.arange(self.n, dtype=np.int32), np.asarray(weights, dtype=float))
        self.h.run()
        if self.h.getModelStatus() != highspy.HighsModelStatus.kOptimal:
            return None
        x = tuple(round(v) for v in self.h.getSolution().col_value[: self.n])
        return x, float(np.dot(weights, x))

    def best_on_face(
        self,
        weights: np.ndarray,
        lower: np.ndarray,
        upper: np.ndarray,
        quota_lower: np.ndarray,
        quota_upper: np.ndarray,
    ) -> tuple[int, ...] | None:
        """The panel maximising ``Σ weights[t] · x[t]`` with ``lower ≤ x ≤ upper`` and every quota's count between
        ``quota_lower`` and ``quota_upper`` (in ``instance.quotas`` order), or None when there is none; the bounds
        are restored afterwards."""
        idx = np.arange(self.n, dtype=np.int32)
        low, high = self.quota_bounds
        moved = [q for q in range(len(low)) if (quota_lower[q], quota_upper[q]) != (low[q], high[q])]
        self.h.changeColsBounds(self.n, idx, np.asarray(lower, dtype=float), np.asarray(upper, dtype=float))
        for q in moved:  # row 0 is the size, then the quotas
            self.h.changeRowBounds(1 + q, float(quota_lower[q]), float(quota_upper[q]))
        try:
            found = self.best(weights)
        finally:
            self.h.changeColsBounds(self.n, idx, np.zeros(self.n), self.counts)
            for q in moved:
                self.h.changeRowBounds(1 + q, float(low[q]), float(high[q]))
        return None if found is None else found[0]

    def improving(self, weights: np.ndarray, bound: float) -> list[tuple[int, ...]]:
        """The other panels the last solve met on its way whose weight exceeds ``bound`` (several columns for one
        integer program: the column generation needs fewer rounds)."""
        found = []
        for saved in self.h.getSavedMipSolutions():
            x = tuple(round(v) for v in saved.col_value[: self.n])
            if float(np.dot(weights, x)) > bound:
                found.append(x)
        return found
