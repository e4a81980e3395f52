"""The voting rules: ``tally(election, rule)`` (see docs/modules/budgets.md for each rule in words).

Tie-breaking is documented and deterministic: more votes (or points) first, then the lower cost, then a public random
order drawn from the published seed (``tie_break_seed``; without it, the project ids' order).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from participe.modules.budgets.tally.model import Election, Explanation, Outcome, Project

RULES = ("greedy", "greedy-threshold", "mes", "mes-add1", "mes-add1-infeasible", "phragmen")


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
    if seed is None:
        return lambda project: project.id
    return lambda project: hashlib.sha256(f"{seed}:{project.id}".encode()).hexdigest()


def greedy(election: Election, *, threshold: int = 0, tie_break_seed: str | None = None) -> Outcome:
    """By votes (or points), most first; a project that does not fit in what is left is skipped, the next considered;
    with a threshold, projects below it are left out."""
    totals = scores(election)
    order = sorted(
        election.projects,
        key=lambda p: (-totals[p.id], p.cost, tie_break_key(tie_break_seed)(p)),
    )
    left = election.budget
    selected: list[str] = []
    explanations: dict[str, Explanation] = {}
    for rank, project in enumerate(order, start=1):
        score = totals[project.id]
        if score < threshold or score == 0:
            reason = "below_threshold" if score < threshold else "not_selected"
            explanations[project.id] = Explanation(project.id, False, reason, score, project.cost, rank, left)
            continue
        if project.cost <= left:
            selected.append(project.id)
            explanations[project.id] = Explanation(project.id, True, "selected", score, project.cost, rank, left)
            left -= project.cost
        else:
            needed = project.cost - left
            explanations[project.id] = Explanation(
                project.id, False, "not_enough_budget", score, project.cost, rank, left, needed=needed
            )
    rule = "greedy-threshold" if threshold else "greedy"
    return Outcome(rule, selected, election.budget - left, explanations, {"threshold": threshold})


def tally(election: Election, rule: str, *, threshold: int | None = None, tie_break_seed: str | None = None) -> Outcome:
    """The outcome of ``rule`` (one of ``RULES``) on ``election``."""
    if rule == "greedy":
        return greedy(election, tie_break_seed=tie_break_seed)
    if rule == "greedy-threshold":
        value = threshold if threshold is not None else int(election.meta.get("min_project_score_threshold", 0))
        return greedy(election, threshold=value, tie_break_seed=tie_break_seed)
    if rule in RULES:
        raise NotImplementedError(f"The rule {rule!r} is being written (issue #13).")
    raise ValueError(f"Unknown rule {rule!r}: one of {', '.join(RULES)}.")
