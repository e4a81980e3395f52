"""Volume seeding of supports on comments (``manage.py seed_volume``): after the modules' hooks wrote their items'
comments, some comments of every module get supports, and the comments' ``supports_count`` is recounted."""

from __future__ import annotations

import datetime
from collections.abc import Iterator

from participe.comments.models import Comment
from participe.harness.volume import VolumeContext, heavy_tailed, recount, write_supports
from participe.supports.models import Support


def seed_volume(ctx: VolumeContext) -> int:
    """The ``comment_supports`` share of ``--contributions`` (or ``--size comment_supports=N``; none by default)
    over the comments written during this run, with a heavy tail; supports on comments do not count toward a
    module's allowance."""
    total = ctx.contributions("comment_supports") or 0
    comments = sum(count for _first, count, _module in ctx.comment_runs)
    people = ctx.users.get("verified", []) + ctx.users.get("participant", []) or list(ctx.user_ids)
    if not total or not comments or not people:
        return 0
    ctx.progress.add_total(total)
    counts = heavy_tailed(ctx.rng, comments, total, cap=len(people))

    def targets() -> Iterator[tuple[int, int, int]]:
        position = 0
        for first, count, module_id in ctx.comment_runs:
            for k in range(count):
                if counts[position + k]:
                    yield first + k, module_id, counts[position + k]
            position += count

    since = ctx.now - datetime.timedelta(days=45)
    written = write_supports(
        ctx, model=Comment, targets=targets(), users=people, since=since, counts_toward_limit=False
    )
    recount(Comment, "supports_count", Support)
    return written
