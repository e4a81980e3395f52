"""Volume seeding of follows (``manage.py seed_volume``): people follow the followable items the modules' hooks
wrote (``registry.resources()`` with ``followable``), and the items' ``followers_count`` is recounted."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.apps import apps

from participe.core.registry import registry
from participe.harness.volume import VolumeContext, heavy_tailed, recount
from participe.notifications.models import Follow


def seed_volume(ctx: VolumeContext) -> int:
    """``--size follows_per_item=N`` followers per followable item on average (2 by default), with a heavy tail;
    each item's followers are distinct accounts."""
    from django.contrib.contenttypes.models import ContentType

    per_item = ctx.size("follows_per_item", 2)
    people = ctx.users.get("verified", []) + ctx.users.get("participant", []) or list(ctx.user_ids)
    if not per_item or not people:
        return 0
    written = 0
    for resource in registry.resources():
        if not resource.followable:
            continue
        model: Any = apps.get_model(resource.model)
        items = [pk for ids in ctx.created.get(resource.model, []) for pk in ids]
        if not items:
            continue
        ctx.progress.add_total(len(items) * per_item)
        counts = heavy_tailed(ctx.rng, len(items), len(items) * per_item, cap=len(people))
        content_type_id = ContentType.objects.get_for_model(model).pk
        written += len(ctx.bulk(Follow, _rows(ctx, items, counts, content_type_id, people), "follows"))
        recount(model, "followers_count", Follow)
    return written


def _rows(
    ctx: VolumeContext, items: list[int], counts: list[int], content_type_id: int, people: list[int]
) -> Iterator[dict[str, Any]]:
    rng, n = ctx.rng, len(people)
    since = ctx.now - datetime.timedelta(days=45)
    for object_id, count in zip(items, counts, strict=True):
        first, step = rng.randrange(n), ctx.stride(n)
        for k in range(count):
            yield {
                "user_id": people[(first + k * step) % n],
                "content_type_id": content_type_id,
                "object_id": object_id,
                "created_at": since + datetime.timedelta(seconds=rng.random() * 3_888_000),
            }
