"""Moderation's decisions on comments: the comment resource declares what follows them
(``Resource.on_visibility_changed``: its thread is recounted, the followers of an approved comment are told)."""

import pytest

from participe.comments.services import comment_create
from participe.moderation import services
from tests.factories import ItemFactory, UserFactory, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def item():
    return ItemFactory()


@pytest.fixture
def space_moderator(item):
    return make_space_role(item.module.space, "moderator", pseudonym="moderatrice")


def test_hiding_a_comment_recounts_the_comments_of_its_target(item, space_moderator):
    comment = comment_create(actor=UserFactory(), target=item, body="Des propos limites", stance="unfavorable")
    comment_create(actor=UserFactory(), target=item, body="Une réponse", parent=comment)
    item.refresh_from_db()
    assert (item.comments_count, item.comments_unfavorable_count) == (2, 1)
    services.content_hide(actor=space_moderator, target=comment, reason="Injurieux")
    item.refresh_from_db()
    assert (item.comments_count, item.comments_unfavorable_count) == (0, 0)  # its reply is hidden with it
    services.content_unhide(actor=space_moderator, target=comment, reason="Acceptable")
    item.refresh_from_db()
    assert (item.comments_count, item.comments_unfavorable_count) == (2, 1)


def test_approving_a_pending_comment_counts_it_and_tells_the_followers(
    item, space_moderator, notified, django_capture_on_commit_callbacks
):
    item.module.settings = {"moderation_a_priori": True}
    item.module.save()
    with django_capture_on_commit_callbacks(execute=True):
        comment = comment_create(actor=UserFactory(), target=item, body="À valider", stance="favorable")
    assert comment.moderation_status == "pending"
    item.refresh_from_db()
    assert item.comments_count == 0
    with django_capture_on_commit_callbacks(execute=True):
        services.content_publish(actor=space_moderator, target=comment, reason="Conforme")
    item.refresh_from_db()
    assert (item.comments_count, item.comments_favorable_count) == (1, 1)
    events = [call["event"] for call in notified]
    assert "moderation.published" in events and "comments.new" in events
