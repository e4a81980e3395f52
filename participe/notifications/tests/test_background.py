"""The followers of a target are told by a background task, not in the request of the act (issue #12): the act
enqueues one task in its own transaction; the task tells the followers of the target as it is when it runs."""

import datetime

import pytest

from participe.core.models import ModerationStatus
from participe.notifications import services
from participe.notifications.models import Notification
from participe.notifications.tests.factories import following
from tests.factories import ItemFactory, UserFactory
from tests.tasks import run_queued

pytestmark = pytest.mark.django_db

EVENT = "notifications.test"


def test_the_followers_are_told_by_one_task_not_in_the_act(item, queued):
    follower, other = following(item, pseudonym="suiveuse"), following(item.module, pseudonym="autre")
    services.notify(event=EVENT, target=item, context={"title": "Des bancs"})
    assert Notification.objects.count() == 0 and len(queued) == 1
    assert run_queued(queued) == [2]
    told = Notification.objects.filter(event=EVENT)
    assert {n.recipient for n in told} == {follower, other}
    assert {n.context["title"] for n in told} == {"Des bancs"}


def test_explicit_recipients_are_told_at_once(item, queued):
    someone = UserFactory()
    services.notify(event=EVENT, target=item, recipients=[someone])
    assert queued == [] and Notification.objects.get().recipient == someone


def test_the_actor_is_not_told_of_their_own_act(item, queued):
    actor = following(item)
    services.notify(event=EVENT, target=item, actor=actor)
    assert run_queued(queued) == [0] and not Notification.objects.exists()


def test_someone_told_by_the_precise_event_is_not_told_again_however_late_the_task(item, queued, monkeypatch):
    parent_author, other = following(item, pseudonym="parent"), following(item, pseudonym="autre")
    services.notify(event="notifications.message", target=item, recipients=[parent_author])
    services.notify(event=EVENT, target=item)
    later = datetime.datetime.now(datetime.UTC) + datetime.timedelta(hours=3)  # a worker that was down
    monkeypatch.setattr("django.utils.timezone.now", lambda: later)
    assert run_queued(queued) == [1]
    assert Notification.objects.filter(event=EVENT).get().recipient == other


def test_a_target_hidden_or_deleted_before_the_task_runs_tells_nobody(queued):
    hidden, deleted = ItemFactory(), ItemFactory()
    following(hidden), following(deleted)
    services.notify(event=EVENT, target=hidden)
    services.notify(event=EVENT, target=deleted)
    type(hidden).objects.filter(pk=hidden.pk).update(moderation_status=ModerationStatus.HIDDEN)
    deleted.delete()
    assert run_queued(queued) == [0, 0] and not Notification.objects.exists()
