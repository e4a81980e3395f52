"""Leximin selection probabilities (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 596, 2021), our own code on
HiGHS.

Among all probability distributions over panels that meet the quotas, leximin maximises the lowest selection
probability of any volunteer, then the next lowest, and so on. People of one type are interchangeable, so the
programs work on types: a panel is a number of members per type, and a person of type ``t`` is selected with
probability ``Σ_P p(P) · x_t(P) / count_t``.

Each stage solves the dual of "maximise z such that every type not yet fixed gets at least z and every fixed type
keeps its probability", by column generation: the dual has one row per panel, and the panel whose row is most
violated is found by an integer program (``PanelFinder``); when none is violated the dual is optimal and its value
is the best z. Every type with a positive dual variable is held at z in *every* optimal distribution
(complementary slackness), so it is fixed there, and the next stage raises the others. A last program finds the
distribution over the panels met that gives each type its fixed probability.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from participe.modules.juries.sortition.feasibility import check_feasible
from participe.modules.juries.sortition.highs import PanelFinder, new_highs
from participe.modules.juries.sortition.model import Instance

# A panel improves the dual when its weight exceeds the bound by more than this; a dual variable above DUAL_EPS
# fixes its type. Probabilities are exact to about 1e-6, far below the 1e-6 of a ticket (lottery.TICKETS).
PRICING_EPS = 1e-7
DUAL_EPS = 1e-7


@dataclass(frozen=True)
class Distribution:
    """Panels (members per type, in ``instance.types`` order) with their probabilities, and each type's
    selection probability."""

    panels: tuple[tuple[int, ...], ...]
    weights: tuple[float, ...]
    type_probabilities: tuple[float, ...]
    seconds: float
    stages: int


class _DualMaster:
    """The dual program: y[t] ≥ 0 per type and a free bound (column n); one row per panel met,
    Σ_t y[t]·x_t(P)/count_t − bound ≤ 0, and Σ_{t not fixed} y[t] = 1 (the last row added first, row 0)."""

    def __init__(self, counts: np.ndarray) -> None:
        self.n = len(counts)
        self.counts = counts
        self.h = new_highs()
        # No presolve: each solve starts from the previous basis (one row more is a few dual simplex steps).
        self.h.setOptionValue("presolve", "off")
        self.h.setOptionValue("solver", "simplex")
        self.h.addVars(self.n, np.zeros(self.n), np.full(self.n, highspy.kHighsInf))
        self.h.addVar(-highspy.kHighsInf, highspy.kHighsInf)
        self.h.addRow(1.0, 1.0, self.n, np.arange(self.n, dtype=np.int32), np.ones(self.n))
        self.rows: list[tuple[int, ...]] = []  # the panel of each row after row 0
        self.in_master: set[tuple[int, ...]] = set()

    def prune(self) -> None:
        """Drop the panels whose row is slack at the last solution: the next stages solve a smaller program (a panel
        they need again is found again by the pricing and added back)."""
        values = self.h.getSolution().row_value
        slack = [i for i in range(1, len(self.rows) + 1) if values[i] < -1e-7]
        if slack:
            self.h.deleteRows(len(slack), np.array(slack, dtype=np.int32))
            keep = set(range(1, len(self.rows) + 1)) - set(slack)
            self.rows = [p for i, p in enumerate(self.rows, start=1) if i in keep]
            self.in_master = set(self.rows)

    def add_panel(self, panel: tuple[int, ...]) -> None:
        self.rows.append(panel)
        self.in_master.add(panel)
        idx = [t for t, x in enumerate(panel) if x]
        values = [panel[t] / self.counts[t] for t in idx] + [-1.0]
        self.h.addRow(-highspy.kHighsInf, 0.0, len(values), np.array([*idx, self.n], dtype=np.int32), np.array(values))

    def set_stage(self, fixed: dict[int, float]) -> None:
        """Objective: bound − Σ_fixed p_t·y[t]; normalisation over the types not fixed."""
        costs = np.zeros(self.n + 1)
        costs[self.n] = 1.0
        for t, p in fixed.items():
            costs[t] = -p
        self.h.changeColsCost(self.n + 1, np.arange(self.n + 1, dtype=np.int32), costs)
        for t in range(self.n):
            self.h.changeCoeff(0, t, 0.0 if t in fixed else 1.0)

    def solve(self) -> tuple[np.ndarray, float, float]:
        self.h.run()
        status = self.h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"leximin dual: {self.h.modelStatusToString(status)}")
        values = np.array(self.h.getSolution().col_value)
        return values[: self.n], float(values[self.n]), float(self.h.getInfo().objective_function_value)


def _stage(master: _DualMaster, finder: PanelFinder, panels: dict[tuple[int, ...], None]) -> tuple[np.ndarray, float]:
    """Column generation until no panel violates the dual: the optimal dual and the stage's value z."""
    while True:
        y, bound, value = master.solve()
        found = finder.best(y / master.counts)
        if found is None:  # cannot happen once one panel exists; kept as a guard
            raise RuntimeError("no panel meets the quotas")
        panel, weight = found
        if weight <= bound + PRICING_EPS or panel in master.in_master:
            return y, value
        for candidate in [panel, *finder.improving(y / master.counts, bound + PRICING_EPS)]:
            panels[candidate] = None
            if candidate not in master.in_master:
                master.add_panel(candidate)


