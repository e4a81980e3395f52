"""Volume seeding of the meetings module (``manage.py seed_volume``): meetings in every meetings module, spread over
three years around today, some with registration; what ``bench/meetings.py`` measures the agenda and feeds on."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

from django.utils import timezone

from participe.harness.volume import VolumeContext
from participe.modules.meetings.models import Meeting

TITLES = [
    "Réunion publique du quartier",
    "Atelier participatif",
    "Balade urbaine",
    "Permanence des élus",
    "Conseil de quartier",
    "Atelier de concertation",
]
KINDS = [k for k, _label in Meeting.Kind.choices]


def seed_volume(ctx: VolumeContext) -> int:
    """``--size meetings=N`` meetings per meetings module (40 by default), over three years around today."""
    modules = ctx.module_ids("meetings")
    rng = ctx.rng
    per_module = max(ctx.size("meetings", 40), 1)
    ctx.progress.add_total(len(modules) * per_module)
    now = timezone.now()
    territories = list(ctx.ids("organisation.Territory"))

    def rows() -> Iterator[dict[str, Any]]:
        for module_id in modules:
            for _index in range(per_module):
                start = now + datetime.timedelta(days=rng.randint(-540, 540), hours=rng.randint(0, 23))
                yield {
                    "module_id": module_id,
                    "title": rng.choice(TITLES),
                    "kind": rng.choice(KINDS),
                    "start": start,
                    "end": start + datetime.timedelta(hours=2),
                    "status": Meeting.Status.CANCELLED if rng.random() < 0.03 else Meeting.Status.PUBLISHED,
                    "address": "Place de l'Hôtel de Ville",
                    "territory_id": rng.choice(territories) if territories else None,
                    "registration_enabled": rng.random() < 0.3,
                }

    return len(ctx.bulk(Meeting, rows(), "meetings"))
