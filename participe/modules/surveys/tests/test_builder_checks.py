"""The pure checks of the builder: options per kind, labels, and the order of conditional questions."""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from hypothesis import given
from hypothesis import strategies as st

from participe.modules.surveys.services.builder_checks import (
    SCALE_MAX_POINTS,
    ChoiceSpec,
    check_choices,
    clean_config,
    clean_labels,
    conditions_in_order,
)


@given(low=st.integers(-20, 120), high=st.integers(-20, 120))
def test_a_scale_is_accepted_exactly_when_its_bounds_make_sense(low, high):
    sensible = -10 <= low <= 100 and low < high and high - low + 1 <= SCALE_MAX_POINTS
    try:
        cleaned = clean_config("scale", {"min": low, "max": high})
    except ValidationError as exc:
        assert not sensible, exc.messages
        assert set(exc.message_dict) <= {"min", "max"}
    else:
        assert sensible
        assert cleaned == {"min": low, "max": high}


@given(
    count=st.integers(1, 12),
    low=st.one_of(st.none(), st.integers(-2, 14)),
    high=st.one_of(st.none(), st.integers(-2, 14)),
)
def test_the_bounds_of_a_multiple_choice_stay_within_its_choices(count, low, high):
    config = {key: value for key, value in (("min_choices", low), ("max_choices", high)) if value is not None}
    try:
        cleaned = clean_config("multiple", config, choices_count=count)
    except ValidationError:
        assert (
            (low is not None and not 0 <= low <= count)
            or (high is not None and not 1 <= high <= count)
            or (low is not None and high is not None and high < low)
        )
    else:
        assert cleaned == config
        assert low is None or 0 <= low <= count
        assert high is None or 1 <= high <= count
        assert low is None or high is None or low <= high


@given(low=st.decimals(-1000, 1000, places=2), high=st.decimals(-1000, 1000, places=2))
def test_a_number_keeps_its_bounds_as_json_numbers(low, high):
    try:
        cleaned = clean_config("number", {"min": low, "max": high})
    except ValidationError as exc:
        assert high < low and "max" in exc.message_dict
    else:
        assert low <= high
        assert isinstance(cleaned["min"], int | float) and float(cleaned["min"]) == float(low)


def test_defaults_are_left_out_and_a_ranking_says_whether_all_must_be_ranked():
    assert clean_config("short_text", {}) == {}
    assert clean_config("ranking", {"rank_all": False}) == {"rank_all": False}
    assert clean_config("single", {}) == {}
    assert clean_config("section", None) == {}
    assert clean_config("number", {"unit": "  km ", "decimals": 0}) == {"unit": "km", "decimals": 0}


@pytest.mark.parametrize("kind", ["single", "section", "matrix"])
def test_kinds_without_options_refuse_any(kind):
    with pytest.raises(ValidationError):
        clean_config(kind, {"max_length": 10})


@given(st.lists(st.text(min_size=1, max_size=30), min_size=2, max_size=8))
def test_labels_are_accepted_when_distinct_and_not_blank(labels):
    normalised = [" ".join(label.split()) for label in labels]
    valid = all(normalised) and len({n.casefold() for n in normalised}) == len(normalised)
    try:
        assert clean_labels(labels, field="choices", minimum=2, what="choix") == normalised
    except ValidationError as exc:
        assert not valid and "choices" in exc.message_dict
    else:
        assert valid


def test_at_most_one_other_choice_and_only_for_single_and_multiple():
    check_choices("single", [ChoiceSpec("A"), ChoiceSpec("Autre", is_other=True)])
    with pytest.raises(ValidationError):
        check_choices(
            "multiple", [ChoiceSpec("A"), ChoiceSpec("Autre", is_other=True), ChoiceSpec("Divers", is_other=True)]
        )
    with pytest.raises(ValidationError):
        check_choices("matrix", [ChoiceSpec("A"), ChoiceSpec("Autre", is_other=True)])


@dataclass
class Item:
    pk: int
    condition_question_id: int | None


@given(st.data())
def test_conditions_are_in_order_when_each_depends_on_an_earlier_question(data):
    count = data.draw(st.integers(1, 10))
    items = [Item(pk, None) for pk in range(1, count + 1)]
    for index, item in enumerate(items):
        if index and data.draw(st.booleans()):
            item.condition_question_id = items[data.draw(st.integers(0, index - 1))].pk
    assert conditions_in_order(items) is None
    shuffled = data.draw(st.permutations(items))
    broken = conditions_in_order(shuffled)
    positions = {item.pk: i for i, item in enumerate(shuffled)}
    expected = next(
        (i for i in shuffled if i.condition_question_id and positions[i.condition_question_id] > positions[i.pk]),
        None,
    )
    assert broken is expected
