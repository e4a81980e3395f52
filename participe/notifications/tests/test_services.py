"""Follows, counters and the resolution of the recipients of ``notify``."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from participe.core.models import ModerationStatus
from participe.notifications import services
from participe.notifications.models import EmailStatus, Follow, Notification, NotificationPreference
from participe.notifications.tests.factories import following
from participe.spaces.models import Space, SpaceMembership
from tests.factories import ItemFactory, ModuleFactory, SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db

EVENT = "notifications.test"


def recipients(event=EVENT):
    return set(Notification.objects.filter(event=event).values_list("recipient__pseudonym", flat=True))


def test_following_an_item_counts_one_follower_and_is_idempotent(item):
    user = UserFactory()
    services.follow(actor=user, target=item)
    services.follow(actor=user, target=item)
    item.refresh_from_db()
    assert item.followers_count == 1
    assert Follow.objects.count() == 1


def test_unfollowing_decrements_and_never_goes_below_zero(item):
    user = UserFactory()
    services.follow(actor=user, target=item)
    assert services.unfollow(actor=user, target=item) is True
    assert services.unfollow(actor=user, target=item) is False
    item.refresh_from_db()
    assert item.followers_count == 0


def test_spaces_and_modules_are_followable_without_a_counter():
    module = ModuleFactory()
    user = UserFactory()
    services.follow(actor=user, target=module)
    services.follow(actor=user, target=module.space)
    assert Follow.objects.filter(user=user).count() == 2


def test_a_model_that_is_not_a_followable_resource_is_refused():
    other = UserFactory()
    with pytest.raises(ValidationError):
        services.follow(actor=UserFactory(), target=other)


def test_a_private_space_is_followed_by_its_members_only():
    space = SpaceFactory(visibility=Space.Visibility.PRIVATE)
    outsider, member = UserFactory(), UserFactory()
    SpaceMembership.objects.create(space=space, user=member, role=SpaceMembership.Role.MEMBER)
    with pytest.raises(PermissionDenied):
        services.follow(actor=outsider, target=space)
    services.follow(actor=member, target=space)


def test_authors_follow_their_item(item):
    services.follow_author(user=item.author, target=item)
    item.refresh_from_db()
    assert item.followers_count == 1
    assert services.follow_author(user=None, target=item) is None


def test_delete_for_removes_follows_and_notifications(item):
    user = following(item)
    services.notify(event=EVENT, target=item, actor=None)
    services.delete_for(item)
    assert not Follow.objects.filter(user=user).exists()
    assert not Notification.objects.exists()


def test_followers_of_the_item_its_module_and_its_space_are_notified_once(item):
    on_item = following(item, pseudonym="item")
    on_module = following(item.module, pseudonym="module")
    on_space = following(item.module.space, pseudonym="space")
    everywhere = following(item, pseudonym="partout")
    services.follow(actor=everywhere, target=item.module)
    services.follow(actor=everywhere, target=item.module.space)
    UserFactory(pseudonym="stranger")
    services.notify(event=EVENT, target=item, actor=None)
    assert recipients() == {on_item.pseudonym, on_module.pseudonym, on_space.pseudonym, "partout"}
    assert Notification.objects.filter(recipient=everywhere).count() == 1


def test_the_actor_is_not_notified_of_their_own_act(item):
    actor = following(item, pseudonym="acteur")
    following(item, pseudonym="autre")
    services.notify(event=EVENT, target=item, actor=actor)
    assert recipients() == {"autre"}
    notification = Notification.objects.get()
    assert notification.actor == actor
    assert notification.target == item
    assert notification.target_repr == item.title
    assert notification.url == item.get_absolute_url()


def test_followers_who_left_a_private_space_are_not_notified(item):
    space = item.module.space
    member = following(space, pseudonym="membre")
    SpaceMembership.objects.create(space=space, user=member, role=SpaceMembership.Role.MEMBER)
    former = following(space, pseudonym="ancien")
    Space.objects.filter(pk=space.pk).update(visibility=Space.Visibility.PRIVATE)
    item = type(item).objects.get(pk=item.pk)
    services.notify(event=EVENT, target=item, actor=None)
    assert recipients() == {"membre"}
    assert former.notifications.count() == 0


def test_explicit_recipients_are_filtered_too(item):
    blocked = UserFactory(pseudonym="bloque")
    blocked.blocked_at = blocked.date_joined
    blocked.save()
    author = UserFactory(pseudonym="auteur")
    services.notify(event=EVENT, target=item, actor=author, recipients=[author, blocked, UserFactory(pseudonym="x")])
    assert recipients() == {"x"}


def test_nobody_is_told_about_hidden_content(item):
    following(item)
    item.moderation_status = ModerationStatus.HIDDEN
    item.save()
    services.notify(event=EVENT, target=item, actor=None)
    assert not Notification.objects.exists()


def test_an_unpublished_module_is_not_announced_to_its_public_followers(item):
    following(item.module)
    item.module.is_published = False
    item.module.save()
    services.notify(event=EVENT, target=item, actor=None)
    assert not Notification.objects.exists()


def test_an_unknown_event_fails_loudly_in_tests(item):
    with pytest.raises(ValueError, match="Unknown notification event"):
        services.notify(event="nobody.declared", target=item)


def test_an_unknown_event_is_delivered_with_a_warning_in_production(item, settings, caplog):
    settings.TESTING = False
    following(item)
    services.notify(event="nobody.declared", target=item)
    assert Notification.objects.filter(event="nobody.declared").count() == 1
    assert "not declared" in caplog.text


def test_preferences_decide_in_app_and_email(item):
    quiet = following(item, pseudonym="quiet", email_frequency="daily")
    nothing = following(item, pseudonym="nothing")
    no_email = following(item, pseudonym="noemail", email_frequency="never")
    NotificationPreference.objects.create(user=quiet, event=EVENT, in_app=False, email=True)
    NotificationPreference.objects.create(user=nothing, event=EVENT, in_app=False, email=False)
    services.notify(event=EVENT, target=item)
    rows = {n.recipient.pseudonym: n for n in Notification.objects.select_related("recipient")}
    assert set(rows) == {"quiet", "noemail"}
    assert (rows["quiet"].in_app, rows["quiet"].email_status) == (False, EmailStatus.PENDING)
    assert (rows["noemail"].in_app, rows["noemail"].email_status) == (True, EmailStatus.SKIPPED)
    assert no_email.pk


def test_emails_are_scheduled_only_after_commit(item, django_capture_on_commit_callbacks, mailoutbox):
    following(item, email_frequency="immediate")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        services.notify(event=EVENT, target=item)
    assert len(callbacks) == 1
    assert mailoutbox == []
    callbacks[0]()
    assert len(mailoutbox) == 1


def test_mark_read_is_for_the_recipient_only(item):
    user = following(item)
    services.notify(event=EVENT, target=item)
    notification = Notification.objects.get()
    with pytest.raises(PermissionDenied):
        services.notification_mark_read(actor=UserFactory(), notification=notification)
    services.notification_mark_read(actor=user, notification=notification)
    notification.refresh_from_db()
    assert notification.read_at is not None


def test_mark_all_read(item):
    user = following(item.module)
    services.notify(event=EVENT, target=item)
    services.notify(event=EVENT, target=ItemFactory(module=item.module))
    assert services.notifications_mark_all_read(actor=user) == 2


def test_a_comment_notifies_the_followers_of_the_resource_it_belongs_to(item):
    """A target with a ``target`` (a comment on an item): the item's followers hear about it."""

    follower = following(item, pseudonym="suiveur")
    from participe.notifications.selectors import targets_of

    reply = ItemFactory(module=item.module)
    reply.target = item  # the protocol of a comment: a generic ``target``
    assert item in targets_of(reply)
    assert [u.pseudonym for u in services.resolve_recipients(event=EVENT, target=reply)] == [follower.pseudonym]


def test_someone_told_by_a_precise_event_is_not_told_again_by_the_followers_one(item):
    """A reply: its author hears "reply" explicitly, then the followers hear "new comment": the author once."""
    parent_author = following(item, pseudonym="parent")
    other = following(item, pseudonym="autre")
    services.notify(event="notifications.message", target=item, recipients=[parent_author])
    services.notify(event=EVENT, target=item)
    assert Notification.objects.filter(recipient=parent_author).count() == 1
    assert Notification.objects.filter(recipient=other).count() == 1
