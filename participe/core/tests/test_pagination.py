"""Keyset pagination: every item once, in order, whatever the ties and the cursor."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from participe.core.pagination import InvalidCursor, cursor_of, encode_cursor, keyset_paginate, order_key

pytestmark = pytest.mark.django_db


def walk(queryset, ordering, size):
    """Follow the cursors to the end; return the pages."""
    pages, cursor = [], None
    while True:
        page = keyset_paginate(queryset, ordering=ordering, cursor=cursor, size=size)
        pages.append([obj.pk for obj in page.items])
        if not page.has_next:
            return pages
        cursor = page.next_cursor
        assert len(pages) < 1000


@pytest.mark.parametrize("size", [1, 3, 7, 50, 1000])
@pytest.mark.parametrize(
    "ordering", [("-content_type_id", "pk"), ("content_type_id", "-pk"), ("-pk",), ("codename", "pk")]
)
def test_it_shows_every_item_once_in_order_despite_equal_sort_values(ordering, size):
    queryset = Permission.objects.all()
    expected = list(queryset.order_by(*ordering).values_list("pk", flat=True))
    # Permissions share their content type, so most sort values are ties.
    assert len(set(Permission.objects.values_list("content_type_id", flat=True))) < len(expected)
    pages = walk(queryset, ordering, size)
    flat = [pk for page in pages for pk in page]
    assert flat == expected
    assert all(len(page) == size for page in pages[:-1])


def test_it_paginates_a_filtered_queryset():
    queryset = Permission.objects.filter(content_type=ContentType.objects.get_for_model(Group))
    pages = walk(queryset, ("-pk",), 2)
    assert [pk for page in pages for pk in page] == list(queryset.order_by("-pk").values_list("pk", flat=True))


def test_it_has_no_next_page_when_everything_fits():
    page = keyset_paginate(Group.objects.all(), ordering=("-pk",), cursor=None, size=5)
    assert page.items == []
    assert page.next_cursor is None
    assert not page.has_next


ORDERING = ("-content_type_id", "pk")


@pytest.mark.parametrize(
    "cursor",
    [
        "pas-un-curseur!!",
        "",
        encode_cursor([1], order=order_key(ORDERING)),  # wrong number of values
        encode_cursor(["pas un nombre", "ni une date"], order=order_key(ORDERING)),  # values of the wrong type
        encode_cursor([None, 3], order=order_key(ORDERING)),  # NULL where the field cannot be NULL
        encode_cursor([True, 3], order=order_key(ORDERING)),  # a boolean is not an identifier
        encode_cursor([3, 3], order=order_key(("content_type_id", "pk"))),  # made for another order
        "////",
        "%%%",
    ],
)
def test_it_refuses_an_invalid_cursor(cursor):
    """Issue #19, finding 8: never silently the first page (the API answers 400, the pages a notice)."""
    first = keyset_paginate(Permission.objects.all(), ordering=ORDERING, cursor=None, size=5)
    if not cursor:  # no cursor: the first page
        again = keyset_paginate(Permission.objects.all(), ordering=ORDERING, cursor=cursor, size=5)
        assert [p.pk for p in again.items] == [p.pk for p in first.items]
        return
    with pytest.raises(InvalidCursor):
        keyset_paginate(Permission.objects.all(), ordering=ORDERING, cursor=cursor, size=5)


def test_a_cursor_made_for_a_row_continues_right_after_it():
    ordered = list(Permission.objects.order_by("-content_type_id", "pk"))
    page = keyset_paginate(Permission.objects.all(), ordering=ORDERING, cursor=cursor_of(ordered[6], ORDERING), size=3)
    assert page.items == ordered[7:10]


def test_it_pages_through_null_sort_values_and_puts_them_last():
    from django.contrib.auth import get_user_model

    user_model = get_user_model()
    users = [user_model.objects.create_user(email=f"p{n}@example.org" if n % 3 else None) for n in range(11)]
    queryset = user_model.objects.filter(pk__in=[u.pk for u in users])
    for ordering in (("-email", "pk"), ("email", "-pk")):
        pages = walk(queryset, ordering, 2)
        flat = [pk for page in pages for pk in page]
        assert sorted(flat) == sorted(u.pk for u in users)
        assert len(flat) == len(set(flat))
        emails = [user_model.objects.get(pk=pk).email for pk in flat]
        dated = [e for e in emails if e is not None]
        assert emails == dated + [None] * (len(emails) - len(dated))
        assert dated == sorted(dated, reverse=ordering[0].startswith("-"))


def test_it_pages_through_dates_with_nulls_last():
    from tests.factories import SpaceFactory

    dates = [None, datetime.date(2025, 1, 2), datetime.date(2025, 1, 2), datetime.date(2024, 12, 31), None]
    spaces = [SpaceFactory(start_date=date) for date in dates]
    queryset = type(spaces[0]).objects.filter(pk__in=[s.pk for s in spaces])
    flat = [pk for page in walk(queryset, ("-start_date", "-pk"), 2) for pk in page]
    by_pk = {s.pk: s for s in spaces}
    assert [by_pk[pk].start_date for pk in flat] == [dates[1], dates[1], dates[3], None, None]
    assert flat[:2] == sorted(flat[:2], reverse=True)
