"""The figures of a bilan, counted in the database (a few grouped queries per kind of contribution, whatever the
number of contributions): participants, contributions by kind, by territory against the population entered for
each territory (representativeness), and by channel (online, paper, meeting, entered by an agent)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, QuerySet, Value, When
from django.utils.translation import gettext_lazy as _

from participe.ballots.models import RollEntry
from participe.core.registry import Statistic, statistics_of
from participe.organisation.models import Territory
from participe.restitution.selectors.sources import Source, comment_source, item_sources, published
from participe.spaces.models import Module

CHANNELS = {
    "online": _("en ligne"),
    "paper": _("sur papier"),
    "meeting": _("en réunion"),
    "agent": _("saisie par un agent"),
}
# Shown only when some contribution came this way (a module recording the calls it takes).
RARE_CHANNELS = {"phone": _("par téléphone")}
CHANNEL_FIELDS = ("channel", "origin", "source")
# An index of representativeness (share of participants / share of population) outside these bounds is shown as
# under- or over-represented: the thresholds of a 20 % gap either way, said on the page.
UNDER, OVER = 0.8, 1.25


def verdict_of(index: float | None) -> str:
    """A representativeness index read against the thresholds: ``under``, ``fair``, ``over`` (or "" without one)."""
    if index is None:
        return ""
    if index < UNDER:
        return "under"
    return "over" if index > OVER else "fair"


@dataclass(frozen=True)
class Kind:
    label: str
    count: int


@dataclass(frozen=True)
class TerritoryRow:
    """One territory whose population is known (``territory`` None: elsewhere, or the place is not known)."""

    territory: Territory | None
    population: int | None
    participants: int
    contributions: int
    population_share: float | None  # percent of the population of the territories shown
    participants_share: float | None  # percent of the participants placed in them

    @property
    def index(self) -> float | None:
        """Share of participants over share of population: 1 when the territory takes part as much as it weighs."""
        if not self.population_share or self.participants_share is None:
            return None
        return self.participants_share / self.population_share

    @property
    def verdict(self) -> str:
        return verdict_of(self.index)


@dataclass(frozen=True)
class ChannelRow:
    key: str
    label: str
    contributions: int
    votes: int


@dataclass
class Figures:
    participants: int = 0
    contributions: int = 0
    kinds: list[Kind] = field(default_factory=list)
    territories: list[TerritoryRow] = field(default_factory=list)
    channels: list[ChannelRow] = field(default_factory=list)
    # Modules whose people are counted by the module alone (anonymous answers): (module, participants, contributions).
    counted_apart: list[tuple[Module, int, int]] = field(default_factory=list)

    @property
    def has_population(self) -> bool:
        return any(row.population for row in self.territories)


@dataclass
class _Tally:
    authors: dict[Any, Any] = field(default_factory=dict)  # account → its territory
    anonymous: int = 0  # participants without an account (a paper vote at a polling station)
    by_territory: Counter[Any] = field(default_factory=Counter)  # territory → contributions
    by_channel: Counter[str] = field(default_factory=Counter)
    votes: Counter[str] = field(default_factory=Counter)
    kinds: Counter[str] = field(default_factory=Counter)


def channel_of(row: dict[str, Any]) -> str:
    """The channel of a group of rows: what its ``channel``, ``origin`` or ``source`` says (a signalement's
    ``web``, ``api`` and ``open311`` are online), or entered by an agent."""
    raw = next((row[name] for name in CHANNEL_FIELDS if row.get(name)), "")
    if raw in ("paper", "meeting", "phone"):
        return str(raw)
    if raw in ("counter", "agent") or row.get("by_agent"):
        return "agent"
    return "online"


def _count_source(source: Source, rows: QuerySet[Any], tally: _Tally) -> None:
    total = rows.count()
    if not total:
        return
    tally.kinds[source.label] += total
    tally.authors.update(rows.order_by().values_list(source.author, f"{source.author}__territory").distinct())
    tally.authors.pop(None, None)
    place = "territory" if source.has("territory") else f"{source.author}__territory"
    for row in rows.order_by().values(place).annotate(n=Count("pk")):
        tally.by_territory[row[place]] += row["n"]
    grouping = [name for name in CHANNEL_FIELDS if source.has(name)][:1]
    if source.has("entered_by"):
        rows = rows.annotate(
            by_agent=Case(
                When(entered_by__isnull=False, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        grouping.append("by_agent")
    if not grouping:
        tally.by_channel["online"] += total
        return
    for row in rows.order_by().values(*grouping).annotate(n=Count("pk")):
        tally.by_channel[channel_of(row)] += row["n"]


def _count_votes(modules: Sequence[Module], tally: _Tally) -> None:
    roll = RollEntry.objects.filter(election__module__in=modules)
    for row in roll.order_by().values("channel").annotate(n=Count("pk")):
        tally.votes["paper" if row["channel"] == "paper" else "online"] += row["n"]
    tally.authors.update(
        roll.filter(voter__isnull=False).order_by().values_list("voter", "voter__territory").distinct()
    )
    tally.anonymous += roll.filter(voter__isnull=True).count()


def _units(territories: Iterable[Territory]) -> tuple[list[Territory], dict[int, Territory]]:
    """The finest territories whose population is known (a quartier rather than its commune, when both are), and
    every territory → the unit it lies in."""
    every = {t.pk: t for t in territories}
    populated = {pk for pk, t in every.items() if t.population}
    if not populated:  # no population entered: the finest territories, to show where people come from at least
        populated = set(every) - {t.parent_id for t in every.values()}
    parents_of_populated = set()
    for pk in populated:
        parent = every[pk].parent_id
        while parent is not None:
            parents_of_populated.add(parent)
            parent = every[parent].parent_id if parent in every else None
    units = [every[pk] for pk in populated - parents_of_populated]
    unit_ids = {t.pk for t in units}
    unit_of: dict[int, Territory] = {}
    for pk in every:
        node: int | None = pk
        while node is not None and node not in unit_ids:
            node = every[node].parent_id if node in every else None
        if node is not None:
            unit_of[pk] = every[node]
    return sorted(units, key=lambda t: t.name), unit_of


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _territory_rows(tally: _Tally) -> list[TerritoryRow]:
    units, unit_of = _units(Territory.objects.only("pk", "name", "parent_id", "population"))
    people: Counter[Any] = Counter()
    for territory_id in tally.authors.values():
        people[unit_of[territory_id].pk if territory_id in unit_of else None] += 1
    people[None] += tally.anonymous
    contributions: Counter[Any] = Counter()
    for territory_id, n in tally.by_territory.items():
        contributions[unit_of[territory_id].pk if territory_id in unit_of else None] += n
    population = sum(t.population or 0 for t in units)
    placed = sum(n for key, n in people.items() if key is not None)
    rows = [
        TerritoryRow(
            t,
            t.population,
            people[t.pk],
            contributions[t.pk],
            _percent(t.population or 0, population),
            _percent(people[t.pk], placed),
        )
        for t in units
    ]
    if people[None] or contributions[None]:
        rows.append(TerritoryRow(None, None, people[None], contributions[None], None, None))
    return rows


def figures_of(modules: Sequence[Module], statistics: Mapping[int, list[Statistic]] | None = None) -> Figures:
    """The figures of the contributions and votes given in ``modules`` (those of a space its reader may see);
    ``statistics``: the modules' own figures by module id, when the caller has them already (else read here)."""
    tally = _Tally()
    counted: set[int] = set()
    for source in [*item_sources(), comment_source()]:
        rows = published(source, modules)
        _count_source(source, rows, tally)
        counted.update(rows.order_by().values_list("module_id", flat=True).distinct())
    _count_votes(modules, tally)
    result = Figures(
        participants=len(tally.authors) + tally.anonymous,
        territories=_territory_rows(tally),
        channels=[
            ChannelRow(key, str(label), tally.by_channel[key], tally.votes[key])
            for key, label in {**CHANNELS, **RARE_CHANNELS}.items()
            if key in CHANNELS or tally.by_channel[key] or tally.votes[key]
        ],
    )
    kinds = [Kind(label, n) for label, n in tally.kinds.most_common()]
    if tally.votes:
        kinds.append(Kind(str(_("votes")), sum(tally.votes.values())))
    voted = set(RollEntry.objects.filter(election__module__in=modules).values_list("election__module_id", flat=True))
    for module in modules:
        if module.pk in counted or module.pk in voted:
            continue
        own = statistics[module.pk] if statistics is not None else statistics_of(module)
        stats = {s.key: s.value for s in own}
        if stats.get("participants") or stats.get("contributions"):
            result.counted_apart.append((module, stats.get("participants", 0), stats.get("contributions", 0)))
            kinds.append(Kind(str(module.title), stats.get("contributions", 0)))
    result.kinds = kinds
    result.contributions = sum(k.count for k in kinds)
    return result
