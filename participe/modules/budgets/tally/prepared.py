"""An election in the shape the rules compute on: projects by index, grouped ballots, supporters per project.

Built once per tally and shared by the rounds of the add1 completions (which run the Method of Equal Shares hundreds
of times on the same ballots).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import numpy as np

from participe.modules.budgets.tally.model import Election


def seed_order(seed: str | None, project_id: str) -> str:
    """The public random order of the projects: a hash of the published seed and the project's id (its id without a
    seed)."""
    if seed is None:
        return project_id
    return hashlib.sha256(f"{seed}:{project_id}".encode()).hexdigest()


@dataclass
class Prepared:
    ids: list[str]
    costs: list[int]
    # Each distinct ballot once: (project index, points) pairs, and how many voters cast it.
    ballots: list[tuple[tuple[int, int], ...]]
    counts: list[int]
    supporters: list[list[tuple[int, int]]]  # per project, (ballot index, points) of the ballots that give it points
    scores: list[int]  # per project, its votes (approval) or points
    tie_key: list[tuple[int, int, str]]  # per project: more votes first, then lower cost, then the seed's order
    budget: int
    voters: int
    _neighbours: list[set[int]] | None = None
    _arrays: tuple[np.ndarray, list[np.ndarray], list[np.ndarray], list[np.ndarray], int] | None = None

    @classmethod
    def of(cls, election: Election, tie_break_seed: str | None = None) -> Prepared:
        ids = [p.id for p in election.projects]
        index = {project_id: i for i, project_id in enumerate(ids)}
        ballots: list[tuple[tuple[int, int], ...]] = []
        counts: list[int] = []
        supporters: list[list[tuple[int, int]]] = [[] for _ in ids]
        scores = [0] * len(ids)
        for ballot, count in election.ballots.items():
            items = tuple((index[p], points) for p, points in ballot if p in index and points > 0)
            if not items or count <= 0:
                continue
            b = len(ballots)
            ballots.append(items)
            counts.append(count)
            for j, points in items:
                supporters[j].append((b, points))
                scores[j] += points * count
        costs = [p.cost for p in election.projects]
        keys = [(-scores[j], costs[j], seed_order(tie_break_seed, ids[j])) for j in range(len(ids))]
        # Every voter gets a share, those who chose nothing too (as pabutools and equalshares.net count them).
        return cls(ids, costs, ballots, counts, supporters, scores, keys, election.budget, election.voters)

    @property
    def arrays(self) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray], list[np.ndarray], int]:
        """The ballots' counts, and per project its supporting ballots, their points and counts, as numpy arrays
        (integers only: the money stays exact rationals); and the points' span (the largest points + 1)."""
        if self._arrays is None:
            counts = np.array(self.counts, dtype=np.int64)
            ballots = [np.array([b for b, _ in s], dtype=np.int64) for s in self.supporters]
            points = [np.array([p for _, p in s], dtype=np.int64) for s in self.supporters]
            weights = [counts[b] for b in ballots]
            span = max((int(p.max()) for p in points if len(p)), default=1) + 1
            self._arrays = (counts, ballots, points, weights, span)
        return self._arrays

    @property
    def neighbours(self) -> list[set[int]]:
        """Per project, the projects that share a voter with it (its own index included)."""
        if self._neighbours is None:
            self._neighbours = [set() for _ in self.ids]
            for ballot in self.ballots:
                projects = [j for j, _ in ballot]
                for j in projects:
                    self._neighbours[j].update(projects)
        return self._neighbours
