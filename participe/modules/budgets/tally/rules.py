"""The voting rules: ``tally(election, rule)`` (each rule in words: docs/modules/budgets-tally.md).

Tie-breaking is documented and deterministic: more votes (or points) first, then the lower cost, then a public random
order drawn from the published seed (``tie_break_seed``; without it, the project ids' order). MES and Phragmén break
their own ties (equal price, equal load) the same way.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from fractions import Fraction

from participe.modules.budgets.tally import floors, mes, phragmen
from participe.modules.budgets.tally.analytics import analytics, compare
from participe.modules.budgets.tally.model import Election, Explanation, Outcome, Project
from participe.modules.budgets.tally.numbers import to_fraction
from participe.modules.budgets.tally.prepared import Prepared, seed_order

RULES = ("greedy", "greedy-threshold", "mes", "mes-add1", "mes-add1-infeasible", "phragmen")
# The rule names of Pabulib's META ``rule`` and the engine's rule they mean.
PABULIB_RULES = {
    "greedy": "greedy",
    "greedy-threshold": "greedy-threshold",
    "greedy-no-skip": "greedy-no-skip",
    "equalshares": "mes",
    "equalshares/add1": "mes-add1-infeasible",
    "equalshares/add1-comparison": "mes-add1-infeasible",
    "equalshares-add1": "mes-add1-infeasible",
    "mes": "mes",
    "phragmen": "phragmen",
    "sequential-phragmen": "phragmen",
}


def scores(election: Election) -> dict[str, int]:
    """Each project's votes (approval) or points (cumulative, ordinal), over the grouped ballots."""
    totals = {p.id: 0 for p in election.projects}
    for ballot, count in election.ballots.items():
        for project_id, points in ballot:
            if project_id in totals:
                totals[project_id] += points * count
    return totals


def tie_break_key(seed: str | None) -> Callable[[Project], str]:
    """The public random order of the projects: a hash of the published seed and the project's id."""
    return lambda project: seed_order(seed, project.id)


def _greedy(
    prep: Prepared,
    *,
    threshold: int = 0,
    start: list[int] | None = None,
    stage: str = "greedy",
    no_skip: bool = False,
) -> tuple[list[int], int, dict[str, Explanation]]:
    """Greedy by votes over the projects not in ``start``: what fits is taken, what does not is skipped (or, with
    ``no_skip``, ends the count: the rule some cities use, Pabulib's ``greedy-no-skip``)."""
    selected = list(start or [])
    left = prep.budget - sum(prep.costs[j] for j in selected)
    explanations: dict[str, Explanation] = {}
    stopped = False
    taken = set(selected)
    order = sorted((j for j in range(len(prep.ids)) if j not in taken), key=lambda j: prep.tie_key[j])
    for rank, j in enumerate(order, start=1):
        pid, score, cost = prep.ids[j], prep.scores[j], prep.costs[j]
        if score < threshold or score == 0:
            reason = "below_threshold" if score < threshold else "not_selected"
            explanations[pid] = Explanation(pid, False, reason, score, cost, rank, left, stage=stage)
        elif cost <= left and not (no_skip and stopped):
            selected.append(j)
            explanations[pid] = Explanation(pid, True, "selected", score, cost, rank, left, stage=stage)
            left -= cost
        else:
            stopped = True
            needed = max(cost - left, 0)
            explanations[pid] = Explanation(
                pid, False, "not_enough_budget", score, cost, rank, left, needed=needed, stage=stage
            )
    return selected, prep.budget - left, explanations


def greedy(
    election: Election, *, threshold: int = 0, tie_break_seed: str | None = None, no_skip: bool = False
) -> Outcome:
    """By votes (or points), most first; a project that does not fit in what is left is skipped, the next considered
    (``no_skip``: the count stops there); with a threshold, projects below it are left out."""
    prep = Prepared.of(election, tie_break_seed)
    chosen, total, explanations = _greedy(prep, threshold=threshold, no_skip=no_skip)
    rule = "greedy-no-skip" if no_skip else "greedy-threshold" if threshold else "greedy"
    return Outcome(rule, [prep.ids[j] for j in chosen], total, explanations, {"threshold": threshold})


