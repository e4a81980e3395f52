"""Dates and times in French typography, one way everywhere (issue #18)."""

from __future__ import annotations

import datetime
import re
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import translation

from participe.core import dates

PARIS = ZoneInfo("Europe/Paris")
ROOT = Path(__file__).resolve().parents[3]


def plain(text: str) -> str:
    return text.replace("\xa0", " ")


@pytest.fixture(autouse=True)
def _french():
    with translation.override("fr"):
        yield


def test_the_first_of_the_month_is_an_ordinal():
    assert plain(dates.long_date(datetime.date(2026, 9, 1))) == "1er septembre 2026"
    assert plain(dates.day_month(datetime.date(2026, 9, 1))) == "1er septembre"
    assert plain(dates.long_date(datetime.date(2026, 11, 16))) == "16 novembre 2026"


@pytest.mark.parametrize(
    "month, expected",
    [(1, "janv."), (2, "févr."), (3, "mars"), (6, "juin"), (7, "juil."), (8, "août"), (11, "nov."), (12, "déc.")],
)
def test_short_dates_use_lowercase_abbreviations(month, expected):
    assert plain(dates.short_date(datetime.date(2026, month, 16))) == f"16 {expected} 2026"


def test_times_read_as_french_typography_writes_them():
    assert plain(dates.time_of_day(datetime.time(4, 43))) == "4 h 43"
    assert plain(dates.time_of_day(datetime.time(9, 5))) == "9 h 05"
    assert plain(dates.time_of_day(datetime.time(18, 0))) == "18 h"


def test_datetimes_are_shown_in_the_local_time_zone():
    moment = datetime.datetime(2026, 12, 31, 22, 59, tzinfo=datetime.UTC)  # 23 h 59 in Paris
    assert plain(dates.long_datetime(moment)) == "31 décembre 2026 à 23 h 59"
    assert plain(dates.short_datetime(moment)) == "31 déc. 2026 à 23 h 59"


def test_english_keeps_django_formats():
    with translation.override("en"):
        assert dates.long_date(datetime.date(2026, 9, 1)) == "1 September 2026"
        assert dates.time_of_day(datetime.time(16, 30)) == "16:30"


def test_the_template_filters_are_builtins_and_empty_values_stay_empty():
    moment = datetime.datetime(2026, 9, 1, 8, 5, tzinfo=PARIS)
    rendered = Template("{{ m|long_date }}|{{ m|short_datetime }}|{{ m|time_of_day }}|{{ none|long_date }}").render(
        Context({"m": moment, "none": None})
    )
    assert plain(rendered) == "1er septembre 2026|1er sept. 2026 à 8 h 05|8 h 05|"


def test_no_template_formats_a_date_by_hand():
    """Every template goes through the filters above: no "j M Y" (« Nov », « Aoû »), no "H:i" beside "à H\\hi"."""
    hand_made = re.compile(r"""\|(date|time):["'](?!c["']|d/m/Y["']|d/m/Y H:i:s["']|Y-m-d)""")
    offenders = [
        f"{path.relative_to(ROOT)}: {match.group(0)}"
        for path in [*(ROOT / "participe").rglob("*.html"), *(ROOT / "participe").rglob("*.txt")]
        for match in hand_made.finditer(path.read_text(encoding="utf-8"))
    ]
    assert not offenders, "\n".join(offenders)
