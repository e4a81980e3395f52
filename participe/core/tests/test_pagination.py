"""Keyset pagination: every item once, in order, whatever the ties and the cursor."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType

from participe.core.pagination import _decode, _encode, keyset_paginate

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


@pytest.mark.parametrize(
    "cursor",
    [
        "pas-un-curseur!!",
        "",
        _encode([1]),  # wrong number of values
        _encode({"pk": 1}),  # not a list  # type: ignore[arg-type]
        _encode(["pas un nombre", "ni une date"]),  # tampered values
        "////",
        "%%%",
    ],
)
def test_it_restarts_at_the_top_on_an_invalid_cursor(cursor):
    first = keyset_paginate(Permission.objects.all(), ordering=("-content_type_id", "pk"), cursor=None, size=5)
    again = keyset_paginate(Permission.objects.all(), ordering=("-content_type_id", "pk"), cursor=cursor, size=5)
    assert [p.pk for p in again.items] == [p.pk for p in first.items]


def test_it_round_trips_cursor_values():
    values = [datetime.date(2025, 3, 1).isoformat(), 42, None, "é"]
    assert _decode(_encode(values)) == values


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
