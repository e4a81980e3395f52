"""The periods the statistics page offers, and the steps of its charts (days, then months beyond 92 days)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Key in the address (?periode=) → (days, label). 25 months: everything the counter keeps.
PERIODS = {
    "30": (30, _("30 derniers jours")),
    "90": (90, _("90 derniers jours")),
    "365": (365, _("12 derniers mois")),
    "760": (760, _("25 derniers mois")),
}
DEFAULT_PERIOD = "30"


@dataclass(frozen=True)
class Period:
    key: str
    label: str
    start: datetime.date  # first day included
    end: datetime.date  # last day included (today)

    @property
    def by_month(self) -> bool:
        return (self.end - self.start).days > 92

    def steps(self) -> list[datetime.date]:
        """The first day of each step of the charts: each day, or each month (its first day) of the period."""
        if not self.by_month:
            return [self.start + datetime.timedelta(days=n) for n in range((self.end - self.start).days + 1)]
        steps, current = [], self.start.replace(day=1)
        while current <= self.end:
            steps.append(current)
            current = (current + datetime.timedelta(days=32)).replace(day=1)
        return steps

    def step_of(self, day: datetime.date) -> datetime.date:
        return day.replace(day=1) if self.by_month else day


def period_of(key: str | None, today: datetime.date | None = None) -> Period:
    """The period named ``key`` (the default one when it names none), ending today."""
    if key not in PERIODS:
        key = DEFAULT_PERIOD
    days, label = PERIODS[key]
    end = today or timezone.localdate()
    return Period(key, str(label), end - datetime.timedelta(days=days - 1), end)
