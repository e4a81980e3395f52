"""Volume seeding: fast bulk inserts, a progress bar, and the plug-in point each app and module implements.

An installed app (a platform app or a participation module) adds its own items by providing ``volume.py``
with ``def seed_volume(ctx: VolumeContext) -> int`` returning the number of rows it wrote. Hooks of
participation modules run first (they create the items), then the platform apps' (comments, supports…
on those items); a hook module may set ``ORDER = <int>`` to run earlier (lower) or later.
See docs/benchmarks.md for the contract.
"""

from __future__ import annotations

import datetime
import itertools
import math
import random
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from importlib import import_module
from operator import itemgetter
from typing import Any, TextIO

from django.apps import apps
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

BENCH_PASSWORD = "participe-bench"
EMAIL_DOMAIN = "bench.example"
MODULE_HOOK_ORDER = 50
PLATFORM_HOOK_ORDER = 100


class Progress:
    """A one-line progress bar on stderr (rows written out of rows planned, and the rate)."""

    def __init__(self, total: int = 0, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.done, self.label = total, 0, ""
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.started = time.monotonic()
        self._drawn = 0.0

    def add_total(self, rows: int) -> None:
        self.total += rows

    def advance(self, rows: int, label: str = "") -> None:
        self.done += rows
        self.label = label or self.label
        now = time.monotonic()
        if self.enabled and now - self._drawn > 0.25:
            self._drawn = now
            self.draw()

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-6)

    def draw(self, end: str = "") -> None:
        total = max(self.total, self.done, 1)
        filled = int(30 * self.done / total)
        bar = "#" * filled + "." * (30 - filled)
        self.stream.write(
            f"\r[{bar}] {100 * self.done / total:5.1f}% {self.done:>11,} rows {self.rate:>9,.0f} rows/s  {self.label[:30]:<30}{end}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.draw(end="\n")


class BulkWriter:
    """Inserts rows given as dicts (field name or attname -> value) with explicit primary keys.

    PostgreSQL: ``COPY … FROM STDIN`` in batches. Other databases: ``executemany`` INSERTs in batches.
    Fields left out get their default (``auto_now``/``auto_now_add`` fields get the current time).
    Primary keys are allocated from the table's maximum, so callers know ids before inserting.
    """

    def __init__(self, progress: Progress, batch_size: int = 10_000) -> None:
        self.progress = progress
        self.batch_size = batch_size
        self.postgres = connection.vendor == "postgresql"
        self._next: dict[type[models.Model], int] = {}
        self.touched: set[type[models.Model]] = set()
        self.now = timezone.now()
        self.rows_written = 0

    def next_id(self, model: type[models.Model]) -> int:
        """The primary key the next row of ``model`` will get."""
        if model not in self._next:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self._next[model] = top + 1
        return self._next[model]

    def _defaults(self, model: type[models.Model]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                found[f.attname] = self.now
            elif f.has_default():
                found[f.attname] = f.get_default()
            elif f.null:
                found[f.attname] = None
            elif f.empty_strings_allowed and f.blank:
                found[f.attname] = ""
        return found

    def _prep(self, f: models.Field[Any, Any], value: Any) -> Any:
        return f.get_db_prep_save(value, connection) if self._needs_prep(f) else value

    def _needs_prep(self, f: models.Field[Any, Any]) -> bool:
        kind = f.get_internal_type()
        if self.postgres:
            return kind == "JSONField"
        return kind in {"JSONField", "DateTimeField", "DateField", "TimeField", "DecimalField", "UUIDField"}

    def insert(self, model: type[models.Model], rows: Iterable[dict[str, Any]], label: str = "") -> range:
        """Write the rows (every row of one call has the same keys); return the range of their primary keys.

        Columns are written in the order: the rows' keys, then the fields left to their default (one constant
        tuple), then the primary key, so that building a row is one ``itemgetter`` and a tuple concatenation.
        """
        pk = model._meta.pk
        assert pk is not None
        by_name = {f.name: f for f in model._meta.concrete_fields} | {f.attname: f for f in model._meta.concrete_fields}
        iterator = iter(rows)
        first = next(iterator, None)
        start = self.next_id(model)
        if first is None:
            return range(start, start)
        keys = list(first)
        given = [by_name[key] for key in keys]
        defaults = self._defaults(model)
        rest = [f for f in model._meta.concrete_fields if f not in given and not f.primary_key]
        constant = tuple(self._prep(f, defaults[f.attname]) for f in rest)
        fields = [*given, *rest, pk]
        prep = [(i, f) for i, f in enumerate(given) if self._needs_prep(f)]
        getter = itemgetter(*keys)
        single = len(keys) == 1
        counter = itertools.count(start)

        def built() -> Iterator[tuple[Any, ...]]:
            for row in itertools.chain((first,), iterator):
                values = (getter(row),) if single else getter(row)
                if prep:
                    listed = list(values)
                    for i, f in prep:
                        listed[i] = f.get_db_prep_save(listed[i], connection)
                    values = tuple(listed)
                yield (*values, *constant, next(counter))

        stream = built()
        dropped: list[str] = []
        while self._write_batch(model, fields, itertools.islice(stream, self.batch_size), label) == self.batch_size:
            if self.postgres and not dropped:
                dropped = self._drop_secondary_indexes(model)  # more than a batch: cheaper to rebuild them after
        if dropped:
            self._recreate_indexes(dropped, label or model._meta.label)
        end = next(counter)
        self._next[model] = end
        self.touched.add(model)
        return range(start, end)

    def _drop_secondary_indexes(self, model: type[models.Model]) -> list[str]:
        """Drop the table's plain indexes (not primary keys, not unique ones); return their definitions."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT i.indexname, i.indexdef FROM pg_indexes i JOIN pg_class c ON c.relname = i.indexname "
                "JOIN pg_index x ON x.indexrelid = c.oid WHERE i.tablename = %s AND NOT x.indisunique",
                [model._meta.db_table],
            )
            found = cursor.fetchall()
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [definition for _name, definition in found]

    def _recreate_indexes(self, definitions: list[str], label: str) -> None:
        self.progress.advance(0, f"{label} (indexes)")
        with connection.cursor() as cursor:
            cursor.execute("SET maintenance_work_mem TO '256MB'")
            for definition in definitions:
                cursor.execute(definition)

    def _write_batch(
        self, model: type[models.Model], fields: list[Any], batch: Iterable[tuple[Any, ...]], label: str
    ) -> int:
        """Write one batch in its own transaction; return how many rows it held (0 when the stream is over)."""
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        written = 0
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                # Rows are built while COPY streams them: Python and the server work at the same time.
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for values in batch:
                        copy.write_row(values)
                        written += 1
            else:
                rows = list(batch)
                written = len(rows)
                if rows:
                    marks = ", ".join(["%s"] * len(fields))
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        self.rows_written += written
        if written:
            self.progress.advance(written, label or model._meta.label)
        return written

    def reset_sequences(self) -> None:
        """After explicit ids, move each table's id sequence past the rows written (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.touched))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)


@dataclass
class Sizes:
    accounts: int = 1_000
    spaces: int = 20
    modules_per_space: int = 2
    items_per_module: int = 50
    comments_per_item: int = 3
    supports_per_item: int = 5
    territories: int = 10  # communes; each gets quartiers
    extra: dict[str, int] = field(default_factory=dict)  # sizes a hook reads with ctx.size("name", default)


@dataclass
class VolumeContext:
    """What a ``seed_volume(ctx)`` hook receives.

    - ``sizes`` (and ``size(name, default)`` for hook-specific ``--size name=N``), ``rng`` (seeded: the same
      command gives the same data), ``now``;
    - ``users``: role -> list of user ids ("admin", "agent", "moderator", "verified", "participant"),
      ``user_ids``: every account seeded; ``space_ids``; ``module_ids(type)``: the modules of one type;
    - ``bulk(model, rows)`` -> range of the new primary keys; ``next_id(model)``; ``ids(label)``: every
      id written for ``"app_label.Model"`` during this run (a module's items, for comments and supports);
    - ``progress.add_total(n)`` to extend the bar by the rows the hook is about to write.
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

    @property
    def now(self) -> Any:
        return self.writer.now

    def size(self, name: str, default: int) -> int:
        return self.sizes.extra.get(name, default)

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

    def pick_users(self, k: int) -> list[int]:
        """k distinct participants (for supports, votes: one per person)."""
        k = min(k, len(self.user_ids))
        return self.rng.sample(self.user_ids, k) if k else []


Hook = Callable[[VolumeContext], int]


def discover_hooks(only: Iterable[str] = ()) -> list[tuple[int, str, Hook]]:
    """Every installed app's ``volume.seed_volume``, modules first, sorted by ``ORDER``."""
    wanted = set(only)
    found = []
    for config in apps.get_app_configs():
        if config.name == "participe.harness":
            continue
        if wanted and config.label not in wanted:
            continue
        try:
            module = import_module(f"{config.name}.volume")
        except ModuleNotFoundError as exc:
            if exc.name != f"{config.name}.volume":
                raise
            continue
        hook = getattr(module, "seed_volume", None)
        if callable(hook):
            default = MODULE_HOOK_ORDER if config.name.startswith("participe.modules.") else PLATFORM_HOOK_ORDER
            found.append((getattr(module, "ORDER", default), config.label, hook))
    return sorted(found, key=lambda item: (item[0], item[1]))


# Interactions on the items a hook wrote. A module whose benchmark needs a given number of supports and comments
# on its items plans the counts first (``heavy_tailed``), writes its items with their counters already right, then
# writes the rows that make those counters true with ``write_supports`` and ``write_comments``.

COMMENT_TEXTS = [
    "Très bonne idée, je soutiens sans réserve.",
    "On en parle depuis des années dans le quartier : il est temps d'agir.",
    "Pourquoi pas, mais qui paiera l'entretien ?",
    "Il faudrait d'abord demander l'avis des riverains.",
    "Je ne suis pas convaincu : le coût me paraît trop élevé pour le service rendu.",
    "Les enfants de l'école passent par là tous les matins, ce serait un vrai progrès.",
    "Attention au bruit le soir pour les voisins.",
    "Bonne idée, à condition de prévoir de l'ombre et des bancs.",
    "Même chose dans ma rue, on pourrait l'étendre à tout le quartier.",
    "Une phase d'essai de quelques mois permettrait de juger sur pièce.",
]


@dataclass(frozen=True)
class CommentPlan:
    """The comments one item gets: top-level comments per stance and replies (which carry no stance)."""

    favorable: int = 0
    neutral: int = 0
    unfavorable: int = 0
    replies: int = 0

    @property
    def top_level(self) -> int:
        return self.favorable + self.neutral + self.unfavorable

    @property
    def total(self) -> int:
        return self.top_level + self.replies


def heavy_tailed(rng: random.Random, n: int, total: int, cap: int, alpha: float = 1.3) -> list[int]:
    """``n`` counts adding up to ``total`` (if ``n * cap`` allows it), each at most ``cap``: most items get a
    few, some get a lot, as on real platforms (a Pareto law of parameter ``alpha``)."""
    if n <= 0 or total <= 0 or cap <= 0:
        return [0] * max(n, 0)
    total = min(total, n * cap)
    weights = [rng.paretovariate(alpha) for _ in range(n)]
    scale = total / sum(weights)
    counts = [min(cap, int(w * scale)) for w in weights]
    missing = total - sum(counts)
    while missing > 0:  # what rounding and the cap left out, spread over the items that still have room
        room = [i for i, c in enumerate(counts) if c < cap]
        for i in rng.sample(room, min(missing, len(room))):
            counts[i] += 1
            missing -= 1
    return counts


def write_supports(
    ctx: VolumeContext,
    *,
    model: type[models.Model],
    targets: Iterable[tuple[int, int, int]],
    users: list[int],
    since: datetime.datetime | None = None,
) -> int:
    """Supports of distinct ``users`` on items of ``model``: ``targets`` yields (object_id, module_id, count).

    Each item's supporters are a run of ``users`` taken with a stride prime to their number, from a random start:
    distinct by construction (unique per person and item, as the table requires) and cheap to build.
    """
    from django.contrib.contenttypes.models import ContentType

    from participe.supports.models import Support

    content_type_id = ContentType.objects.get_for_model(model).pk
    n = len(users)
    rng = ctx.rng
    start_date = since or ctx.now - datetime.timedelta(days=60)
    span = max((ctx.now - start_date).total_seconds(), 1.0)

    def rows() -> Iterator[dict[str, Any]]:
        for object_id, module_id, count in targets:
            first, step = rng.randrange(n), _stride(rng, n)
            for k in range(min(count, n)):
                yield {
                    "user_id": users[(first + k * step) % n],
                    "content_type_id": content_type_id,
                    "object_id": object_id,
                    "module_id": module_id,
                    "created_at": start_date + datetime.timedelta(seconds=rng.random() * span),
                }

    if not n:
        return 0
    return len(ctx.bulk(Support, rows(), "supports"))


def write_comments(
    ctx: VolumeContext,
    *,
    model: type[models.Model],
    targets: Iterable[tuple[int, int, CommentPlan]],
    authors: list[int],
    since: datetime.datetime | None = None,
) -> int:
    """The comments planned for each item of ``model``: ``targets`` yields (object_id, module_id, plan).

    Top-level comments come first, with their ``replies_count`` already right, then the replies, each under one of
    the item's first comments (ids are allocated up front, so a reply knows its parent's id).
    """
    from django.contrib.contenttypes.models import ContentType

    from participe.comments.models import Comment, Stance

    if not authors:
        return 0
    content_type_id = ContentType.objects.get_for_model(model).pk
    rng = ctx.rng
    start_date = since or ctx.now - datetime.timedelta(days=60)
    span = max((ctx.now - start_date).total_seconds(), 1.0)
    next_id = ctx.next_id(Comment)

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal next_id
        for object_id, module_id, plan in targets:
            if plan.replies and not plan.top_level:
                raise ValueError("replies need a top-level comment to answer")
            stances = [Stance.FAVORABLE] * plan.favorable + [Stance.NEUTRAL] * plan.neutral
            stances += [Stance.UNFAVORABLE] * plan.unfavorable
            rng.shuffle(stances)
            # Replies gather under the first comments of a thread, as they do in practice.
            parents = [rng.randrange(min(len(stances), 20)) for _ in range(plan.replies)]
            replies_of = [0] * len(stances)
            for p in parents:
                replies_of[p] += 1
            dates = sorted(start_date + datetime.timedelta(seconds=rng.random() * span) for _ in range(plan.total))
            base = next_id
            for i, stance in enumerate(stances):
                yield {
                    "content_type_id": content_type_id,
                    "object_id": object_id,
                    "module_id": module_id,
                    "parent_id": None,
                    "author_id": rng.choice(authors),
                    "stance": stance,
                    "body": rng.choice(COMMENT_TEXTS),
                    "replies_count": replies_of[i],
                    "created_at": dates[i],
                }
            for j, p in enumerate(parents):
                yield {
                    "content_type_id": content_type_id,
                    "object_id": object_id,
                    "module_id": module_id,
                    "parent_id": base + p,
                    "author_id": rng.choice(authors),
                    "stance": "",
                    "body": rng.choice(COMMENT_TEXTS),
                    "replies_count": 0,
                    "created_at": dates[len(stances) + j],
                }
            next_id += plan.total

    return len(ctx.bulk(Comment, rows(), "comments"))


def _stride(rng: random.Random, n: int) -> int:
    """A step in 1..n-1 prime to ``n`` (1 when n < 3), so that ``(first + k * step) % n`` visits n distinct values."""
    if n < 3:
        return 1
    while True:
        step = rng.randrange(1, n)
        if math.gcd(step, n) == 1:
            return step
