"""An election in the shape the rules compute on: projects by index, grouped ballots, supporters per project.

Built once per tally and shared by the rounds of the add1 completions (which run the Method of Equal Shares hundreds
of times on the same ballots).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from itertools import pairwise

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
    # Each distinct ballot once (ballot b gave ``points[i]`` to project ``projects[i]`` where ``owners[i] == b``),
    # and how many voters cast it.
    owners: list[int]
    projects: list[int]
    points: list[int]
    counts: list[int]
    scores: list[int]  # per project, its votes (approval) or points
    tie_key: list[tuple[int, int, str]]  # per project: more votes first, then lower cost, then the seed's order
    budget: int
    voters: int
    _arrays: tuple[np.ndarray, list[np.ndarray], list[np.ndarray], list[np.ndarray], int] | None = None

    @classmethod
    def of(cls, election: Election, tie_break_seed: str | None = None) -> Prepared:
        ids = [p.id for p in election.projects]
        index = {project_id: i for i, project_id in enumerate(ids)}
        owners: list[int] = []
        projects: list[int] = []
        points_of: list[int] = []
        counts: list[int] = []
        scores = [0] * len(ids)
        for ballot, count in election.ballots.items():
            items = [(index[p], points) for p, points in ballot if points > 0 and p in index]
            if not items or count <= 0:
                continue
            b = len(counts)
            counts.append(count)
            for j, points in items:
                owners.append(b)
                projects.append(j)
                points_of.append(points)
                scores[j] += points * count
        costs = [p.cost for p in election.projects]
        keys = [(-scores[j], costs[j], seed_order(tie_break_seed, ids[j])) for j in range(len(ids))]
        # Every voter gets a share, those who chose nothing too (as pabutools and equalshares.net count them).
        return cls(ids, costs, owners, projects, points_of, counts, scores, keys, election.budget, election.voters)

    @property
    def ballots(self) -> int:
        """The number of distinct ballots that give points to some project."""
        return len(self.counts)

    @property
    def arrays(self) -> tuple[np.ndarray, list[np.ndarray], list[np.ndarray], list[np.ndarray], int]:
        """The ballots' counts, and per project its supporting ballots, their points and counts, as numpy arrays
        (integers only: the money stays exact rationals); and the points' span (the largest points + 1)."""
        if self._arrays is None:
            counts = np.array(self.counts, dtype=np.int64)
            owners = np.array(self.owners, dtype=np.int64)
            projects = np.array(self.projects, dtype=np.int64)
            points = np.array(self.points, dtype=np.int64)
            order = np.argsort(projects, kind="stable")  # by project, ballots in their order
            bounds = np.searchsorted(projects[order], np.arange(len(self.ids) + 1)).tolist()
            per_ballots = [owners[order[a:b]] for a, b in pairwise(bounds)]
            per_points = [points[order[a:b]] for a, b in pairwise(bounds)]
            weights = [counts[b] for b in per_ballots]
            span = int(points.max()) + 1 if len(points) else 2
            self._arrays = (counts, per_ballots, per_points, weights, span)
        return self._arrays
