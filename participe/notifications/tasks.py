"""Background tasks (django-tasks): the followers told of an event, emails now, digests, messages to followers."""

from __future__ import annotations

import datetime
import logging

from django.core.mail import get_connection
from django.db import connection, transaction
from django.utils import timezone
from django_tasks import task

from participe.accounts.models import User
from participe.notifications.emails import DIGEST_LIMIT, digest_email, message_email, notification_email
from participe.notifications.models import EmailStatus, FollowerMessage, Notification

logger = logging.getLogger(__name__)

BATCH = 100  # emails sent per transaction: a failure leaves the rest pending, to be sent again


def _locked(queryset: object) -> object:
    """Rows locked for this worker; on PostgreSQL other workers skip them instead of waiting."""
    skip = connection.features.has_select_for_update_skip_locked
    return queryset.select_for_update(skip_locked=skip, of=("self",))  # type: ignore[attr-defined]


def _message_for(notification: Notification, messages: dict[int, FollowerMessage | None]) -> FollowerMessage | None:
    message_id = (notification.context or {}).get("message")
    if not isinstance(message_id, int):
        return None
    if message_id not in messages:
        messages[message_id] = FollowerMessage.objects.select_related("space", "module").filter(pk=message_id).first()
    return messages[message_id]


def send_now(notification_ids: list[int]) -> int:
    """Email each pending notification of ``notification_ids`` on its own; return how many were sent."""
    sent = 0
    messages: dict[int, FollowerMessage | None] = {}
    for start in range(0, len(notification_ids), BATCH):
        batch = notification_ids[start : start + BATCH]
        with transaction.atomic():
            rows = _locked(
                Notification.objects.filter(pk__in=batch, email_status=EmailStatus.PENDING).select_related(
                    "recipient", "actor"
                )
            )
            emails, done = [], []
            for notification in rows:  # type: ignore[attr-defined]
                message = _message_for(notification, messages)
                if message is not None:
                    emails.append(message_email(message, notification.recipient))
                else:
                    emails.append(notification_email(notification))
                done.append(notification.pk)
            if emails:
                get_connection().send_messages(emails)
            Notification.objects.filter(pk__in=done).update(email_status=EmailStatus.SENT, emailed_at=timezone.now())
            sent += len(done)
    return sent


@task()
def notify_followers(
    event: str, content_type_id: int, object_id: int | str, actor_id: int | None, context: dict, at: str
) -> int:
    """Tell the followers of a target about ``event`` (``services.notify``, in the background)."""
    from participe.notifications import services  # services enqueues this task: imported when it runs

    return services.notify_followers(
        event=event, content_type_id=content_type_id, object_id=object_id, actor_id=actor_id, context=context, at=at
    )


@task()
def deliver_emails(notification_ids: list[int], message_id: int | None = None) -> int:
    """Send the emails of notifications their recipients want at once; then mark the message as sent."""
    sent = send_now(notification_ids)
    if message_id is not None:
        FollowerMessage.objects.filter(pk=message_id).update(status=FollowerMessage.Status.SENT, sent_at=timezone.now())
    return sent


def _send_digest(user: User, frequency: str) -> bool:
    with transaction.atomic():
        pending = list(
            _locked(
                Notification.objects.filter(recipient=user, email_status=EmailStatus.PENDING)
                .select_related("actor")
                .order_by("-created_at", "-id")
            )  # type: ignore[call-overload]
        )
        if not pending:
            return False
        email = digest_email(user, pending[:DIGEST_LIMIT], len(pending), frequency)
        email.send()
        Notification.objects.filter(pk__in=[n.pk for n in pending]).update(
            email_status=EmailStatus.SENT, emailed_at=timezone.now()
        )
    return True


def send_digests(frequency: str) -> int:
    """One email per user whose rhythm is ``frequency`` ("daily" or "weekly") listing their unsent notifications.

    The daily run also collects what immediate emails left behind for more than an hour (a failed delivery).
    """
    if frequency not in (User.EmailFrequency.DAILY, User.EmailFrequency.WEEKLY):
        raise ValueError(f"frequency must be daily or weekly, not {frequency!r}")
    pending = Notification.objects.filter(email_status=EmailStatus.PENDING)
    user_ids = set(pending.filter(recipient__email_frequency=frequency).values_list("recipient_id", flat=True))
    if frequency == User.EmailFrequency.DAILY:
        stale = timezone.now() - datetime.timedelta(hours=1)
        user_ids |= set(
            pending.filter(recipient__email_frequency=User.EmailFrequency.IMMEDIATE, created_at__lt=stale).values_list(
                "recipient_id", flat=True
            )
        )
    sent = 0
    for user in User.objects.filter(pk__in=user_ids, email__isnull=False).exclude(email="").order_by("pk").iterator():
        try:
            sent += _send_digest(user, frequency)
        except Exception:  # one bad address must not stop everyone else's digest
            logger.exception("Digest for user %s failed; it stays pending.", user.pk)
    return sent


@task()
def send_digests_task(frequency: str) -> int:
    return send_digests(frequency)