def _mes_explanations(prep: Prepared, result: mes.MesRun) -> dict[str, Explanation]:
    explanations: dict[str, Explanation] = {}
    for j, pid in enumerate(prep.ids):
        score, cost = prep.scores[j], prep.costs[j]
        if j in result.price:
            left = prep.budget - result.spent_before[j]
            price = to_fraction(result.price[j])
            explanations[pid] = Explanation(
                pid, True, "selected", score, cost, result.round_of[j], left, price, stage="mes"
            )
            continue
        if score == 0:
            explanations[pid] = Explanation(pid, False, "not_selected", score, cost, stage="mes")
            continue
        needed = to_fraction(cost - result.money_left(j))
        round_number = result.round_of.get(j)
        left = prep.budget - result.spent_at[round_number - 1] if round_number else prep.budget
        initial = result.initial_price(j)
        # Affordable at the start: others were cheaper per voter and its supporters paid for them. Else never.
        reason = "too_expensive_per_voter" if initial is not None else "supporters_out_of_money"
        start_price = to_fraction(initial) if initial is not None else None
        explanations[pid] = Explanation(
            pid, False, reason, score, cost, round_number, left, start_price, max(needed, Fraction(0)), stage="mes"
        )
    return explanations


def equal_shares(election: Election, rule: str = "mes", *, tie_break_seed: str | None = None) -> Outcome:
    """The Method of Equal Shares (cost utilities); ``mes-add1``: the voters' money raised by 1 until the outcome is
    exhaustive; ``mes-add1-infeasible``: raised as long as the outcome fits in the budget (Wieliczka 2023); both then
    completed greedily by votes with what is left."""
    prep = Prepared.of(election, tie_break_seed)
    steps = 0
    if rule == "mes":
        result = mes.plain(prep)
    else:
        unit = int(election.meta.get("amount_scale", "1"))
        result, steps = mes.add1(prep, until_infeasible=rule == "mes-add1-infeasible", unit=unit)
    explanations = _mes_explanations(prep, result)
    chosen = list(result.selected)
    details: dict[str, object] = {"per_voter": to_fraction(result.per_voter), "add1_steps": steps, "completion": []}
    if rule != "mes":
        chosen, _, added = _greedy(prep, start=chosen, stage="completion")
        for pid, explanation in added.items():
            if explanation.selected:
                explanations[pid] = explanation
        details["completion"] = [prep.ids[j] for j in chosen[len(result.selected) :]]
    total = sum(prep.costs[j] for j in chosen)
    return Outcome(rule, [prep.ids[j] for j in chosen], total, explanations, details)


def sequential_phragmen(election: Election, *, tie_break_seed: str | None = None) -> Outcome:
    prep = Prepared.of(election, tie_break_seed)
    result = phragmen.run(prep)
    explanations: dict[str, Explanation] = {}
    for rank, j in enumerate(result.selected, start=1):
        pid = prep.ids[j]
        left = prep.budget - result.spent_before[j]
        load = to_fraction(result.load[j])
        explanations[pid] = Explanation(
            pid, True, "selected", prep.scores[j], prep.costs[j], rank, left, load, stage="phragmen"
        )
    for j, pid in enumerate(prep.ids):
        if pid in explanations:
            continue
        score, cost = prep.scores[j], prep.costs[j]
        if score == 0:
            reason, needed = "not_selected", None
        else:
            reason, needed = "not_enough_budget", max(cost - (prep.budget - result.cost), 0)
        last = to_fraction(result.last_load[j]) if j in result.last_load else None
        explanations[pid] = Explanation(
            pid, False, reason, score, cost, None, prep.budget - result.cost, last, needed, stage="phragmen"
        )
    stopped = prep.ids[result.stopped_by] if result.stopped_by is not None else None
    return Outcome(
        "phragmen", [prep.ids[j] for j in result.selected], result.cost, explanations, {"stopped_by": stopped}
    )


