"""Reading a thread's page (``participe.comments.selectors``): the first replies under each comment and how many
more there are, read from the replies' keys or, beyond ``REPLIES_LISTED``, numbered by the database — the same
answer either way, for every reader."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from participe.comments import selectors
from participe.comments.tests.factories import CommentFactory
from participe.core.models import ModerationStatus
from tests.factories import ItemFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def thread():
    item = ItemFactory()
    reader = UserFactory()
    start = timezone.now() - datetime.timedelta(days=1)
    tops = [
        CommentFactory(item=item, body=f"Avis {n}", created_at=start + datetime.timedelta(minutes=n)) for n in range(6)
    ]
    later = start + datetime.timedelta(hours=1)
    for parent, count in zip(tops, (0, 1, 3, 4, 7, 2), strict=True):
        for n in range(count):  # the same time for some: the key breaks the tie
            CommentFactory(item=item, parent=parent, body=f"Réponse {parent.body} {n}", created_at=later)
    CommentFactory(
        item=item, parent=tops[1], author=reader, moderation_status=ModerationStatus.PENDING, created_at=later
    )
    CommentFactory(item=item, parent=tops[3], moderation_status=ModerationStatus.HIDDEN, created_at=start)
    return item, reader


def shape(page: selectors.ThreadPage) -> list[tuple]:
    return [(c.pk, [r.pk for r in c.shown_replies], c.more_replies) for c in page.comments]


@pytest.mark.parametrize("who", ["visitor", "reader", "moderator"])
def test_the_first_replies_are_the_same_read_from_their_keys_or_numbered_by_the_database(thread, who, monkeypatch):
    item, reader = thread
    user = {
        "visitor": AnonymousUser(),
        "reader": reader,
        "moderator": make_space_role(item.module.space, "moderator"),
    }[who]
    listed = shape(selectors.thread_page(target=item, user=user))
    monkeypatch.setattr(selectors, "REPLIES_LISTED", 3)  # fewer than the page's replies: the database numbers them
    numbered = shape(selectors.thread_page(target=item, user=user))
    assert listed == numbered
    replies = {pk: (shown, more) for pk, shown, more in listed}
    counts = [(len(shown), more) for shown, more in replies.values()]
    sees_pending = who != "visitor"  # the reader's own waiting reply: theirs and the moderator's to see
    sees_hidden = who == "moderator"
    assert counts[0] == (0, 0)
    assert counts[1] == (2 if sees_pending else 1, 0)
    assert counts[2] == (3, 0)
    assert counts[3] == (3, 2 if sees_hidden else 1)
    assert counts[4] == (3, 4)
    assert counts[5] == (2, 0)
