"""Whether an order read from the database follows the order in which people acted (submissions, émargements).

The anonymity tests compare the two with Spearman's rho. For a shuffled order rho is close to a normal variable of
standard deviation 1 / sqrt(n - 1): a fixed bound (say 0.5) fails on a genuine shuffle now and then — one run in 150
for 30 items, one in 8 for 10. ``follows`` uses 3.9 standard deviations (a false alarm about once in 10,000 runs),
which still catches what the tests are for: the order of the acts kept (rho = 1), or batches kept in that order
(three batches of ten: rho ≈ 0.9)."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence

STANDARD_DEVIATIONS = 3.9


def rank_correlation(order: Sequence[str], observed: Sequence[str]) -> float:
    """Spearman's rho between the order of the acts and the order observed (both hold the same distinct items)."""
    position = {item: index for index, item in enumerate(observed)}
    return statistics.correlation(list(range(len(order))), [position[item] for item in order])


def follows(order: Sequence[str], observed: Sequence[str]) -> bool:
    """Whether ``observed`` follows ``order`` more than a shuffle plausibly would (or is that order itself)."""
    bound = min(0.99, STANDARD_DEVIATIONS / math.sqrt(len(order) - 1))
    return abs(rank_correlation(order, observed)) >= bound