def _covering_panels(finder: PanelFinder, counts: np.ndarray) -> list[tuple[int, ...]]:
    """Panels that together include someone of every type that any panel can include: the column generation then
    starts from a positive minimum instead of spending its first hundreds of rounds at zero."""
    uncovered = np.ones(len(counts), dtype=bool)
    found: list[tuple[int, ...]] = []
    while uncovered.any():
        best = finder.best(np.where(uncovered, 1.0 / counts, 0.0) + 1e-6 / counts)
        assert best is not None  # check_feasible passed
        panel = best[0]
        hits = uncovered & (np.array(panel) > 0)
        if not hits.any():  # the remaining types are in no panel: they are fixed at 0 by the first stage
            break
        uncovered &= ~hits
        found.append(panel)
    return found


def _final_distribution(panels: list[tuple[int, ...]], counts: np.ndarray, fixed: np.ndarray) -> np.ndarray:
    """Probabilities of ``panels`` giving each type its fixed probability (least total shortfall, weighted by the
    people of each type, so that rounding noise never leaves anyone below)."""
    n, m = len(counts), len(panels)
    h = new_highs()
    h.addVars(m, np.zeros(m), np.ones(m))
    h.addVars(n, np.zeros(n), np.full(n, highspy.kHighsInf))
    h.changeColsCost(n, np.arange(m, m + n, dtype=np.int32), counts.astype(float))
    h.addRow(1.0, 1.0, m, np.arange(m, dtype=np.int32), np.ones(m))
    matrix = np.array(panels, dtype=float) / counts  # m × n
    for t in range(n):
        idx = [j for j in range(m) if matrix[j, t]] + [m + t]
        values = [matrix[j, t] for j in idx[:-1]] + [1.0]
        h.addRow(fixed[t], highspy.kHighsInf, len(idx), np.array(idx, dtype=np.int32), np.array(values))
    h.run()
    return np.clip(np.array(h.getSolution().col_value[:m]), 0.0, None)


def leximin(instance: Instance) -> Distribution:
    """The leximin distribution over the panels of ``instance``; raises ``Infeasible`` when no panel meets the
    quotas (with the quotas to move)."""
    start = time.process_time()
    check_feasible(instance)
    counts = np.array(instance.counts, dtype=float)
    n = len(counts)
    finder = PanelFinder(instance)
    master = _DualMaster(counts)
    panels: dict[tuple[int, ...], None] = {}
    for panel in _covering_panels(finder, counts):
        panels[panel] = None
        master.add_panel(panel)
    fixed: dict[int, float] = {}
    stages = 0
    while len(fixed) < n:
        stages += 1
        master.set_stage(fixed)
        y, z = _stage(master, finder, panels)
        newly = [t for t in range(n) if t not in fixed and y[t] > DUAL_EPS]
        if not newly:  # numerical corner: the largest dual variable is the one that binds
            newly = [max((t for t in range(n) if t not in fixed), key=lambda t: y[t])]
        for t in newly:
            fixed[t] = max(0.0, min(1.0, z))
        master.prune()
    ordered = sorted(panels)
    fixed_vector = np.array([fixed[t] for t in range(n)])
    weights = _final_distribution(ordered, counts, fixed_vector)
    keep = [j for j in range(len(ordered)) if weights[j] > 1e-9]
    total = float(sum(weights[j] for j in keep))
    chosen = tuple(ordered[j] for j in keep)
    probs = tuple(float(weights[j] / total) for j in keep)
    matrix = np.array(chosen, dtype=float) / counts
    type_probs = tuple(float(v) for v in np.array(probs) @ matrix)
    return Distribution(chosen, probs, type_probs, time.process_time() - start, stages)
