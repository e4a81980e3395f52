"""Comment services: counters per stance, replies, edit window, deletion, a priori moderation, acting for a resident."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.comments import services
from participe.comments.models import Comment, OfficialRole, Stance
from participe.core.models import ModerationStatus
from tests.factories import ItemFactory, ServiceFactory, UserFactory

pytestmark = pytest.mark.django_db


def counters(item) -> tuple[int, int, int, int]:
    item.refresh_from_db()
    return (
        item.comments_count,
        item.comments_favorable_count,
        item.comments_neutral_count,
        item.comments_unfavorable_count,
    )


def test_it_counts_comments_per_stance_and_replies_only_in_the_total():
    item = ItemFactory()
    alice, bob = UserFactory(), UserFactory()
    first = services.comment_create(actor=alice, target=item, body="Très bonne idée.", stance=Stance.FAVORABLE)
    services.comment_create(actor=bob, target=item, body="Je ne sais pas.", stance=Stance.NEUTRAL)
    services.comment_create(actor=bob, target=item, body="Trop cher.", stance=Stance.UNFAVORABLE)
    services.comment_create(actor=bob, target=item, body="Pourquoi ?", parent=first, stance=Stance.UNFAVORABLE)
    assert counters(item) == (4, 1, 1, 1)
    assert item.comments_count == 4  # the instance passed in is refreshed
    first.refresh_from_db()
    assert first.replies_count == 1


def test_a_reply_to_a_reply_joins_the_top_level_comment_and_has_no_stance():
    item = ItemFactory()
    top = services.comment_create(actor=UserFactory(), target=item, body="Oui.", stance=Stance.FAVORABLE)
    reply = services.comment_create(actor=UserFactory(), target=item, body="Non.", parent=top)
    answer = services.comment_create(actor=UserFactory(), target=item, body="Si.", parent=reply, stance=Stance.NEUTRAL)
    assert answer.parent == top
    assert answer.stance == ""
    top.refresh_from_db()
    assert top.replies_count == 2


def test_a_reply_must_belong_to_the_same_resource():
    top = services.comment_create(actor=UserFactory(), target=ItemFactory(), body="Oui.", stance=Stance.FAVORABLE)
    with pytest.raises(ValidationError):
        services.comment_create(actor=UserFactory(), target=ItemFactory(), body="Non.", parent=top)


def test_a_top_level_comment_needs_a_stance_and_a_text_of_the_right_length(settings):
    item = ItemFactory()
    user = UserFactory()
    with pytest.raises(ValidationError) as error:
        services.comment_create(actor=user, target=item, body="Bonne idée", stance="")
    assert "stance" in error.value.error_dict
    with pytest.raises(ValidationError) as error:
        services.comment_create(actor=user, target=item, body="  \n ", stance=Stance.FAVORABLE)
    assert "body" in error.value.error_dict
    settings.PARTICIPE_COMMENT_MAX_LENGTH = 10
    with pytest.raises(ValidationError, match="maximum est 10"):
        services.comment_create(actor=user, target=item, body="x" * 11, stance=Stance.FAVORABLE)
    assert counters(item) == (0, 0, 0, 0)


def test_it_keeps_line_breaks_as_plain_text():
    comment = services.comment_create(
        actor=UserFactory(), target=ItemFactory(), body="Ligne 1\r\n\r\n\r\n\r\nLigne <b>2</b>  ", stance=Stance.NEUTRAL
    )
    assert comment.body == "Ligne 1\n\nLigne <b>2</b>"


def test_the_author_edits_within_the_window_and_the_stance_counters_follow(settings):
    settings.PARTICIPE_COMMENT_EDIT_MINUTES = 15
    item = ItemFactory()
    author = UserFactory()
    comment = services.comment_create(actor=author, target=item, body="Pour.", stance=Stance.FAVORABLE)
    services.comment_edit(actor=author, comment=comment, body="Contre, finalement.", stance=Stance.UNFAVORABLE)
    comment.refresh_from_db()
    assert comment.body == "Contre, finalement."
    assert comment.edited_at is not None
    assert counters(item) == (1, 0, 0, 1)
    with pytest.raises(PermissionDenied):
        services.comment_edit(actor=UserFactory(), comment=comment, body="Piraté", stance=Stance.FAVORABLE)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=16))
    comment.refresh_from_db()
    with pytest.raises(PermissionDenied, match="15 minutes"):
        services.comment_edit(actor=author, comment=comment, body="Trop tard", stance=Stance.FAVORABLE)


def test_deleting_keeps_a_placeholder_and_uncounts(indexed):
    item = ItemFactory()
    author = UserFactory()
    comment = services.comment_create(actor=author, target=item, body="Pour.", stance=Stance.FAVORABLE)
    reply = services.comment_create(actor=UserFactory(), target=item, body="D'accord.", parent=comment)
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=UserFactory(), comment=comment)
    services.comment_delete(actor=author, comment=comment)
    comment.refresh_from_db()
    assert comment.deleted_at is not None
    assert comment.body == ""
    assert str(comment) == "Commentaire supprimé par son auteur"
    assert Comment.objects.filter(pk=reply.pk).exists()
    assert counters(item) == (1, 0, 0, 0)
    assert comment in indexed["unindex"]
    with pytest.raises(PermissionDenied):
        services.comment_delete(actor=author, comment=comment)  # not twice


def test_a_priori_moderation_keeps_the_comment_waiting_and_uncounted(notified, django_capture_on_commit_callbacks):
    item = ItemFactory(module__settings={"moderation_a_priori": True})
    with django_capture_on_commit_callbacks(execute=True):
        comment = services.comment_create(actor=UserFactory(), target=item, body="Pour.", stance=Stance.FAVORABLE)
    assert comment.moderation_status == ModerationStatus.PENDING
    assert counters(item) == (0, 0, 0, 0)
    assert notified == []
    # A moderator approves it: moderation changes the status, then asks comments to recount.
    Comment.objects.filter(pk=comment.pk).update(moderation_status=ModerationStatus.PUBLISHED)
    services.recount_for(item)
    assert counters(item) == (1, 1, 0, 0)


def test_recount_rebuilds_every_counter_from_the_rows():
    item = ItemFactory()
    top = services.comment_create(actor=UserFactory(), target=item, body="Pour.", stance=Stance.FAVORABLE)
    services.comment_create(actor=UserFactory(), target=item, body="Oui.", parent=top)
    hidden = services.comment_create(actor=UserFactory(), target=item, body="Contre.", stance=Stance.UNFAVORABLE)
    Comment.objects.filter(pk=hidden.pk).update(moderation_status=ModerationStatus.HIDDEN)
    type(item).objects.filter(pk=item.pk).update(comments_count=99, comments_favorable_count=42)
    Comment.objects.filter(pk=top.pk).update(replies_count=7)
    services.recount_for(item)
    assert counters(item) == (2, 1, 0, 0)
    top.refresh_from_db()
    assert top.replies_count == 1


def test_an_agent_acting_for_a_resident_is_marked_and_logged():
    item = ItemFactory()
    agent = UserFactory()
    resident = UserFactory(email=None, managed_by=agent)
    comment = services.comment_create(
        actor=resident, target=item, body="Dit au guichet.", stance=Stance.NEUTRAL, entered_by=agent
    )
    assert comment.author == resident
    assert comment.entered_by == agent
    entry = AuditEntry.objects.get(action="comment.create")
    assert entry.actor == agent
    assert entry.on_behalf_of == resident


def test_an_agent_posts_in_the_name_of_their_service():
    item = ItemFactory()
    agent = UserFactory()
    ServiceFactory(name="Service des espaces verts").members.add(agent)
    comment = services.comment_create(
        actor=agent, target=item, body="Nous étudions.", stance=Stance.NEUTRAL, as_official=True
    )
    assert (comment.official_role, comment.official_label) == (OfficialRole.SERVICE, "Service des espaces verts")
    assert AuditEntry.objects.filter(action="comment.create", actor=agent).exists()
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=UserFactory(), target=item, body="Moi aussi", stance="neutral", as_official=True)


def test_an_elected_official_holds_the_permission():
    from django.contrib.auth.models import Permission

    elected = UserFactory()
    elected.user_permissions.add(Permission.objects.get(codename="post_as_elected"))
    comment = services.comment_create(
        actor=elected, target=ItemFactory(), body="La ville s'engage.", stance=Stance.FAVORABLE, as_official=True
    )
    assert comment.official_role == OfficialRole.ELECTED


def test_the_elected_role_follows_the_permission_as_django_reads_it():
    from django.contrib.auth.models import Group, Permission

    permission = Permission.objects.get(codename="post_as_elected")
    direct, through_group, inactive, participant = UserFactory(), UserFactory(), UserFactory(), UserFactory()
    direct.user_permissions.add(permission)
    group = Group.objects.create(name="Élus")
    group.permissions.add(permission)
    through_group.groups.add(group)
    inactive.groups.add(group)
    inactive.is_active = False
    inactive.save()
    for user in (direct, through_group, inactive, participant):
        fresh = type(user).objects.get(pk=user.pk)
        role = services.official_role_for(fresh)
        assert (role == (OfficialRole.ELECTED, "")) is fresh.has_perm("comments.post_as_elected")
    assert [services.official_role_for(u) for u in (direct, through_group, participant)] == [
        (OfficialRole.ELECTED, ""),
        (OfficialRole.ELECTED, ""),
        None,
    ]


def test_it_notifies_the_parent_author_and_the_followers_after_commit(notified, django_capture_on_commit_callbacks):
    item = ItemFactory()
    alice, bob = UserFactory(), UserFactory()
    top = services.comment_create(actor=alice, target=item, body="Pour.", stance=Stance.FAVORABLE)
    with django_capture_on_commit_callbacks(execute=True):
        reply = services.comment_create(actor=bob, target=item, body="Contre.", parent=top)
    events = [(c["event"], c["target"], c.get("recipients")) for c in notified]
    assert ("comments.reply", reply, [alice]) in events
    assert ("comments.new", reply, None) in events


def test_it_refuses_a_resource_that_is_not_commentable():
    with pytest.raises(PermissionDenied):
        services.comment_create(actor=UserFactory(), target=UserFactory(), body="Bonjour", stance=Stance.NEUTRAL)


def test_delete_for_removes_the_comments_of_a_resource():
    item, other = ItemFactory(), ItemFactory()
    top = services.comment_create(actor=UserFactory(), target=item, body="Pour.", stance=Stance.FAVORABLE)
    services.comment_create(actor=UserFactory(), target=item, body="Oui.", parent=top)
    kept = services.comment_create(actor=UserFactory(), target=other, body="Pour.", stance=Stance.FAVORABLE)
    assert services.delete_for(item) == 2
    assert list(Comment.objects.all()) == [kept]


def test_it_indexes_published_comments(indexed):
    comment = services.comment_create(actor=UserFactory(), target=ItemFactory(), body="Pour.", stance=Stance.FAVORABLE)
    assert indexed["index"] == [comment]


def test_commenting_follows_the_resource():
    from participe.notifications.selectors import is_following

    item = ItemFactory()
    user = UserFactory()
    services.comment_create(actor=user, target=item, body="Je suis la discussion.", stance=Stance.NEUTRAL)
    assert is_following(user, item)
    item.refresh_from_db()
    assert item.followers_count == 1
