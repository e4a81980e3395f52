"""Dates and times written one way everywhere: French typography in French (« 1er septembre 2026 », « 16 nov. 2026 »,
« 16 h 30 »), Django's formats in other languages. Templates use the filters of the same names (builtins)."""

from __future__ import annotations

import datetime

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import get_language
from django.utils.translation import gettext as _

NBSP = "\xa0"
# The Imprimerie nationale's abbreviations, lowercase with their full stop (« mars », « mai », « juin », « août »
# are not abbreviated).
MONTHS_FR = [
    "janvier", "février", "mars", "avril", "mai", "juin",
    "juillet", "août", "septembre", "octobre", "novembre", "décembre",
]  # fmt: skip
MONTHS_FR_ABBR = [
    "janv.", "févr.", "mars", "avr.", "mai", "juin", "juil.", "août", "sept.", "oct.", "nov.", "déc.",
]  # fmt: skip

Moment = datetime.date | datetime.datetime


def day_start(day: datetime.date | None = None) -> datetime.datetime:
    """Midnight of ``day`` (today by default) in the current time zone: where a day begins, for filters on a range
    of days and for records that keep the day only."""
    day = day or timezone.localdate()
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _french() -> bool:
    return (get_language() or "fr").split("-")[0] == "fr"


def _local(value: Moment) -> Moment:
    if isinstance(value, datetime.datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day(value: Moment) -> str:
    return "1er" if value.day == 1 else str(value.day)


def day_month(value: Moment) -> str:
    """« 1er septembre », « 16 novembre » (no year)."""
    value = _local(value)
    if not _french():
        return date_format(value, "j F")
    return f"{_day(value)}{NBSP}{MONTHS_FR[value.month - 1]}"


def long_date(value: Moment) -> str:
    """« 1er septembre 2026 »."""
    value = _local(value)
    if not _french():
        return date_format(value, "j F Y")
    return f"{day_month(value)}{NBSP}{value.year}"


def short_date(value: Moment) -> str:
    """« 16 nov. 2026 », « 1er mai 2026 » (lowercase abbreviations, never « Nov » or « Aoû »)."""
    value = _local(value)
    if not _french():
        return date_format(value, "j M Y")
    return f"{_day(value)}{NBSP}{MONTHS_FR_ABBR[value.month - 1]}{NBSP}{value.year}"


def time_of_day(value: datetime.datetime | datetime.time) -> str:
    """« 16 h 30 », « 9 h 05 », « 9 h » on the hour."""
    if isinstance(value, datetime.datetime):
        value = _local(value)  # type: ignore[assignment]
    if not _french():
        return f"{value.hour:02d}:{value.minute:02d}"
    if value.minute == 0:
        return f"{value.hour}{NBSP}h"
    return f"{value.hour}{NBSP}h{NBSP}{value.minute:02d}"


def long_datetime(value: datetime.datetime) -> str:
    """« 16 novembre 2026 à 16 h 30 »."""
    value = _local(value)  # type: ignore[assignment]
    if _french():  # every comment of a page shows one: the time zone and the language are read once (issue #12)
        minute = f"{NBSP}{value.minute:02d}" if value.minute else ""
        return _("%(date)s à %(time)s") % {
            "date": f"{_day(value)}{NBSP}{MONTHS_FR[value.month - 1]}{NBSP}{value.year}",
            "time": f"{value.hour}{NBSP}h{minute}",
        }
    return _("%(date)s à %(time)s") % {"date": long_date(value), "time": time_of_day(value)}


def short_datetime(value: datetime.datetime) -> str:
    """« 16 nov. 2026 à 16 h 30 » (tables, lists)."""
    value = _local(value)  # type: ignore[assignment]
    return _("%(date)s à %(time)s") % {"date": short_date(value), "time": time_of_day(value)}
