"""The audience as the counter counted it: page views and visits of the site or of one space, day by day (or month
by month), and the pages, spaces, modules, referring domains and devices that had the most."""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, Sum
from django.utils.translation import gettext_lazy as _

from participe.audience.models import DailyCount, Dimension
from participe.audience.selectors.periods import Period
from participe.spaces.models import Module, Space

DEVICES = {"desktop": _("ordinateur"), "mobile": _("téléphone"), "tablet": _("tablette"), "other": _("autre")}
TOP = 20


@dataclass(frozen=True)
class Step:
    start: datetime.date
    views: int
    visits: int


@dataclass(frozen=True)
class Row:
    label: str
    views: int
    visits: int
    url: str = ""


@dataclass
class Audience:
    period: Period
    space: Space | None
    views: int = 0
    visits: int = 0
    steps: list[Step] = field(default_factory=list)
    pages: list[Row] = field(default_factory=list)
    spaces: list[Row] = field(default_factory=list)
    modules: list[Row] = field(default_factory=list)
    referrers: list[Row] = field(default_factory=list)
    devices: list[Row] = field(default_factory=list)

    @property
    def busiest(self) -> int:
        """The most views of a step (the charts' scale)."""
        return max((s.views for s in self.steps), default=0)


def _counts(period: Period, dimension: str, **filters: Any) -> Any:
    return DailyCount.objects.filter(dimension=dimension, day__gte=period.start, day__lte=period.end, **filters)


def _top(rows: Any, limit: int = TOP) -> list[dict[str, Any]]:
    return list(rows.values("key").annotate(v=Sum("views"), u=Sum("visits")).order_by("-v", "key")[:limit])


def _steps(period: Period, rows: Any) -> list[Step]:
    sums: dict[datetime.date, list[int]] = defaultdict(lambda: [0, 0])
    for day, views, visits in rows.values_list("day", "views", "visits"):
        step = sums[period.step_of(day)]
        step[0] += views
        step[1] += visits
    return [Step(start, *sums.get(start, (0, 0))) for start in period.steps()]


def _named(rows: list[dict[str, Any]], names: dict[str, tuple[str, str]]) -> list[Row]:
    gone = str(_("(supprimé)"))
    return [Row(names.get(r["key"], (gone, ""))[0], r["v"], r["u"], names.get(r["key"], ("", ""))[1]) for r in rows]


def audience(period: Period, space: Space | None = None) -> Audience:
    """The audience of the site (or of ``space``'s pages) over ``period``: a dozen grouped queries, whatever the
    traffic (at most one row per day and thing measured)."""
    result = Audience(period, space)
    if space is None:
        total = _counts(period, Dimension.SITE)
        pages = _counts(period, Dimension.PAGE)
        modules = _counts(period, Dimension.MODULE)
    else:
        total = _counts(period, Dimension.SPACE, key=str(space.pk))
        pages = _counts(period, Dimension.PAGE, space=space)
        modules = _counts(period, Dimension.MODULE, space=space)
    sums = total.aggregate(v=Sum("views"), u=Sum("visits"))
    result.views, result.visits = sums["v"] or 0, sums["u"] or 0
    result.steps = _steps(period, total)
    result.pages = [Row(r["key"], r["v"], r["u"], r["key"]) for r in _top(pages)]
    top_modules = _top(modules)
    found = Module.objects.filter(pk__in=[int(r["key"]) for r in top_modules]).select_related("space")
    result.modules = _named(top_modules, {str(m.pk): (f"{m.title} ({m.space.title})", "") for m in found})
    if space is None:
        top_spaces = _top(_counts(period, Dimension.SPACE))
        found_spaces = Space.objects.filter(pk__in=[int(r["key"]) for r in top_spaces])
        result.spaces = _named(top_spaces, {str(s.pk): (s.title, s.get_absolute_url()) for s in found_spaces})
        result.referrers = [Row(r["key"], r["v"], r["u"]) for r in _top(_counts(period, Dimension.REFERRER))]
        result.devices = [
            Row(str(DEVICES.get(r["key"], r["key"])), r["v"], r["u"]) for r in _top(_counts(period, Dimension.DEVICE))
        ]
    return result


def space_audience(space: Space) -> tuple[int, int]:
    """Page views and visits of ``space``'s pages since the counter kept them (the bilan's public part)."""
    sums = DailyCount.objects.filter(Q(dimension=Dimension.SPACE, key=str(space.pk))).aggregate(
        v=Sum("views"), u=Sum("visits")
    )
    return sums["v"] or 0, sums["u"] or 0
