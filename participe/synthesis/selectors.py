"""Reads of the syntheses: the back-office's lists and review, the public page, and ``published_syntheses(space)``
for the bilan of a démarche. Figures are computed by the database in a few grouped queries (no N+1)."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Q, QuerySet

from participe.core.pagination import KeysetPage, keyset_paginate
from participe.permissions.second_factor import roles_count
from participe.spaces.models import Space, SpaceMembership
from participe.spaces.predicates import is_org_admin
from participe.spaces.selectors import spaces_administered_by
from participe.synthesis.models import Entry, ImportBatch, Stance, Synthesis, Theme
from participe.synthesis.services import MARKER

ENTRY_ORDER = ("-score", "pk")


@dataclass
class Share:
    name: str
    count: int
    percent: int


@dataclass
class ThemeSummary:
    """A theme as readers see it: its label, its size and share, how it splits by territory and by stance, and its
    quotes (each an ``Entry`` with ``text``, ``url`` of its source contribution and ``kind``)."""

    theme: Theme
    size: int
    percent: int
    territories: list[Share] = field(default_factory=list)
    stances: list[Share] = field(default_factory=list)
    quotes: list[Entry] = field(default_factory=list)

    @property
    def label(self) -> str:
        return self.theme.label


@dataclass
class PublishedSynthesis:
    """What the bilan shows of a published synthesis (``published_syntheses``)."""

    synthesis: Synthesis
    contributions: int
    themes: list[ThemeSummary]

    @property
    def url(self) -> str:
        return self.synthesis.get_absolute_url()


def managed_by(user: Any) -> QuerySet[Synthesis]:
    """The syntheses ``user`` runs and reviews (the back-office's list)."""
    qs = Synthesis.objects.select_related("space").order_by("-created_at", "-pk")
    if is_org_admin(user):
        return qs
    if not roles_count(user):
        return qs.none()
    admin_of = SpaceMembership.objects.filter(user=user, role=SpaceMembership.Role.ADMIN).values("space_id")
    return qs.filter(space_id__in=admin_of)


def managed_spaces(user: Any) -> QuerySet[Space]:
    return spaces_administered_by(user).order_by("title")


def _percent(part: int, whole: int) -> int:
    return round(100 * part / whole) if whole else 0


def summaries(synthesis: Synthesis, *, quotes: int | None = None) -> list[ThemeSummary]:
    """Every theme of ``synthesis`` with its figures and quotes (its chosen quotes, at most ``quotes`` each)."""
    kept = Entry.objects.filter(synthesis=synthesis, discarded=False, theme__isnull=False)
    sizes = dict(kept.values_list("theme").annotate(n=Count("pk")).values_list("theme", "n"))
    total = sum(sizes.values())
    territories: dict[int, list[Share]] = defaultdict(list)
    for theme_id, name, n in (
        kept.exclude(territory_name="").values_list("theme", "territory_name").annotate(n=Count("pk")).order_by("-n")
    ):
        territories[theme_id].append(Share(name, n, _percent(n, sizes.get(theme_id, 0))))
    stances: dict[int, dict[str, int]] = defaultdict(dict)
    for theme_id, stance, n in kept.exclude(stance="").values_list("theme", "stance").annotate(n=Count("pk")):
        stances[theme_id][stance] = n
    chosen: dict[int, list[Entry]] = defaultdict(list)
    for entry in kept.filter(is_quote=True).order_by("-score", "pk"):
        if quotes is None or len(chosen[entry.theme_id or 0]) < quotes:
            chosen[entry.theme_id or 0].append(entry)
    result = []
    for theme in Theme.objects.filter(synthesis=synthesis):
        size = sizes.get(theme.pk, 0)
        result.append(
            ThemeSummary(
                theme=theme,
                size=size,
                percent=_percent(size, total),
                territories=territories.get(theme.pk, []),
                stances=_stances(stances.get(theme.pk, {})),
                quotes=chosen.get(theme.pk, []),
            )
        )
    result.sort(key=lambda s: (-s.size, s.theme.position, s.theme.pk))
    return result


def _stances(counts: dict[str, int]) -> list[Share]:
    """Shares among the contributions that took a stance (a debate's), in the order favorable, neutre,
    défavorable; none when no contribution of the theme took one."""
    total = sum(counts.values())
    return (
        [
            Share(str(label), counts.get(value, 0), _percent(counts.get(value, 0), total))
            for value, label in Stance.choices
        ]
        if total
        else []
    )


def published_syntheses(space: Space) -> list[PublishedSynthesis]:
    """The published syntheses of ``space``, newest first, each with its themes (size, share, territories,
    stances, quotes linking to their contributions): what the bilan of the démarche shows. The caller checks that
    its reader may see the space."""
    return [
        PublishedSynthesis(synthesis, synthesis.contributions_count, summaries(synthesis, quotes=3))
        for synthesis in published_of(space)
    ]


def published_of(space: Space) -> QuerySet[Synthesis]:
    return Synthesis.objects.filter(space=space, status=Synthesis.Status.PUBLISHED).order_by("-published_at", "-pk")


@dataclass
class Block:
    kind: str  # "text", "theme" or "quote"
    text: str = ""
    theme: ThemeSummary | None = None
    quote: Entry | None = None


def blocks(synthesis: Synthesis, themes: list[ThemeSummary]) -> list[Block]:
    """The synthesis' text as blocks: its paragraphs, and the themes and quotes its markers insert."""
    by_theme = {s.theme.pk: s for s in themes}
    wanted = [int(n) for kind, n in MARKER.findall(synthesis.text) if kind == "citation"]
    quotes = {e.pk: e for e in Entry.objects.filter(synthesis=synthesis, pk__in=wanted, discarded=False)}
    result: list[Block] = []
    for paragraph in (p.strip() for p in synthesis.text.replace("\r\n", "\n").split("\n\n")):
        position = 0
        for match in MARKER.finditer(paragraph):
            before = paragraph[position : match.start()].strip()
            if before:
                result.append(Block("text", text=before))
            kind, number = match.group(1), int(match.group(2))
            if kind == "theme" and number in by_theme:
                result.append(Block("theme", theme=by_theme[number]))
            elif kind == "citation" and number in quotes:
                result.append(Block("quote", quote=quotes[number]))
            position = match.end()
        rest = paragraph[position:].strip()
        if rest:
            result.append(Block("text", text=rest))
    return result


def theme_entries(theme: Theme, *, cursor: str | None, size: int = 50) -> KeysetPage[Entry]:
    return keyset_paginate(
        Entry.objects.filter(theme=theme, discarded=False), ordering=ENTRY_ORDER, cursor=cursor, size=size
    )


def unthemed(synthesis: Synthesis, *, cursor: str | None, size: int = 50) -> KeysetPage[Entry]:
    return keyset_paginate(
        Entry.objects.filter(synthesis=synthesis).filter(Q(theme__isnull=True) | Q(discarded=True)),
        ordering=ENTRY_ORDER,
        cursor=cursor,
        size=size,
    )


def review(synthesis: Synthesis, *, per_theme: int = 8) -> list[tuple[ThemeSummary, list[Entry]]]:
    """Each theme with its figures and its most typical contributions (the review page; the rest on the theme's
    own page)."""
    themes = summaries(synthesis)
    result = []
    for summary in themes:
        entries = list(Entry.objects.filter(theme=summary.theme, discarded=False).order_by(*ENTRY_ORDER)[:per_theme])
        result.append((summary, entries))
    return result


def counts(synthesis: Synthesis) -> dict[str, int]:
    return Entry.objects.filter(synthesis=synthesis).aggregate(
        total=Count("pk"),
        set_aside=Count("pk", filter=Q(discarded=True)),
        unthemed=Count("pk", filter=Q(discarded=False, theme__isnull=True)),
    )


def batches(space: Space) -> QuerySet[ImportBatch]:
    return ImportBatch.objects.filter(space=space).order_by("-created_at", "-pk")
