"""Who took part, read through the modules' manifests as the bilan reads them (``participe.restitution``): the
contributions of a period by module and by channel, step by step, the participants (accounts that contributed or
voted), and their representativeness — by territory against the population entered for each (the bilan's own
figures), by age bracket and by gender where their verifications say it."""

from __future__ import annotations

import datetime
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db.models import BooleanField, Case, Count, Value, When
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.audience.selectors.periods import Period
from participe.ballots.models import RollEntry
from participe.organisation.models import POPULATION_BRACKETS, POPULATION_GENDERS, Territory
from participe.restitution.selectors.figures import CHANNELS, Figures, TerritoryRow, channel_of, figures_of, verdict_of
from participe.restitution.selectors.sources import Source, comment_source, item_sources, published
from participe.spaces.models import Module, Space
from participe.verifications.models import Verification

# The brackets of the population figures entered per territory (``Territory.population_detail``), and under 16.
AGE_BRACKETS = [(0, 15, _("moins de 16 ans"))] + [(low, high, label) for _k, low, high, label in POPULATION_BRACKETS]
BRACKET_KEYS = {str(label): key for key, _low, _high, label in POPULATION_BRACKETS}
# The words a verification may give for gender (FranceConnect's ``gender`` claim: female, male).
GENDERS = {"female": _("femmes"), "f": _("femmes"), "male": _("hommes"), "m": _("hommes")}
GENDER_KEYS = {str(label): key for key, label in POPULATION_GENDERS}
UNKNOWN = _("non renseigné")


@dataclass(frozen=True)
class StepRow:
    start: datetime.date
    by_module: dict[int, int]
    by_channel: dict[str, int]

    @property
    def total(self) -> int:
        return sum(self.by_module.values())


@dataclass
class Participation:
    period: Period
    modules: list[Module]
    participants: int = 0
    contributions: int = 0
    steps: list[StepRow] = field(default_factory=list)
    per_module: dict[int, int] = field(default_factory=dict)
    per_channel: dict[str, int] = field(default_factory=dict)
    channels: dict[str, str] = field(default_factory=lambda: {k: str(v) for k, v in CHANNELS.items()})

    @property
    def active_modules(self) -> list[tuple[Module, int]]:
        return [(m, self.per_module[m.pk]) for m in self.modules if self.per_module.get(m.pk)]

    def conversion(self, visits: int) -> float | None:
        """Participants per hundred visits of the period (visitors → participants)."""
        return 100 * self.participants / visits if visits else None


@dataclass(frozen=True)
class Share:
    """Participants of one age bracket or gender: their number and share of all participants; where the population
    of the territories is entered for it, that population, its share, the participants' share among those whose
    bracket (gender) is known and compared, and the index of the two (1: as many as the population weighs)."""

    label: str
    count: int
    percent: float | None
    population: int | None = None
    population_percent: float | None = None
    compared_percent: float | None = None

    @property
    def index(self) -> float | None:
        if not self.population_percent or self.compared_percent is None:
            return None
        return self.compared_percent / self.population_percent

    @property
    def verdict(self) -> str:
        return verdict_of(self.index)


@dataclass
class Representativeness:
    figures: Figures  # the bilan's (``restitution/partials/_territories.html`` reads ``figures.territories``)
    ages: list[Share]
    genders: list[Share]

    @property
    def participants(self) -> int:
        return self.figures.participants

    @property
    def territories(self) -> list[TerritoryRow]:
        return self.figures.territories

    @property
    def has_population(self) -> bool:
        return any(row.population for row in self.territories)

    @property
    def has_age_population(self) -> bool:
        return any(share.population for share in self.ages)

    @property
    def has_gender_population(self) -> bool:
        return any(share.population for share in self.genders)


def participation_modules(space: Space | None) -> list[Module]:
    """The published modules of ``space`` (of every space when None)."""
    modules = Module.objects.filter(is_published=True).select_related("space").order_by("space__title", "position")
    return list(modules.filter(space=space) if space is not None else modules)


def _grouping(source: Source, rows: Any) -> tuple[Any, list[str]]:
    grouping = [name for name in ("channel", "origin") if source.has(name)][:1]
    if source.has("entered_by"):
        rows = rows.annotate(
            by_agent=Case(
                When(entered_by__isnull=False, then=Value(True)), default=Value(False), output_field=BooleanField()
            )
        )
        grouping.append("by_agent")
    return rows, grouping


