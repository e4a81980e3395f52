"""Comment counters under concurrent requests (PostgreSQL): after the race, they equal a recount from the rows.

``tests.concurrency.race`` runs the requests: each in its own thread and database connection, released together.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from participe.comments import services
from participe.comments.models import Comment, Stance
from tests.concurrency import race
from tests.factories import ItemFactory, UserFactory
from tests.testapp.models import Item

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def counters(item: Item) -> tuple[int, ...]:
    item.refresh_from_db()
    return (
        item.comments_count,
        item.comments_favorable_count,
        item.comments_neutral_count,
        item.comments_unfavorable_count,
    )


def test_comments_replies_and_deletions_at_once_keep_every_counter_right():
    assert connection.vendor == "postgresql"
    item = ItemFactory()
    first_author = UserFactory()
    first = services.comment_create(actor=first_author, target=item, body="Le premier.", stance=Stance.FAVORABLE)
    doomed_author = UserFactory()
    doomed = services.comment_create(actor=doomed_author, target=item, body="À retirer.", stance=Stance.UNFAVORABLE)
    stances = [Stance.FAVORABLE, Stance.NEUTRAL, Stance.UNFAVORABLE]
    users = [UserFactory() for _ in range(18)]

    def fresh() -> Item:
        return Item.objects.get(pk=item.pk)

    calls: list[Callable[[], Any]] = [
        lambda u=u, n=n: services.comment_create(actor=u, target=fresh(), body=f"Avis {n}", stance=stances[n % 3])
        for n, u in enumerate(users[:12])
    ]
    calls += [
        lambda u=u: services.comment_create(actor=u, target=fresh(), body="Réponse", parent=first) for u in users[12:]
    ]
    calls.append(lambda: services.comment_delete(actor=doomed_author, comment=Comment.objects.get(pk=doomed.pk)))
    race(calls)
    racing = counters(item)
    assert racing == (1 + 12 + 6, 1 + 4, 4, 4)
    services.recount_for(item)
    assert counters(item) == racing
    first.refresh_from_db()
    assert first.replies_count == 6
