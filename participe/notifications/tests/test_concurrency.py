"""Follows under concurrent requests (PostgreSQL): ``followers_count`` always equals the rows.

``tests.concurrency.race`` runs the requests: each in its own thread and database connection, released together.
"""

from __future__ import annotations

import pytest

from participe.notifications import services
from participe.notifications.models import Follow
from tests.concurrency import race
from tests.factories import ItemFactory, UserFactory
from tests.testapp.models import Item

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def followers(item: Item) -> int:
    return Follow.objects.filter(object_id=item.pk, content_type__model="item").count()


def test_twenty_people_following_at_once_are_all_counted():
    item = ItemFactory()
    users = [UserFactory() for _ in range(20)]
    race([lambda u=u: services.follow(actor=u, target=Item.objects.get(pk=item.pk)) for u in users])
    item.refresh_from_db()
    assert item.followers_count == followers(item) == 20


def test_one_person_clicking_five_times_at_once_follows_once():
    item = ItemFactory()
    user = UserFactory()
    race([lambda: services.follow(actor=user, target=Item.objects.get(pk=item.pk)) for _ in range(5)])
    item.refresh_from_db()
    assert item.followers_count == followers(item) == 1


def test_following_and_unfollowing_at_once_keeps_the_counter_right():
    item = ItemFactory()
    leaving = [UserFactory() for _ in range(8)]
    for user in leaving:
        services.follow(actor=user, target=item)
    joining = [UserFactory() for _ in range(8)]
    calls = [lambda u=u: services.unfollow(actor=u, target=Item.objects.get(pk=item.pk)) for u in leaving]
    calls += [lambda u=u: services.follow(actor=u, target=Item.objects.get(pk=item.pk)) for u in joining]
    race(calls)
    item.refresh_from_db()
    assert item.followers_count == followers(item) == 8
