"""Leximin selection probabilities (Flanigan, Gölz, Gupta, Hennig, Procaccia, Nature 596, 2021), our own code on
HiGHS.

Among all probability distributions over panels that meet the quotas, leximin maximises the lowest selection
probability of any volunteer, then the next lowest, and so on. People of one type are interchangeable, so the
programs work on types: a panel is a number of members per type, and a person of type ``t`` is selected with
probability ``Σ_P p(P) · x_t(P) / count_t``. The expected members per type of a lottery, ``y = Σ_P p(P) · x(P)``,
lie in the *hull* of the panels, itself inside the *relaxed polytope*: real ``y`` with ``0 ≤ y_t ≤ count_t``, the size
and every quota.

1. **Relaxation** (``_relaxed_leximin``): leximin over the relaxed polytope, a few small linear programs (one per
   stage: maximise z, the lowest probability of the types not yet fixed; every type with a positive dual value is
   held at z in every optimum, by complementary slackness, so it is fixed and the next stage raises the others).
   No lottery can do better, since the hull lies inside the polytope.
2. **Decomposition** (``_decompose``): a Carathéodory walk writes that point as a mixture of panels. Take a panel
   on the smallest face of the polytope holding the point (an integer program: the quotas and bounds tight at the
   point stay tight), move the point away from it as far as the polytope allows, repeat on the smaller face
   left; the weights are the fractions taken. When it reaches the point to within ``EXACT_TOL`` for every type's
   probability, that lottery is leximin (it attains the bound of step 1).
3. **Otherwise** (with three features or more, the point of step 1 may lie outside the hull, or the walk may
   leave it), the column generation over panels (``_column_generation``) computes the leximin of the hull itself:
   each stage solves the dual of step 1's programs, one row per panel, the most violated found by an integer program
   (``PanelFinder``), and a last program finds the distribution over the panels met that gives each type its
   fixed probability.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import highspy
import numpy as np

from participe.modules.juries.sortition.feasibility import check_feasible
from participe.modules.juries.sortition.highs import PanelFinder, add_panel_rows, new_highs
from participe.modules.juries.sortition.model import Instance

# A panel improves the dual when its weight exceeds the bound by more than this; a dual variable above DUAL_EPS
# fixes its type. Probabilities are exact to about 1e-6, far below the 1e-6 of a ticket (lottery.TICKETS).
PRICING_EPS = 1e-7
DUAL_EPS = 1e-7
# The walk: a bound or quota within TIGHT members of the point is tight; it stops when the share of the lottery left
# to place is below REST_EPS, and its lottery is accepted when no type's probability is more than EXACT_TOL from the
# relaxation's (a ticket is 1e-6).
TIGHT = 1e-7
REST_EPS = 1e-10
EXACT_TOL = 1e-9


@dataclass(frozen=True)
class Distribution:
    """Panels (members per type, in ``instance.types`` order) with their probabilities, and each type's
    selection probability."""

    panels: tuple[tuple[int, ...], ...]
    weights: tuple[float, ...]
    type_probabilities: tuple[float, ...]
    seconds: float
    stages: int
    method: str = "relaxation"  # or "column generation" when the walk could not reach the relaxation's point


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


def _relaxed_leximin(instance: Instance, counts: np.ndarray) -> tuple[np.ndarray, int]:
    """Leximin over the relaxed polytope (members per type as real numbers meeting the size and the quotas): the
    expected members per type and the number of stages. Columns y[t] and z (column n); after the size and quota
    rows, one row per type, y[t] − count_t·z ≥ 0 while the type is free, y[t] ≥ count_t·p_t once fixed at p_t."""
    n = len(counts)
    h = new_highs()
    h.setOptionValue("presolve", "off")
    h.setOptionValue("solver", "simplex")
    h.setOptionValue("primal_feasibility_tolerance", 1e-10)
    h.setOptionValue("dual_feasibility_tolerance", 1e-10)
    h.addVars(n, np.zeros(n), counts)
    h.addVar(0.0, 1.0)
    add_panel_rows(h, instance)
    base = h.getNumRow()
    for t in range(n):
        h.addRow(0.0, highspy.kHighsInf, 2, np.array([t, n], dtype=np.int32), np.array([1.0, -counts[t]]))
    h.changeColCost(n, 1.0)
    h.changeObjectiveSense(highspy.ObjSense.kMaximize)
    fixed: set[int] = set()
    stages = 0
    while len(fixed) < n:
        stages += 1
        h.run()
        status = h.getModelStatus()
        if status != highspy.HighsModelStatus.kOptimal:
            raise RuntimeError(f"leximin relaxation: {h.modelStatusToString(status)}")
        z = max(0.0, min(1.0, float(h.getInfo().objective_function_value)))
        duals = np.abs(np.array(h.getSolution().row_dual[base:]))
        newly = [t for t in range(n) if t not in fixed and duals[t] > DUAL_EPS]
        if not newly:  # numerical corner: the duals sum to 1 over the free types, so the largest one binds
            newly = [max((t for t in range(n) if t not in fixed), key=lambda t: duals[t])]
        for t in newly:
            fixed.add(t)
            h.changeCoeff(base + t, n, 0.0)
            h.changeRowBounds(base + t, counts[t] * z, highspy.kHighsInf)
    return np.clip(np.array(h.getSolution().col_value[:n]), 0.0, counts), stages


def _step(point: np.ndarray, panel: np.ndarray, bound: np.ndarray, upper: bool) -> float:
    """The largest α with (point − α·panel)/(1 − α) still within ``bound`` (≤ when ``upper``, ≥ otherwise)."""
    if not upper:
        point, panel, bound = -point, -panel, -bound
    room = bound - panel
    moving = room > 1e-9  # a bound tight at the panel never limits the step
    if not moving.any():
        return 1.0
    return float(np.min((bound - point)[moving] / room[moving]))


def _decompose(
    finder: PanelFinder, instance: Instance, counts: np.ndarray, target: np.ndarray
) -> tuple[list[tuple[int, ...]], list[float]] | None:
    """Panels and weights whose expected members per type are ``target`` (to ``EXACT_TOL`` in probability), by a
    Carathéodory walk on the relaxed polytope; None when the walk meets a face without a panel."""
    n = len(counts)
    member = np.zeros((len(instance.quotas), n))
    for row, quota in enumerate(instance.quotas):
        member[row, instance.quota_types(quota)] = 1.0
    low, high = finder.quota_bounds
    point, rest = target.copy(), 1.0
    weights: dict[tuple[int, ...], float] = {}
    for _ in range(2 * n + 2):  # each step leaves the face for a smaller one: at most n + 1 steps in exact arithmetic
        if rest <= REST_EPS:
            break
        sums = member @ point
        panel = finder.best_on_face(
            point / counts,  # among the panels of the face, the one closest to the point's probabilities
            np.where(point >= counts - TIGHT, counts, 0.0),
            np.where(point <= TIGHT, 0.0, counts),
            np.where(sums >= high - TIGHT, high, low),
            np.where(sums <= low + TIGHT, low, high),
        )
        if panel is None:
            return None
        x = np.array(panel, dtype=float)
        alpha = min(
            _step(point, x, counts, True),
            _step(point, x, np.zeros(n), False),
            _step(sums, member @ x, high, True),
            _step(sums, member @ x, low, False),
        )
        if alpha >= 1.0 - 1e-12:
            weights[panel] = weights.get(panel, 0.0) + rest
            rest = 0.0
            break
        if alpha <= 0.0:
            return None
        weights[panel] = weights.get(panel, 0.0) + rest * alpha
        point = np.clip((point - alpha * x) / (1.0 - alpha), 0.0, counts)
        rest *= 1.0 - alpha
    if rest > REST_EPS:
        return None
    panels = sorted(weights)
    total = sum(weights.values())
    probs = [weights[p] / total for p in panels]
    reached = np.array(probs) @ (np.array(panels, dtype=float) / counts)
    if np.max(np.abs(reached - target / counts)) > EXACT_TOL:
        return None
    return panels, probs


def _column_generation(instance: Instance, finder: PanelFinder, counts: np.ndarray) -> tuple[list, np.ndarray, int]:
    """The leximin of the hull of the panels by column generation: the panels met, their weights, the stages."""
    n = len(counts)
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
    return ordered, _final_distribution(ordered, counts, fixed_vector), stages


def leximin(instance: Instance) -> Distribution:
    """The leximin distribution over the panels of ``instance``; raises ``Infeasible`` when no panel meets the
    quotas (with the quotas to move)."""
    start = time.process_time()
    check_feasible(instance)
    counts = np.array(instance.counts, dtype=float)
    finder = PanelFinder(instance)
    target, stages = _relaxed_leximin(instance, counts)
    walked = _decompose(finder, instance, counts, target)
    if walked is not None:
        chosen, probs = tuple(walked[0]), tuple(walked[1])
        method = "relaxation"
    else:
        ordered, weights, stages = _column_generation(instance, finder, counts)
        keep = [j for j in range(len(ordered)) if weights[j] > 1e-9]
        total = float(sum(weights[j] for j in keep))
        chosen = tuple(ordered[j] for j in keep)
        probs = tuple(float(weights[j] / total) for j in keep)
        method = "column generation"
    matrix = np.array(chosen, dtype=float) / counts
    type_probs = tuple(float(v) for v in np.array(probs) @ matrix)
    return Distribution(chosen, probs, type_probs, time.process_time() - start, stages, method)
