"""The sortition engine: quotas met, leximin against the maximin of sortition-algorithms, infeasibility explained,
the draw reproducible from the seed alone."""

from __future__ import annotations

import csv
import importlib
import random
from pathlib import Path

import numpy as np
import pytest

from participe.modules.juries.sortition import (
    Infeasible,
    Lottery,
    Quota,
    SeedError,
    check_feasible,
    instance_from_rows,
    instance_from_texts,
    leximin,
    normalize_seed,
)
from participe.modules.juries.sortition.csvio import CsvErrors, read_categories, read_respondents
from participe.modules.juries.tests import oracle

DATA = Path(__file__).resolve().parents[4].parent / "shared" / "data" / "sortition"
needs_data = pytest.mark.skipif(not DATA.is_dir(), reason="the shared sortition data is not beside the repository")


def synthetic(n: int, size: int, seed: int = 1) -> object:
    """A pool of ``n`` with two features, skewed so that probabilities differ, and quotas around the population."""
    rng = random.Random(seed)
    people = [
        (f"p{i:03d}", {"genre": rng.choices("FM", [0.7, 0.3])[0], "age": rng.choices("JAV", [0.15, 0.5, 0.35])[0]})
        for i in range(n)
    ]
    quotas = [
        Quota("genre", "F", size // 2 - 1, size // 2 + 1),
        Quota("genre", "M", size // 2 - 1, size // 2 + 1),
        Quota("age", "J", size // 3, size // 3 + 1),
        Quota("age", "A", size // 3 - 1, size // 3 + 1),
        Quota("age", "V", size // 3 - 1, size // 3 + 1),
    ]
    return instance_from_rows(quotas, people, size)


def meets_quotas(instance, ids: list[str]) -> bool:  # type: ignore[no-untyped-def]
    profiles = {p.id: p.profile for p in instance.people}
    for q in instance.quotas:
        position = instance.features.index(q.feature)
        count = sum(1 for pid in ids if profiles[pid][position] == q.value)
        if not q.min <= count <= q.max:
            return False
    return len(ids) == instance.size


def test_every_panel_of_the_distribution_meets_the_quotas_and_probabilities_add_up_to_the_size():
    instance = synthetic(90, 12)
    distribution = leximin(instance)
    assert abs(sum(distribution.weights) - 1) < 1e-9
    lottery = Lottery.from_distribution(instance, distribution)
    assert sum(lottery.tickets) == 1_000_000
    assert abs(sum(lottery.probabilities(instance).values()) - 12) < 1e-3
    for seed in ("1", "2 3", "4 5 / 6", "99 / 1 2"):
        assert meets_quotas(instance, lottery.draw(instance, seed))


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_lowest_probability_is_the_maximin_of_sortition_algorithms(seed):
    instance = synthetic(80, 10, seed)
    ours = min(Lottery.from_distribution(instance, leximin(instance)).probabilities(instance).values())
    assert ours == pytest.approx(oracle.maximin_probability(instance), abs=2e-4)


def test_leximin_raises_the_others_above_the_minimum():
    instance = synthetic(80, 10, 2)
    probabilities = leximin(instance).type_probabilities
    # Unequal: the rarest profiles cap the minimum, and leximin then gives more to those it can.
    assert max(probabilities) > min(probabilities) + 0.01


@pytest.mark.parametrize("seed", [1, 4])
def test_feasibility_agrees_with_sortition_algorithms(seed):
    instance = synthetic(40, 10, seed)
    tight = instance_from_rows(
        [Quota("genre", "F", 0, 2), Quota("genre", "M", 8, 10), *instance.quotas[2:]],
        [(p.id, dict(zip(instance.features, p.profile, strict=True))) for p in instance.people],
        10,
    )
    for candidate in (instance, tight):
        try:
            check_feasible(candidate)
            ours = True
        except Infeasible:
            ours = False
        assert ours == oracle.feasible(candidate)


def test_infeasible_quotas_say_which_feature_and_by_how_many_people():
    people = [(f"p{i}", {"genre": "F" if i < 8 else "M", "age": "J" if i < 3 else "A"}) for i in range(20)]
    quotas = [Quota("genre", "F", 5, 6), Quota("genre", "M", 4, 5), Quota("age", "J", 5, 6), Quota("age", "A", 4, 6)]
    with pytest.raises(Infeasible) as raised:
        leximin(instance_from_rows(quotas, people, 10))
    assert [s.as_dict() for s in raised.value.shortfalls] == [
        {"feature": "age", "value": "J", "kind": "min", "people": 2}
    ]
    too_many = [Quota("genre", "F", 6, 9), Quota("genre", "M", 6, 9)]
    with pytest.raises(Infeasible) as raised:
        leximin(instance_from_rows(too_many, [(p, {"genre": v["genre"]}) for p, v in people], 10))
    assert [s.as_dict() for s in raised.value.shortfalls] == [
        {"feature": "genre", "value": "", "kind": "min", "people": 2}
    ]


def test_a_combination_of_features_that_cannot_be_met_is_explained_by_the_smallest_move():
    # Every young person is a woman: 4 young and at most 2 women cannot both hold.
    people = [(f"p{i}", {"genre": "F" if i < 6 else "M", "age": "J" if i < 6 else "A"}) for i in range(20)]
    quotas = [Quota("genre", "F", 0, 2), Quota("genre", "M", 0, 10), Quota("age", "J", 4, 10), Quota("age", "A", 0, 10)]
    with pytest.raises(Infeasible) as raised:
        check_feasible(instance_from_rows(quotas, people, 6))
    assert sum(s.people for s in raised.value.shortfalls) == 2


def test_the_same_seed_gives_the_same_panel_and_another_seed_another():
    instance = synthetic(90, 12)
    lottery = Lottery.from_distribution(instance, leximin(instance))
    again = Lottery.from_distribution(instance, leximin(instance))
    assert lottery.sha256() == again.sha256()
    assert lottery.draw(instance, "4 12 23 35 47 / 8") == again.draw(instance, "47 35 23 12 4/8")
    assert lottery.draw(instance, "4 12 23 35 47 / 8") != lottery.draw(instance, "4 12 23 35 47 / 9")


def test_the_draw_depends_only_on_the_committed_texts():
    instance = synthetic(60, 8)
    lottery = Lottery.from_distribution(instance, leximin(instance))
    rebuilt = instance_from_texts(instance.pool_text(), instance.quotas_text(), 8)
    assert rebuilt.pool_sha256() == instance.pool_sha256()
    assert Lottery.from_json(lottery.as_json()).draw(rebuilt, "5 / 6") == lottery.draw(instance, "5 / 6")


def test_a_known_draw_is_pinned_so_that_any_change_of_method_is_seen():
    people = [(f"p{i}", {"g": "a" if i % 2 else "b"}) for i in range(10)]
    instance = instance_from_rows([Quota("g", "a", 2, 2), Quota("g", "b", 2, 2)], people, 4)
    lottery = Lottery.from_distribution(instance, leximin(instance))
    assert normalize_seed(" 12, 3 / 7 ") == "3.12./7./"
    assert lottery.draw(instance, "3 12 / 7") == ["p0", "p5", "p7", "p8"]


@pytest.mark.parametrize("seed", ["", "abc", "1 2 x", "1//2", "1" * 13, "1 " * 120])
def test_a_seed_in_the_wrong_format_is_refused(seed):
    with pytest.raises(SeedError):
        normalize_seed(seed)


def test_bad_lines_of_the_files_are_reported_with_their_numbers():
    with pytest.raises(CsvErrors) as raised:
        read_categories("category,feature,min,max\ngender,female,3,2\ngender,male,x,4\n")
    assert [e.line for e in raised.value.errors] == [2, 3]
    quotas = read_categories("feature,value,min,max\ng,a,1,2\ng,b,1,2\n")
    people, errors = read_respondents("id,g\n1,a\n2,c\n1,b\n,a\n", quotas)
    assert [p[0] for p in people] == ["1"] and [e.line for e in errors] == [3, 4, 5]


@needs_data
def test_the_example_of_sortition_algorithms_gives_everyone_ten_percent():
    quotas = read_categories((DATA / "example_small_20_categories.csv").read_text())
    people, errors = read_respondents((DATA / "example_small_20_respondents.csv").read_text(), quotas)
    assert not errors
    instance = instance_from_rows(quotas, ((pid, values) for pid, values, _ in people), 20)
    probabilities = Lottery.from_distribution(instance, leximin(instance)).probabilities(instance).values()
    assert min(probabilities) == pytest.approx(0.1, abs=1e-5) and max(probabilities) == pytest.approx(0.1, abs=1e-5)
    with (DATA / "example_small_20_respondents.csv").open() as f:
        assert len(list(csv.DictReader(f))) == len(people)


def _force_column_generation(monkeypatch):  # type: ignore[no-untyped-def]
    module = importlib.import_module("participe.modules.juries.sortition.leximin")
    monkeypatch.setattr(module, "_decompose", lambda *args: None)


@pytest.mark.parametrize(("n", "size", "seed"), [(90, 12, 1), (80, 10, 2), (80, 10, 3)])
def test_the_relaxation_walked_into_panels_gives_the_leximin_of_the_column_generation(monkeypatch, n, size, seed):
    instance = synthetic(n, size, seed)
    fast = leximin(instance)
    assert fast.method == "relaxation"
    assert abs(sum(fast.weights) - 1) < 1e-9 and all(w >= 0 for w in fast.weights)
    for panel in fast.panels:  # every panel of the walk meets the quotas
        ids = [pid for t, x in enumerate(panel) for pid in instance.members[t][:x]]
        assert meets_quotas(instance, ids)
    _force_column_generation(monkeypatch)
    exact = leximin(instance)
    assert exact.method == "column generation"
    assert sorted(fast.type_probabilities) == pytest.approx(sorted(exact.type_probabilities), abs=1e-7)
    assert fast.type_probabilities == pytest.approx(exact.type_probabilities, abs=1e-7)


def test_when_the_relaxation_promises_more_than_any_panel_gives_the_column_generation_decides():
    # Three features, panels of 3: the relaxation gives every profile at least 6.25 %, but some people are in no
    # panel that meets the quotas (sortition-algorithms agrees: its maximin is 0).
    profiles = {
        "000": 1, "001": 3, "010": 1, "020": 2, "021": 2, "100": 1, "101": 1,
        "110": 3, "111": 1, "120": 2, "200": 2, "201": 1, "220": 1, "221": 2,
    }  # fmt: skip
    people = [
        (f"p{i:02d}", {"f0": f"v{p[0]}", "f1": f"v{p[1]}", "f2": f"v{p[2]}"})
        for i, p in enumerate(p for p, count in profiles.items() for _ in range(count))
    ]
    quotas = [
        Quota("f0", "v0", 1, 2), Quota("f0", "v1", 1, 1), Quota("f0", "v2", 0, 1), Quota("f1", "v0", 1, 1),
        Quota("f1", "v1", 0, 1), Quota("f1", "v2", 0, 1), Quota("f2", "v0", 0, 1), Quota("f2", "v1", 0, 2),
    ]  # fmt: skip
    instance = instance_from_rows(quotas, people, 3)
    module = importlib.import_module("participe.modules.juries.sortition.leximin")
    counts = np.array(instance.counts, dtype=float)
    relaxed, _ = module._relaxed_leximin(instance, counts)
    assert min(relaxed / counts) == pytest.approx(0.0625)
    distribution = leximin(instance)
    assert distribution.method == "column generation"
    assert min(distribution.type_probabilities) == pytest.approx(0.0, abs=1e-9)
    assert oracle.maximin_probability(instance) == pytest.approx(0.0, abs=1e-9)
    assert abs(sum(distribution.weights) - 1) < 1e-9
