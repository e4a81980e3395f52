"""Emails: at once or in a digest, per the user's rhythm, each with a one-click unsubscribe link."""

import datetime

import pytest
from django.core.management import call_command
from django.utils import timezone

from participe.notifications import services
from participe.notifications.models import EmailStatus, Notification
from participe.notifications.tasks import send_digests
from participe.notifications.tests.factories import following
from participe.notifications.tokens import read_token
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

EVENT = "notifications.test"


def notify(target, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        services.notify(event=EVENT, target=target, **kwargs)


def test_immediate_users_get_one_email_per_notification(item, mailoutbox, django_capture_on_commit_callbacks):
    user = following(item, email_frequency="immediate")
    notify(item, django_capture_on_commit_callbacks)
    assert len(mailoutbox) == 1
    email = mailoutbox[0]
    assert email.to == [user.email]
    assert item.title in email.subject
    assert item.title in email.body
    html = email.alternatives[0][0]
    assert email.alternatives[0][1] == "text/html"
    assert 'lang="fr"' in html and item.title in html
    assert Notification.objects.get().email_status == EmailStatus.SENT


def test_every_email_carries_rfc_8058_unsubscribe_headers(item, mailoutbox, django_capture_on_commit_callbacks):
    user = following(item, email_frequency="immediate")
    notify(item, django_capture_on_commit_callbacks)
    headers = mailoutbox[0].extra_headers
    assert headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    link = headers["List-Unsubscribe"].strip("<>")
    assert link.startswith("http")
    assert link in mailoutbox[0].body
    token = link.rstrip("/").rsplit("/", 1)[-1]
    assert read_token(token) == (user.pk, EVENT)


def test_daily_users_wait_for_their_digest(item, mailoutbox, django_capture_on_commit_callbacks):
    user = following(item.module, email_frequency="daily")
    notify(item, django_capture_on_commit_callbacks)
    notify(ItemFactory(module=item.module, title="Deuxième idée"), django_capture_on_commit_callbacks)
    assert mailoutbox == []
    assert send_digests("weekly") == 0
    assert send_digests("daily") == 1
    assert len(mailoutbox) == 1
    digest = mailoutbox[0]
    assert "2 notifications" in digest.subject
    assert item.title in digest.body and "Deuxième idée" in digest.body
    assert "List-Unsubscribe" in digest.extra_headers
    assert read_token(digest.extra_headers["List-Unsubscribe"].strip("<>").rstrip("/").rsplit("/", 1)[-1]) == (
        user.pk,
        "",
    )
    # Nothing is sent twice.
    assert send_digests("daily") == 0
    assert not Notification.objects.filter(email_status=EmailStatus.PENDING).exists()


def test_weekly_digest_by_the_management_command(item, mailoutbox, django_capture_on_commit_callbacks, capsys):
    following(item, email_frequency="weekly")
    notify(item, django_capture_on_commit_callbacks)
    call_command("send_notification_digests", "--frequency", "daily")
    assert mailoutbox == []
    call_command("send_notification_digests", "--frequency", "weekly")
    assert len(mailoutbox) == 1
    assert "semaine" in mailoutbox[0].subject
    assert "1 digest(s) sent." in capsys.readouterr().out


def test_the_digest_can_be_handed_to_a_worker(item, mailoutbox, django_capture_on_commit_callbacks):
    following(item, email_frequency="daily")
    notify(item, django_capture_on_commit_callbacks)
    call_command("send_notification_digests", "--frequency", "daily", "--enqueue")
    assert len(mailoutbox) == 1  # the test backend runs tasks at once


def test_never_means_no_email_but_still_in_app(item, mailoutbox, django_capture_on_commit_callbacks):
    user = following(item, email_frequency="never")
    notify(item, django_capture_on_commit_callbacks)
    assert send_digests("daily") == 0
    assert mailoutbox == []
    assert user.notifications.get().email_status == EmailStatus.SKIPPED


def test_the_daily_run_collects_immediate_emails_left_behind(item, mailoutbox, django_capture_on_commit_callbacks):
    following(item, email_frequency="immediate")
    with django_capture_on_commit_callbacks(execute=False):  # the worker never ran
        services.notify(event=EVENT, target=item)
    Notification.objects.update(created_at=timezone.now() - datetime.timedelta(hours=2))
    assert send_digests("daily") == 1


def test_a_failing_address_does_not_stop_the_other_digests(
    item, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    first = following(item, email_frequency="daily")
    following(item, email_frequency="daily")
    notify(item, django_capture_on_commit_callbacks)
    from participe.notifications import tasks

    original = tasks.digest_email

    def flaky(user, *args):
        if user.pk == first.pk:
            raise OSError("SMTP refused")
        return original(user, *args)

    monkeypatch.setattr(tasks, "digest_email", flaky)
    assert send_digests("daily") == 1
    assert first.notifications.get().email_status == EmailStatus.PENDING


def test_send_digests_refuses_an_unknown_rhythm():
    with pytest.raises(ValueError):
        send_digests("hourly")
