"""The tally engine against its oracles: the official outcomes of real elections (shared/data/pabulib, the `selected`
column; shared/data/README.md says which rule reproduces each) and pabutools, an independent implementation, on every
file with each rule. pabutools' slowest runs (the add1 loops, the biggest files) are marked ``slow`` and run only with
``PARTICIPE_SLOW=1``: ``PARTICIPE_SLOW=1 pytest participe/modules/budgets/tests/test_tally_oracle.py -m slow``."""

import os
from functools import cache

import pytest

from participe.modules.budgets.tally import pabulib
from participe.modules.budgets.tally.model import Election
from participe.modules.budgets.tally.rules import RULES, rule_of, tally
from participe.modules.budgets.tests.pabulib_files import DATA, needs_data

pytestmark = needs_data
slow = [
    pytest.mark.slow,
    pytest.mark.skipif(not os.environ.get("PARTICIPE_SLOW"), reason="pabutools takes minutes: PARTICIPE_SLOW=1"),
]

OFFICIAL = {
    "poland_warszawa_2019_anin.pb": "875 522 2314 2376 2260 2327 529 279 404 283 374",
    "poland_katowice_2021_zarzecze.pb": "L20/01/VIII L20/04/VIII L20/08/VIII L20/10/VIII L20/11/VIII L20/12/VIII "
    "L20/13/VIII",
    "poland_krakow_2022_zwierzyniec.pb": "1 5 16 11 13 4 15 26 21",
    "poland_warszawa_2023_ursynow.pb": "290 475 637 1033 1071 1261 1298 1376 1473 1617 1727 1736 1743 1766 1884 1888",
    "poland_krakow_2022_.pb": "13 65 1 11 82 60 2 46 19 9 61 134 25",
    "poland_lodz_2022_.pb": "L010 L081 L126 L014 L047 L025 L142 L032 L095 L133 L138 L041 L141 L058 L105 L175",
    "poland_wieliczka_2023.pb": "24 41 40 74 19 6 32 39 58 42 25 43 20 60 29 33 17 70 34 9 26 71 88 36 62 61 7 46 56 69",
    # No `selected` column: greedy by points as computed by pabutools 1.2.3 (shared/data/README.md).
    "france_toulouse_2019_.pb": "1 4 5 6 7 10 13 16 18 20 26 27 29 30",
}
SMALL = [
    "poland_warszawa_2019_anin.pb",
    "poland_katowice_2021_zarzecze.pb",
    "poland_krakow_2022_zwierzyniec.pb",
    "france_toulouse_2019_.pb",
    "poland_wieliczka_2023.pb",
]
BIG = ["poland_warszawa_2023_ursynow.pb", "poland_krakow_2022_.pb", "poland_lodz_2022_.pb"]
QUICK_ADD1 = ["poland_katowice_2021_zarzecze.pb"]


@cache
def election(name: str) -> Election:
    return pabulib.load(DATA / name)


def threshold_of(name: str) -> int:
    return int(election(name).meta.get("min_project_score_threshold", 100))


@pytest.mark.parametrize("name", sorted(OFFICIAL))
def test_the_files_rule_reproduces_the_official_outcome(name):
    outcome = tally(election(name), rule_of(election(name).meta), analyse=False)
    assert sorted(outcome.selected) == sorted(OFFICIAL[name].split())


def test_lodz_threshold_of_100_votes_does_not_change_its_outcome():
    outcome = tally(election("poland_lodz_2022_.pb"), "greedy-threshold", threshold=100, analyse=False)
    assert sorted(outcome.selected) == sorted(OFFICIAL["poland_lodz_2022_.pb"].split())


def cases() -> list[object]:
    found = []
    for name in SMALL + BIG:
        for rule in RULES:
            heavy = name in BIG or (rule.startswith("mes-add1") and name not in QUICK_ADD1)
            light_big = name == "poland_warszawa_2023_ursynow.pb" and rule == "greedy"
            marks = slow if heavy and not light_big else []
            found.append(pytest.param(name, rule, marks=marks, id=f"{name.removesuffix('.pb')}-{rule}"))
    return found


@pytest.mark.parametrize(("name", "rule"), cases())
def test_pabutools_selects_the_same_projects(name, rule):
    from participe.modules.budgets.tests.pabutools_oracle import Oracle

    threshold = threshold_of(name)
    ours = tally(election(name), rule, threshold=threshold, analyse=False)
    assert set(ours.selected) == Oracle(election(name)).outcome(rule, threshold)
    assert ours.total_cost <= election(name).budget


@pytest.mark.parametrize("rule", ["mes", "phragmen", "mes-add1"])
def test_a_public_seed_breaks_ties_the_same_way_in_pabutools(rule):
    from participe.modules.budgets.tests.pabutools_oracle import Oracle

    name = "poland_katowice_2021_zarzecze.pb"
    ours = tally(election(name), rule, tie_break_seed="graine", analyse=False)
    assert set(ours.selected) == Oracle(election(name), "graine").outcome(rule)
