"""Volume seeding: fast bulk inserts, a progress bar, and the plug-in point of every module and platform app.

A hook is ``def seed_volume(ctx: VolumeContext) -> int`` returning the number of rows it wrote. A participation
module declares its own in its manifest (``volume="participe.modules.<m>.volume.seed_volume"``); the platform apps'
live here, in ``participe/harness/hooks/`` (``PLATFORM_HOOKS``). Nothing is found by file name. The modules' hooks
run first (they create the items), then the platform's (follows, supports… on those items); the module defining a
hook may set ``ORDER = <int>`` to run earlier (lower) or later. See docs/benchmarks.md for the contract.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from typing import Any

from django.db import models
from django.utils.module_loading import import_string

from participe.core.registry import registry
from participe.harness.interactions import (
    COMMENT_TEXTS,
    CommentPlan,
    _stride,
    comment_plans,
    heavy_tailed,
    recount,
    write_comments,
    write_supports,
)
from participe.harness.writer import BulkWriter, Progress

__all__ = [
    "BENCH_PASSWORD",
    "COMMENT_TEXTS",
    "CONTRIBUTION_SHARES",
    "EMAIL_DOMAIN",
    "BulkWriter",
    "CommentPlan",
    "Progress",
    "Sizes",
    "VolumeContext",
    "comment_plans",
    "discover_hooks",
    "heavy_tailed",
    "recount",
    "write_comments",
    "write_supports",
]

BENCH_PASSWORD = "participe-bench"
EMAIL_DOMAIN = "bench.example"
MODULE_HOOK_ORDER = 50
PLATFORM_HOOK_ORDER = 100
# The platform apps' hooks, by the label of the app whose rows they write (``--only`` takes it).
PLATFORM_HOOKS = {
    "notifications": "participe.harness.hooks.notifications.seed_volume",
    "supports": "participe.harness.hooks.supports.seed_volume",
}


@dataclass
class Sizes:
    accounts: int = 1_000
    spaces: int = 20
    modules_per_space: int = 2
    items_per_module: int = 50
    comments_per_item: int = 3
    supports_per_item: int = 5
    territories: int = 10  # communes; each gets quartiers
    contributions: int = 0  # when set, the total the hooks share by CONTRIBUTION_SHARES (per-item sizes ignored)
    extra: dict[str, int] = field(default_factory=dict)  # sizes a hook reads with ctx.size("name", default)


# How ``--contributions N`` is split (the shape of a large national consultation: many supports, a lot of
# comments, fewer items). A hook reads its part with ``ctx.contributions(key)``.
CONTRIBUTION_SHARES = {
    "proposals": 0.06,  # the items people deposit
    "proposal_supports": 0.36,
    "proposal_comments": 0.18,
    "debate_comments": 0.22,  # stance comments answering the debates' questions
    "survey_responses": 0.08,  # each with its answer rows (not counted as contributions)
    "comment_supports": 0.10,  # supports on the comments of every module
}


@dataclass
class VolumeContext:
    """What a ``seed_volume(ctx)`` hook receives.

    - ``sizes`` (and ``size(name, default)`` for hook-specific ``--size name=N``), ``rng`` (seeded: the same
      command gives the same data), ``now``;
    - ``users``: role -> list of user ids ("admin", "agent", "moderator", "verified", "participant"),
      ``user_ids``: every account seeded; ``space_ids``; ``module_ids(type)``: the modules of one type;
    - ``bulk(model, rows)`` -> range of the new primary keys; ``next_id(model)``; ``ids(label)``: every
      id written for ``"app_label.Model"`` during this run (a module's items, for comments and supports);
    - ``progress.add_total(n)`` to extend the bar by the rows the hook is about to write;
    - ``reindex.append("app.Model")``: have the search service index that model once the load is over (for a few
      thousand items; write the entries in bulk for more, as the proposals hook does).
    """

    sizes: Sizes
    rng: random.Random
    writer: BulkWriter
    progress: Progress
    users: dict[str, list[int]] = field(default_factory=dict)
    user_ids: range = range(0)
    space_ids: range = range(0)
    modules: dict[str, list[int]] = field(default_factory=dict)
    created: dict[str, list[range]] = field(default_factory=dict)
    manifest: dict[str, Any] = field(default_factory=dict)  # what load tests need (accounts, slugs, urls)
    comment_runs: list[tuple[int, int, int]] = field(default_factory=list)  # (first id, count, module) per item
    reindex: list[str] = field(default_factory=list)  # "app.Model" the search service indexes after the load

    @property
    def now(self) -> Any:
        return self.writer.now

    def size(self, name: str, default: int) -> int:
        return self.sizes.extra.get(name, default)

    def contributions(self, key: str) -> int | None:
        """This part of ``--contributions`` (``CONTRIBUTION_SHARES[key]``), or None when it was not given: the
        hook then uses the per-item sizes. ``--size key=N`` overrides it."""
        if key in self.sizes.extra:
            return self.sizes.extra[key]
        if not self.sizes.contributions:
            return None
        return round(self.sizes.contributions * CONTRIBUTION_SHARES[key])

    def spread(self, total: int, parts: int) -> list[int]:
        """``total`` split over ``parts`` (modules) with a heavy tail: a few big consultations, many small ones."""
        return heavy_tailed(self.rng, parts, total, cap=max(total, 1), alpha=2.0)

    def bulk(self, model: type[models.Model], rows: Iterable[dict[str, Any]], label: str = "") -> range:
        ids = self.writer.insert(model, rows, label)
        self.created.setdefault(model._meta.label, []).append(ids)
        return ids

    def next_id(self, model: type[models.Model]) -> int:
        return self.writer.next_id(model)

    def ids(self, label: str) -> Iterator[int]:
        for ids in self.created.get(label, []):
            yield from ids

    def module_ids(self, module_type: str) -> list[int]:
        return self.modules.get(module_type, [])

    def stride(self, n: int) -> int:
        """A step prime to ``n``: ``(first + k * step) % n`` for k < n are n distinct positions."""
        return _stride(self.rng, n)

    def pick_users(self, k: int) -> list[int]:
        """k distinct participants (for supports, votes: one per person)."""
        k = min(k, len(self.user_ids))
        return self.rng.sample(self.user_ids, k) if k else []


Hook = Callable[[VolumeContext], int]


def discover_hooks(only: Iterable[str] = ()) -> list[tuple[int, str, Hook]]:
    """Every hook, by ``(ORDER, app label)``: the modules' (their manifest's ``volume``), then the platform's."""
    wanted = set(only)
    declared = [(m.app_label, m.volume, MODULE_HOOK_ORDER) for m in registry.all() if m.volume]
    declared += [(label, path, PLATFORM_HOOK_ORDER) for label, path in PLATFORM_HOOKS.items()]
    found = []
    for label, path, default in declared:
        if wanted and label not in wanted:
            continue
        hook = import_string(path)
        found.append((getattr(import_module(hook.__module__), "ORDER", default), label, hook))
    return sorted(found, key=lambda item: (item[0], item[1]))
