"""Interactions on the items a volume hook wrote: supports, comments, follows' counters.

A module whose benchmark needs a given number of supports and comments on its items plans the counts first
(``heavy_tailed``, ``comment_plans``), writes its items with their counters already right, then writes the rows that
make those counters true with ``write_supports`` and ``write_comments``; a counter of rows written later is set by
``recount``.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import connection, models, transaction

if TYPE_CHECKING:
    from participe.harness.volume import VolumeContext

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
    until: datetime.datetime | None = None,
    counts_toward_limit: bool = True,
    starts: Mapping[int, datetime.datetime] | None = None,
) -> int:
    """Supports of distinct ``users`` on items of ``model``: ``targets`` yields (object_id, module_id, count);
    dated between ``since`` (or the item's date in ``starts``, when later) and ``until`` (now).

    Each item's supporters are a run of ``users`` taken with a stride prime to their number, from a random start:
    distinct by construction (unique per person and item, as the table requires) and cheap to build.
    """
    from django.contrib.contenttypes.models import ContentType

    from participe.supports.models import Support

    content_type_id = ContentType.objects.get_for_model(model).pk
    n = len(users)
    rng = ctx.rng
    start_date = since or ctx.now - datetime.timedelta(days=60)
    end_date = until or ctx.now

    def rows() -> Iterator[dict[str, Any]]:
        for object_id, module_id, count in targets:
            begin, span = _window(starts, object_id, start_date, end_date)
            first, step = rng.randrange(n), _stride(rng, n)
            for k in range(min(count, n)):
                yield {
                    "user_id": users[(first + k * step) % n],
                    "content_type_id": content_type_id,
                    "object_id": object_id,
                    "module_id": module_id,
                    "counts_toward_limit": counts_toward_limit,
                    "created_at": begin + datetime.timedelta(seconds=rng.random() * span),
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
    until: datetime.datetime | None = None,
    starts: Mapping[int, datetime.datetime] | None = None,
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
    end_date = until or ctx.now
    next_id = ctx.next_id(Comment)

    def rows() -> Iterator[dict[str, Any]]:
        nonlocal next_id
        for object_id, module_id, plan in targets:
            begin, span = _window(starts, object_id, start_date, end_date)
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
            dates = sorted(begin + datetime.timedelta(seconds=rng.random() * span) for _ in range(plan.total))
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
            ctx.comment_runs.append((base, plan.total, module_id))
            next_id += plan.total

    return len(ctx.bulk(Comment, rows(), "comments"))


def _window(
    starts: Mapping[int, datetime.datetime] | None,
    object_id: int,
    since: datetime.datetime,
    until: datetime.datetime,
) -> tuple[datetime.datetime, float]:
    """When an item's supports or comments may be dated: from its own start (its publication) if later than
    ``since``, until ``until``; returns the start and the span in seconds."""
    begin = max(starts.get(object_id, since), since) if starts else since
    return begin, max((until - begin).total_seconds(), 1.0)


def _stride(rng: random.Random, n: int) -> int:
    """A step in 1..n-1 prime to ``n`` (1 when n < 3), so that ``(first + k * step) % n`` visits n distinct values."""
    if n < 3:
        return 1
    while True:
        step = rng.randrange(1, n)
        if math.gcd(step, n) == 1:
            return step


def recount(target: type[models.Model], counter: str, source: type[models.Model]) -> int:
    """Set ``target.<counter>`` to the number of ``source`` rows (generic: ``content_type``/``object_id``) that
    point at each row, in one ``UPDATE … FROM (SELECT … GROUP BY)``; rows nothing points at keep their value
    (0 when seeded). Returns how many rows were updated."""
    from django.contrib.contenttypes.models import ContentType

    content_type_id = ContentType.objects.get_for_model(target).pk
    quote = connection.ops.quote_name
    field = target._meta.get_field(counter)
    assert isinstance(field, models.Field) and target._meta.pk is not None
    table, column = quote(target._meta.db_table), quote(field.column)
    sql = (
        f"UPDATE {table} SET {column} = counted.n FROM (SELECT object_id, COUNT(*) AS n "  # noqa: S608
        f"FROM {quote(source._meta.db_table)} WHERE content_type_id = %s GROUP BY object_id) AS counted "
        f"WHERE {table}.{quote(target._meta.pk.column)} = counted.object_id AND {table}.{column} <> counted.n"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, [content_type_id])
        return cursor.rowcount


def comment_plans(rng: random.Random, n: int, total: int, replies_share: float = 0.2) -> list[CommentPlan]:
    """``total`` comments over ``n`` items with a heavy tail: stances split at random, a share of replies under
    the items that have top-level comments (more replies where there are more comments)."""
    replies_total = int(total * replies_share)
    top = heavy_tailed(rng, n, total - replies_total, cap=max(total, 1))
    threads = [i for i in range(n) if top[i]]
    replies = [0] * n
    for i in rng.choices(threads, weights=[top[i] for i in threads], k=replies_total) if threads else []:
        replies[i] += 1
    plans = []
    for i in range(n):
        split = sorted((rng.random(), rng.random()))
        favorable, neutral = int(top[i] * split[0]), int(top[i] * (split[1] - split[0]))
        plans.append(CommentPlan(favorable, neutral, top[i] - favorable - neutral, replies[i]))
    return plans
