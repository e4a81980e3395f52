"""Sortition without Django: a pool grouped by feature profile, quotas, the leximin distribution over panels
(linear programming on HiGHS), its rounding into lottery tickets and the draw from a public seed.

Everything here is deterministic: the same pool, quotas, size and seed give the same panel on any machine
(docs/modules/juries.md, decision 0024). The Django module and ``manage.py jury_draw`` both go through
``instance_from_rows`` → ``leximin`` → ``Lottery.draw``.
"""

from participe.modules.juries.sortition.feasibility import Infeasible, Shortfall, check_feasible
from participe.modules.juries.sortition.leximin import Distribution, leximin
from participe.modules.juries.sortition.lottery import ALGORITHM_VERSION, TICKETS, Lottery, SeedError, normalize_seed
from participe.modules.juries.sortition.model import Instance, Person, Quota, instance_from_rows, instance_from_texts

__all__ = [
    "ALGORITHM_VERSION",
    "TICKETS",
    "Distribution",
    "Infeasible",
    "Instance",
    "Lottery",
    "Person",
    "Quota",
    "SeedError",
    "Shortfall",
    "check_feasible",
    "instance_from_rows",
    "instance_from_texts",
    "leximin",
    "normalize_seed",
]