def _decide(election: Election, rule: str, threshold: int, tie_break_seed: str | None) -> Outcome:
    if rule == "greedy":
        return greedy(election, tie_break_seed=tie_break_seed)
    if rule == "greedy-no-skip":  # only from a Pabulib file's META: not offered to envelopes
        return greedy(election, tie_break_seed=tie_break_seed, no_skip=True)
    if rule == "greedy-threshold":
        return greedy(election, threshold=threshold, tie_break_seed=tie_break_seed)
    if rule in ("mes", "mes-add1", "mes-add1-infeasible"):
        return equal_shares(election, rule, tie_break_seed=tie_break_seed)
    if rule == "phragmen":
        return sequential_phragmen(election, tie_break_seed=tie_break_seed)
    raise ValueError(f"Unknown rule {rule!r}: one of {', '.join(RULES)}.")


def with_floors(election: Election, rule: str, threshold: int, tie_break_seed: str | None) -> Outcome:
    """The categories' minimum shares funded first, then ``rule`` on the rest (``floors.py``); the rule alone is run
    too, to tell which projects got in because of their category's floor."""
    if not any(floor > 0 for floor in election.floors.values()):
        return _decide(election, rule, threshold, tie_break_seed)
    prep = Prepared.of(election, tie_break_seed)
    reserved = floors.reserve(election, prep, threshold=threshold if rule == "greedy-threshold" else 0)
    inner = _decide(floors.rest_of(election, reserved), rule, threshold, tie_break_seed)
    alone = _decide(replace(election, floors={}), rule, threshold, tie_break_seed)
    explanations = inner.explanations | floors.mark_decisive(reserved, alone.selected)
    details = inner.details | {
        "floors": [report.to_json() for report in reserved.reports],
        "without_floors": alone.selected,
    }
    selected = reserved.selected + inner.selected
    return Outcome(rule, selected, reserved.spent + inner.total_cost, explanations, details)


def tally(
    election: Election,
    rule: str,
    *,
    threshold: int | None = None,
    tie_break_seed: str | None = None,
    analyse: bool = True,
) -> Outcome:
    """The outcome of ``rule`` (one of ``RULES``) on ``election``, with each project's explanation, the voters'
    satisfaction (``details["analytics"]``) and the projects that greedy would have chosen differently
    (``details["greedy"]``) unless ``analyse`` is False (audits and simulations that only want the outcome).
    The categories' minimum shares (``election.floors``) are funded first (``floors.py``)."""
    started = time.process_time()
    if rule not in (*RULES, "greedy-no-skip"):
        raise ValueError(f"Unknown rule {rule!r}: one of {', '.join(RULES)}.")
    value = threshold if threshold is not None else int(election.meta.get("min_project_score_threshold", 0))
    outcome = with_floors(election, rule, value if rule == "greedy-threshold" else 0, tie_break_seed)
    outcome.details["seconds"] = time.process_time() - started
    if not analyse:
        return outcome
    outcome.details["analytics"] = analytics(election, outcome.selected)
    if rule != "greedy":
        outcome.details["greedy"] = compare(outcome, with_floors(election, "greedy", 0, tie_break_seed))
    return outcome


def rule_of(meta: dict[str, str]) -> str:
    """The engine's rule for a Pabulib META ``rule`` (greedy when the file names none)."""
    name = meta.get("rule", "greedy").strip().lower()
    if name in RULES or name == "greedy-no-skip":
        return name
    if name in PABULIB_RULES:
        return PABULIB_RULES[name]
    if name.startswith("equalshares"):
        return "mes-add1-infeasible" if "add1" in name else "mes"
    raise ValueError(f"La règle « {name} » du fichier est inconnue : préciser --rule ({', '.join(RULES)}).")
