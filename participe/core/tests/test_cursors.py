"""The one cursor encoding of every list: what goes in comes back out, anything else is an ``InvalidCursor``."""

from __future__ import annotations

import base64
import datetime
import json
import re
import zoneinfo
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from participe.core.pagination import InvalidCursor, decode_cursor, encode_cursor

SORT_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(),
    st.dates(),
    st.datetimes(),
    st.datetimes(timezones=st.timezones()),
    st.decimals(allow_nan=False, allow_infinity=False),
)


def raw(payload) -> str:
    """A cursor written by hand, as someone editing the address would."""
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode().rstrip("=")


def instant(value):
    """An aware datetime as the instant and offset it stands for: Python never finds two aware datetimes of different
    zones equal when one falls in a gap or a fold of its zone (PEP 495) — 2000-10-15 00:00 in America/Santiago, a
    time that did not exist there, comes back with its offset, -04:00, the same instant and offset but another
    tzinfo."""
    if isinstance(value, datetime.datetime) and value.utcoffset() is not None:
        return (value.astimezone(datetime.UTC), value.utcoffset())
    return value


@given(values=st.lists(SORT_VALUES, max_size=4), order=st.text(max_size=30))
def test_the_values_come_back_with_their_types(values, order):
    decoded = decode_cursor(encode_cursor(values, order=order), order=order)
    assert [instant(v) for v in decoded] == [instant(v) for v in values]
    assert [type(v) for v in decoded] == [type(v) for v in values]


def test_a_time_that_did_not_exist_in_its_zone_comes_back_as_the_same_instant():
    values = [datetime.datetime(2000, 10, 15, tzinfo=zoneinfo.ZoneInfo("America/Santiago"))]
    decoded = decode_cursor(encode_cursor(values, order=""), order="")
    assert [instant(v) for v in decoded] == [instant(v) for v in values]


@given(values=st.lists(SORT_VALUES, max_size=4))
def test_a_cursor_is_url_safe_and_opaque(values):
    cursor = encode_cursor(values, order="-created_at,-pk")
    assert re.fullmatch(r"[A-Za-z0-9_-]+", cursor)


@given(values=st.lists(st.integers(), min_size=1, max_size=3), order=st.text(max_size=10), other=st.text(max_size=10))
def test_a_cursor_of_another_order_is_refused(values, order, other):
    cursor = encode_cursor(values, order=order)
    if other != order:
        with pytest.raises(InvalidCursor):
            decode_cursor(cursor, order=other)


@given(garbage=st.text(max_size=40))
def test_garbage_is_refused_or_decodes_to_a_cursor_of_this_encoding(garbage):
    try:
        decode_cursor(garbage, order="pk")
    except InvalidCursor:
        return
    # The rare string that happens to be valid base64 JSON of the right shape is a cursor like any other.
    assert json.loads(base64.urlsafe_b64decode(garbage + "=" * (-len(garbage) % 4)))["o"] == "pk"


@pytest.mark.parametrize(
    "cursor",
    [
        "",
        "%%%",
        "pas-un-curseur",
        base64.urlsafe_b64encode(b"\xff\xfe").decode(),  # not UTF-8
        raw([1, 2]),  # the shape of an older cursor
        raw({"o": "pk"}),
        raw({"o": "pk", "v": 1}),
        raw({"o": "pk", "v": [1], "x": 0}),
        raw({"o": "pk", "v": [[1]]}),
        raw({"o": "pk", "v": [{"dt": "hier"}]}),
        raw({"o": "pk", "v": [{"d": "2025-02-30"}]}),
        raw({"o": "pk", "v": [{"n": "beaucoup"}]}),
        raw({"o": "pk", "v": [{"n": "NaN"}]}),
        raw({"o": "pk", "v": [{"n": 3}]}),
        raw({"o": "pk", "v": [{"zz": "1"}]}),
        raw({"o": "pk", "v": [{"d": "2025-01-01", "n": "1"}]}),
        base64.urlsafe_b64encode(b'{"o":"pk","v":[NaN]}').decode(),
    ],
)
def test_tampered_cursors_are_refused(cursor):
    with pytest.raises(InvalidCursor):
        decode_cursor(cursor, order="pk")


def test_the_expected_types_are_checked_exactly():
    moment = datetime.datetime(2025, 3, 1, 12, 30, tzinfo=datetime.UTC)
    cursor = encode_cursor([moment, 42], order="recent")
    assert decode_cursor(cursor, order="recent", types=(datetime.datetime, int)) == [moment, 42]
    for types in [(datetime.date, int), (datetime.datetime,), (datetime.datetime, bool), (str, int)]:
        with pytest.raises(InvalidCursor):
            decode_cursor(cursor, order="recent", types=types)
    flags = encode_cursor([True, None, Decimal("12.50")], order="x")
    assert decode_cursor(flags, order="x", types=(bool, (int, type(None)), Decimal)) == [True, None, Decimal("12.50")]
    with pytest.raises(InvalidCursor):
        decode_cursor(flags, order="x", types=(int, type(None), Decimal))


def test_a_value_no_cursor_can_hold_is_a_programming_error():
    with pytest.raises(TypeError):
        encode_cursor([object()], order="pk")
    with pytest.raises(ValueError, match="Out of range float values"):
        encode_cursor([float("nan")], order="pk")