def participation(period: Period, modules: Sequence[Module]) -> Participation:
    """The contributions given in ``modules`` during ``period`` by module and channel, step by step, and the
    participants who gave them (accounts, and paper votes without one)."""
    result = Participation(period, list(modules))
    since = timezone.make_aware(datetime.datetime.combine(period.start, datetime.time.min))
    cells: dict[datetime.date, tuple[Counter[int], Counter[str]]] = defaultdict(lambda: (Counter(), Counter()))
    authors: set[Any] = set()
    for source in [*item_sources(), comment_source()]:
        if not source.has("created_at"):
            continue
        rows = published(source, modules).filter(created_at__gte=since)
        rows, grouping = _grouping(source, rows)
        counted = rows.annotate(on=TruncDate("created_at")).order_by().values("on", "module_id", *grouping)
        for row in counted.annotate(n=Count("pk")):
            by_module, by_channel = cells[period.step_of(row["on"])]
            by_module[row["module_id"]] += row["n"]
            by_channel[channel_of(row)] += row["n"]
        authors.update(rows.order_by().values_list(source.author, flat=True).distinct())
    roll = RollEntry.objects.filter(election__module__in=modules, at__gte=since)
    votes = roll.annotate(on=TruncDate("at")).order_by().values("on", "election__module_id", "channel")
    for row in votes.annotate(n=Count("pk")):
        by_module, by_channel = cells[period.step_of(row["on"])]
        by_module[row["election__module_id"]] += row["n"]
        by_channel["paper" if row["channel"] == "paper" else "online"] += row["n"]
    authors.update(roll.filter(voter__isnull=False).values_list("voter", flat=True).distinct())
    authors.discard(None)
    result.participants = len(authors) + roll.filter(voter__isnull=True).count()
    for start_day in period.steps():
        by_module, by_channel = cells.get(start_day, (Counter(), Counter()))
        result.steps.append(StepRow(start_day, dict(by_module), dict(by_channel)))
        for key, n in by_module.items():
            result.per_module[key] = result.per_module.get(key, 0) + n
        for key, n in by_channel.items():
            result.per_channel[key] = result.per_channel.get(key, 0) + n
    result.contributions = sum(result.per_module.values())
    return result


def _participant_ids(modules: Sequence[Module]) -> set[Any]:
    ids: set[Any] = set()
    for source in [*item_sources(), comment_source()]:
        ids.update(published(source, modules).order_by().values_list(source.author, flat=True).distinct())
    ids.update(RollEntry.objects.filter(election__module__in=modules).values_list("voter", flat=True).distinct())
    ids.discard(None)
    return ids


def _shares(
    counts: Counter[str], order: list[str], total: int, population: dict[str, int] | None = None
) -> list[Share]:
    """The shares of ``order``; where ``population`` (label → inhabitants) is known, compared with it: the
    participants' share counted among the labels that have a population only."""
    population = {label: n for label, n in (population or {}).items() if n}
    compared = sum(counts[label] for label in population)
    people = sum(population.values())
    shares = []
    for label in order:
        inhabitants = population.get(label)
        shares.append(
            Share(
                label,
                counts[label],
                100 * counts[label] / total if total else None,
                population=inhabitants,
                population_percent=100 * inhabitants / people if inhabitants else None,
                compared_percent=100 * counts[label] / compared if inhabitants and compared else None,
            )
        )
    return shares


def population_by(rows: Sequence[TerritoryRow]) -> tuple[dict[str, int], dict[str, int]]:
    """The inhabitants by age bracket and by gender of the territories the figures compare (their
    ``population_detail`` summed; keys of POPULATION_BRACKETS and POPULATION_GENDERS)."""
    ids = [row.territory.pk for row in rows if row.territory is not None]
    ages: Counter[str] = Counter()
    genders: Counter[str] = Counter()
    for detail in Territory.objects.filter(pk__in=ids).values_list("population_detail", flat=True):
        for key, n in ((detail or {}).get("ages") or {}).items():
            ages[key] += int(n or 0)
        for key, n in ((detail or {}).get("genders") or {}).items():
            genders[key] += int(n or 0)
    return dict(ages), dict(genders)


def _bracket(age: int | None) -> str:
    if age is None:
        return str(UNKNOWN)
    return next(str(label) for low, high, label in AGE_BRACKETS if low <= age <= high)


def representativeness(modules: Sequence[Module], today: datetime.date | None = None) -> Representativeness:
    """Who took part in ``modules`` since they opened: by territory against the population (the bilan's figures:
    ``restitution.selectors.figures.figures_of``), by age bracket and by gender where an active verification of the
    participant gives them (« non renseigné » otherwise)."""
    figures = figures_of(modules)
    ids = _participant_ids(modules)
    ages: Counter[str] = Counter()
    genders: Counter[str] = Counter()
    known: dict[Any, tuple[int | None, str]] = {}
    # Every active verification, read once (one or two per verified account), kept for the participants only: no
    # list of ids in the query, however many took part.
    for verification in (
        Verification.objects.active().only("user_id", "birth_date", "attributes").order_by("user_id", "-created_at")
    ):
        if verification.user_id not in ids:
            continue
        age, gender = known.get(verification.user_id, (None, ""))
        age = age if age is not None else verification.age(today)
        gender = gender or str((verification.attributes or {}).get("gender", "")).lower()
        known[verification.user_id] = (age, gender)
    for user_id in ids:
        age, gender = known.get(user_id, (None, ""))
        ages[_bracket(age)] += 1
        genders[str(GENDERS.get(gender, UNKNOWN))] += 1
    age_order = [str(label) for _low, _high, label in AGE_BRACKETS] + [str(UNKNOWN)]
    gender_order = [str(_("femmes")), str(_("hommes")), str(UNKNOWN)]
    age_population, gender_population = population_by(figures.territories)
    return Representativeness(
        figures=figures,
        ages=_shares(
            ages, age_order, len(ids), {label: age_population.get(key, 0) for label, key in BRACKET_KEYS.items()}
        ),
        genders=_shares(
            genders,
            gender_order,
            len(ids),
            {label: gender_population.get(key, 0) for label, key in GENDER_KEYS.items()},
        ),
    )
