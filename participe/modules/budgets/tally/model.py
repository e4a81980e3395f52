"""What the tally engine works on and what it answers (the interface the budgets module and the command use).

Amounts are integers (the currency's smallest unit the budget is counted in: euros for a budget participatif);
scores and shares are exact (integers, ``fractions.Fraction``): an outcome never depends on float rounding.
Ballots are grouped: an election holds each distinct ballot once, with the number of voters who cast it.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import asdict, dataclass, field
from fractions import Fraction
from typing import Any, Literal

VoteType = Literal["approval", "cumulative", "ordinal", "choose-1", "scoring"]

# A ballot: for each project it names, its points (1 for approval; the points given for cumulative; the points of
# its rank for ordinal, e.g. 3/2/1), sorted by project id so that equal ballots are equal tuples.
Ballot = tuple[tuple[str, int], ...]


@dataclass(frozen=True)
class Project:
    id: str
    cost: int
    name: str = ""
    category: str | None = None


@dataclass
class Election:
    """One envelope's vote: its budget, its projects, its grouped ballots and the rule's parameters."""

    budget: int
    projects: list[Project]
    ballots: Counter[Ballot] = field(default_factory=Counter)
    vote_type: VoteType = "approval"
    # Rule parameters read from a Pabulib META section or the envelope's settings (min_project_score_threshold…).
    meta: dict[str, str] = field(default_factory=dict)
    # The categories' minimum shares: category name -> the least its funded projects must cost (``floors.py``).
    floors: dict[str, int] = field(default_factory=dict)

    @property
    def voters(self) -> int:
        return sum(self.ballots.values())

    def project(self, project_id: str) -> Project:
        return next(p for p in self.projects if p.id == project_id)


@dataclass(frozen=True)
class Explanation:
    """Why a project was selected or not, in figures a page can put in words (docs/modules/budgets-tally.md).

    ``reason`` is a stable code: ``selected``, ``not_enough_budget`` (it did not fit in what was left: greedy, the
    completion after MES, Phragmén), ``below_threshold``, ``supporters_out_of_money`` (MES: its supporters' shares
    never covered its cost), ``too_expensive_per_voter`` (MES: affordable at the start, but other projects asked less
    per euro and its supporters spent their shares on them), ``not_selected`` (no vote), ``category_floor`` (funded
    by its category's minimum share where the rule alone would not have funded it; a project the floor funded that
    the rule would have funded anyway is ``selected`` at the stage ``floor``)."""

    project_id: str
    selected: bool
    reason: str
    score: int  # votes (approval) or points
    cost: int
    round: int | None = None  # the round it was selected in (1-based), or the round it was last considered
    budget_left: int | None = None  # what was left when it was selected or considered
    # MES: what each supporter paid per point (per supporter for approval), or would have paid at the start;
    # Phragmén: the load its supporters reached (or would have)
    price_per_voter: Fraction | None = None
    needed: Fraction | int | None = None  # what it lacked: budget left (greedy), its supporters' money (MES)
    stage: str | None = None  # the step that decided: greedy, mes, completion (greedy after MES), phragmen, floor
    category: str | None = None  # floor: the category whose minimum share funded it


@dataclass
class Outcome:
    rule: str
    selected: list[str]  # project ids in the order they were selected
    total_cost: int
    explanations: dict[str, Explanation] = field(default_factory=dict)
    # The rule's own trace (rounds, the budget per voter MES ended with, the completion used…), for the results page.
    details: dict[str, object] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        """The outcome as JSON-ready data (for a JSONField or the API): fractions become "p/q" strings (exact)."""
        return _plain(asdict(self))


def _plain(value: Any) -> Any:
    if isinstance(value, Fraction):
        return str(value)
    if isinstance(value, dict):
        return {str(key): _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    return value
