"""Comments with the real notifications and search apps (the other tests record those calls instead)."""

from __future__ import annotations

import pytest

from participe.comments import services
from participe.comments.models import Stance
from participe.notifications.models import Notification
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def notified():  # overrides the recording fixture of conftest.py: notify() really runs
    return None


@pytest.fixture
def indexed():  # likewise for the search index
    return None


def test_a_reply_notifies_the_parent_author_and_the_followers_of_the_resource(django_capture_on_commit_callbacks):
    item = ItemFactory()
    alice, bob, carol = UserFactory(), UserFactory(), UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        top = services.comment_create(actor=alice, target=item, body="Pour.", stance=Stance.FAVORABLE)
        services.comment_create(actor=carol, target=item, body="Moi aussi.", stance=Stance.FAVORABLE)
    with django_capture_on_commit_callbacks(execute=True):
        services.comment_create(actor=bob, target=item, body="Pourquoi ?", parent=top)
    assert Notification.objects.filter(recipient=alice, event="comments.reply").count() == 1
    # Carol took part in the discussion, so she follows it and hears of the new reply.
    assert Notification.objects.filter(recipient=carol, event="comments.new").exists()
    assert not Notification.objects.filter(recipient=bob).exists()  # never about one's own act


def test_comments_go_to_the_search_index_and_leave_it():
    from django.contrib.auth.models import AnonymousUser

    from participe.search.selectors import search

    def found(query: str) -> list[str]:
        return [r.entry.url for r in search(user=AnonymousUser(), query=query).results]

    author = UserFactory()
    comment = services.comment_create(actor=author, target=ItemFactory(), body="Des ombrières", stance="neutral")
    assert any(f"#commentaire-{comment.pk}" in url for url in found("ombrieres"))
    services.comment_edit(actor=author, comment=comment, body="Des fontaines devant les écoles", stance="neutral")
    assert not found("ombrieres")
    assert any(f"#commentaire-{comment.pk}" in url for url in found("ecole"))
    services.comment_delete(actor=author, comment=comment)
    assert not found("ecole")
