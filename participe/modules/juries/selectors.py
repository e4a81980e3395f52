"""Reads of the juries: the sortition instance of a panel's pool, the composition against the quotas, the members'
space and the jury's sessions."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from participe.links.selectors import candidates
from participe.modules.juries.models import Draw, Feature, Panel, Room, Volunteer
from participe.modules.juries.sortition import Instance, Quota, instance_from_rows

SELECTED = (Volunteer.Status.INVITED, Volunteer.Status.ACCEPTED)


def features_of(panel: Panel) -> list[Feature]:
    return list(panel.features.prefetch_related("values"))


def quota_bounds(value: Any, size: int) -> tuple[int, int]:
    """A value's min and max: entered, or from its population share (rounded down and up)."""
    if value.share is not None:
        exact = float(value.share) * size / 100
        return math.floor(exact), math.ceil(exact)
    return value.minimum, value.maximum


def quotas_of(panel: Panel, size: int | None = None, kept: dict[tuple[str, str], int] | None = None) -> list[Quota]:
    """The panel's quotas; for replacements, less what the members ``kept`` already fill."""
    kept = kept or {}
    quotas = []
    for feature in features_of(panel):
        for value in feature.values.all():
            low, high = quota_bounds(value, panel.size)
            already = kept.get((feature.key, value.key), 0)
            quotas.append(Quota(feature.key, value.key, max(0, low - already), max(0, high - already)))
    return quotas


def pool_instance(panel: Panel, quotas: list[Quota], size: int) -> Instance:
    """The volunteers still in the pool (never drawn), by draw number."""
    people = panel.volunteers.filter(status=Volunteer.Status.POOL).values_list("reference", "profile")
    return instance_from_rows(quotas, list(people), size)


def members(panel: Panel) -> QuerySet[Volunteer]:
    return panel.volunteers.filter(status__in=SELECTED)


@dataclass
class Row:
    feature: str
    value: str
    minimum: int
    maximum: int
    pool: int
    panel: int

    @property
    def met(self) -> bool:
        return self.minimum <= self.panel <= self.maximum


def composition(panel: Panel) -> list[Row]:
    """For each value: its quota, how many volunteers and how many members (invited or accepted) have it."""
    volunteers = list(panel.volunteers.values_list("profile", "status"))
    rows = []
    for feature in features_of(panel):
        for value in feature.values.all():
            low, high = quota_bounds(value, panel.size)
            having = [s for p, s in volunteers if p.get(feature.key) == value.key]
            rows.append(
                Row(feature.label, value.label, low, high, len(having), sum(1 for s in having if s in SELECTED))
            )
    return rows


def pending_draw(panel: Panel) -> Draw | None:
    """The committed draw waiting for its seed, if any."""
    return panel.draws.filter(drawn_at__isnull=True).first()


def labels(panel: Panel) -> dict[str, str]:
    """Feature and value keys to their labels (for explanations)."""
    out: dict[str, str] = {}
    for feature in features_of(panel):
        out[feature.key] = feature.label
        for value in feature.values.all():
            out[f"{feature.key}={value.key}"] = value.label
    return out


def room_of(panel: Panel) -> Room | None:
    """The jury's members' space, if it is open."""
    return Room.objects.filter(panel=panel).select_related("module__space").first()


@dataclass
class Sessions:
    """The jury's sessions: the meetings of its private space (offered under the kind ``session`` by the meetings
    module, decision 0023), the next first, then the past ones, the latest first."""

    upcoming: list[Any]
    past: list[Any]
    modules: list[Any]  # the agendas they come from (where agents announce them)

    @property
    def next(self) -> Any:
        return next((m for m in self.upcoming if not m.is_cancelled), None)


def sessions(room: Room | None) -> Sessions:
    if room is None:
        return Sessions([], [], [])
    groups = candidates(room.module.space, "session")
    items = sorted((m for group in groups for m in group.items), key=lambda m: (m.start, m.pk))
    now = timezone.now()
    return Sessions(
        upcoming=[m for m in items if m.end > now],
        past=[m for m in reversed(items) if m.end <= now],
        modules=[group.module for group in groups],
    )
