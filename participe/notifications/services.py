"""Follows and notifications: every write of the app.

``notify`` is the one entry point other apps call (see docs/decisions/0006-shared-participation-services.md);
``follow`` / ``unfollow`` keep ``followers_count`` right under a row lock; ``delete_for`` removes the rows about
an item its module deletes.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.core import resources
from participe.core.registry import registry
from participe.notifications import selectors, tasks
from participe.notifications.models import (
    EmailStatus,
    Follow,
    FollowerMessage,
    Notification,
    NotificationPreference,
)
from participe.permissions.refusals import require

logger = logging.getLogger(__name__)

MESSAGE_EVENT = "notifications.message"


# --- Follows ------------------------------------------------------------------------------------------------------


def _shift_followers(target: Model, delta: int) -> None:
    """Move ``followers_count`` of a target that has one, under a lock on its row."""
    if not hasattr(target, "followers_count"):
        return
    manager = type(target)._default_manager
    manager.select_for_update().filter(pk=target.pk).values_list("pk", flat=True).first()
    rows = manager.filter(pk=target.pk)
    if delta < 0:
        rows = rows.filter(followers_count__gt=0)
    rows.update(followers_count=F("followers_count") + delta)
    resources.interactive(target).followers_count = manager.values_list("followers_count", flat=True).get(pk=target.pk)


def _check_followable(target: Model) -> None:
    if not selectors.is_followable(target):
        raise ValidationError(_("Ce contenu ne peut pas être suivi."))


def _add_follow(user: User, target: Model) -> tuple[Follow, bool]:
    content_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        follow, created = Follow.objects.get_or_create(user=user, content_type=content_type, object_id=target.pk)
        if created:
            _shift_followers(target, +1)
    return follow, created


def follow(*, actor: User, target: Model) -> Follow:
    """``actor`` follows ``target`` (a space, a module or a followable resource they may see). Idempotent."""
    _check_followable(target)
    if not getattr(actor, "is_authenticated", False) or actor.blocked_at is not None:
        raise PermissionDenied(_("Connectez-vous pour suivre ce contenu."))
    if not selectors.may_see(actor, target):
        raise PermissionDenied(_("Vous ne pouvez pas suivre ce contenu."))
    return _add_follow(actor, target)[0]


def follow_author(*, user: User | None, target: Model) -> Follow | None:
    """The author of a new item follows it, without the checks of ``follow`` (they just wrote it).

    Module services call it right after creating an item: ``follow_author(user=item.author, target=item)``.
    """
    if user is None or user.pk is None or getattr(user, "is_deleted", False):
        return None
    _check_followable(target)
    return _add_follow(user, target)[0]


def unfollow(*, actor: User, target: Model) -> bool:
    """``actor`` stops following ``target``; False when they did not follow it."""
    content_type = ContentType.objects.get_for_model(target)
    with transaction.atomic():
        deleted, _rows = Follow.objects.filter(user=actor, content_type=content_type, object_id=target.pk).delete()
        if deleted:
            _shift_followers(target, -1)
    return bool(deleted)


def delete_for(target: Model) -> None:
    """Remove the follows of an item and the notifications about it (its module is deleting it)."""
    content_type = ContentType.objects.get_for_model(target)
    Follow.objects.filter(content_type=content_type, object_id=target.pk).delete()
    Notification.objects.filter(content_type=content_type, object_id=target.pk).delete()


def erase_account_data(user: User) -> None:
    """A deleted account follows nothing and is told nothing any more: its follows (each followed item's counter
    goes down under its lock), notifications and preferences go (``accounts.hooks.register_eraser``). What others
    were told about its acts stays, shown as by « participant supprimé »."""
    for follow in Follow.objects.filter(user=user).select_related("content_type").order_by("pk"):
        model = follow.content_type.model_class()
        target = model._default_manager.filter(pk=follow.object_id).first() if model is not None else None
        follow.delete()
        if target is not None:
            _shift_followers(target, -1)
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()


# --- Notify -------------------------------------------------------------------------------------------------------


def _check_event(event: str) -> None:
    if registry.event(event) is not None:
        return
    if settings.DEBUG or getattr(settings, "TESTING", False):
        raise ValueError(f"Unknown notification event {event!r}: declare it with registry.register_event().")
    logger.warning("Notification event %r is not declared; delivering it anyway.", event)


def _email_status(user: User, preference: NotificationPreference | None) -> str:
    if not user.email or user.email_frequency == User.EmailFrequency.NEVER:
        return EmailStatus.SKIPPED
    if preference is not None and not preference.email:
        return EmailStatus.SKIPPED
    return EmailStatus.PENDING


def _target_url(target: Model) -> str:
    try:
        return str(resources.item(target).get_absolute_url())[:500]
    except (AttributeError, Exception):  # a target without a page: the notification links nowhere
        return ""


def create_notifications(
    *,
    event: str,
    target: Model,
    actor: Any,
    users: Iterable[User],
    context: dict[str, Any],
    message_id: int | None = None,
) -> list[Notification]:
    """Bulk-create the notifications of ``users`` (their preferences applied) and schedule their emails."""
    users = list(users)
    preferences = {
        p.user_id: p for p in NotificationPreference.objects.filter(event=event, user__in=[u.pk for u in users])
    }
    content_type = ContentType.objects.get_for_model(target)
    common = {
        "event": event,
        "actor": actor if getattr(actor, "pk", None) else None,
        "content_type": content_type,
        "object_id": target.pk,
        "target_repr": str(target)[:300],
        "url": _target_url(target),
        "context": context,
    }
    rows = []
    for user in users:
        preference = preferences.get(user.pk)
        in_app = preference is None or preference.in_app
        status = _email_status(user, preference)
        if not in_app and status == EmailStatus.SKIPPED:
            continue
        rows.append(Notification(recipient=user, in_app=in_app, email_status=status, **common))
    # Primary keys come back from bulk_create on PostgreSQL and on SQLite ≥ 3.35 (RETURNING).
    created = Notification.objects.bulk_create(rows, batch_size=500)
    _schedule_emails(event, created, users, message_id)
    return created


def _schedule_emails(event: str, created: list[Notification], users: list[User], message_id: int | None) -> None:
    """Emails to send now: for people who want them at once, and for every message to followers."""
    frequency = {u.pk: u.email_frequency for u in users}
    now_ids = [
        n.pk
        for n in created
        if n.email_status == EmailStatus.PENDING
        and (event == MESSAGE_EVENT or frequency.get(n.recipient_id) == User.EmailFrequency.IMMEDIATE)
    ]
    if not now_ids and message_id is None:
        return
    transaction.on_commit(lambda: tasks.deliver_emails.enqueue(now_ids, message_id), robust=True)


def resolve_recipients(
    *,
    event: str,
    target: Model,
    actor: Any = None,
    recipients: Iterable[Any] | None = None,
    at: datetime.datetime | None = None,
) -> list[User]:
    """Who hears about an event on ``target`` (see ``notify``); ``at``: when the act happened (now by default),
    from which "a moment ago" counts for the people another event of the same act told already."""
    if recipients is None:
        users = selectors.recipients_for(target, actor=actor)
        told = selectors.just_told_about(target, event=event, at=at)
        return [u for u in users if u.pk not in told] if told else users
    return selectors.filter_recipients(recipients, target, actor=actor)


def notify(
    *,
    event: str,
    target: Model,
    actor: Any = None,
    recipients: Iterable[Any] | None = None,
    context: dict[str, Any] | None = None,
) -> None:
    """Tell people that ``event`` happened to ``target``.

    ``recipients`` defaults to the followers of the target, of its module and of its space; the actor is never
    notified of their own act, and nobody is told about what they may not see. The followers may be thousands: they
    are found and told by a background task (enqueued in the act's transaction, so it exists only if the act does),
    not in the request of the act. Explicit recipients are told at once. Delivery (in-app, email now, email digest)
    runs in background tasks once the current transaction commits.
    """
    _check_event(event)
    if recipients is None:
        content_type = ContentType.objects.get_for_model(target)
        tasks.notify_followers.enqueue(
            event,
            content_type.pk,
            target.pk if isinstance(target.pk, int) else str(target.pk),
            getattr(actor, "pk", None),
            dict(context or {}),
            timezone.now().isoformat(),
        )
        return
    users = resolve_recipients(event=event, target=target, actor=actor, recipients=recipients)
    if users:
        create_notifications(event=event, target=target, actor=actor, users=users, context=dict(context or {}))


def _load(model: type[Model], object_id: Any) -> Model | None:
    """The target with its module and space, which decide who may see it and whose followers hear of it."""
    names = {f.name for f in model._meta.get_fields() if f.is_relation and f.many_to_one}
    related = ["module__space"] if "module" in names else ["space"] if "space" in names else []
    return model._base_manager.select_related(*related).filter(pk=object_id).first()


def notify_followers(
    *, event: str, content_type_id: int, object_id: Any, actor_id: Any, context: dict[str, Any], at: str
) -> int:
    """The background part of ``notify``: tell the followers of the target as it is now (gone, hidden or made
    private since the act: nobody, or only those who may still see it). Returns how many were told."""
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    target = _load(model, object_id) if model is not None else None
    if target is None:
        return 0
    actor = User.objects.filter(pk=actor_id).first() if actor_id is not None else None
    users = resolve_recipients(event=event, target=target, actor=actor, at=datetime.datetime.fromisoformat(at))
    if not users:
        return 0
    return len(create_notifications(event=event, target=target, actor=actor, users=users, context=context))


# --- Reading, preferences, unsubscribing --------------------------------------------------------------------------


def notification_mark_read(*, actor: User, notification: Notification) -> Notification:
    if notification.recipient_id != actor.pk:
        raise PermissionDenied
    if notification.read_at is None:
        notification.read_at = timezone.now()
        Notification.objects.filter(pk=notification.pk, read_at__isnull=True).update(read_at=notification.read_at)
    return notification


def notifications_mark_all_read(*, actor: User) -> int:
    return Notification.objects.filter(recipient=actor, read_at__isnull=True).update(read_at=timezone.now())


def preferences_save(*, actor: User, email_frequency: str, events: dict[str, tuple[bool, bool]]) -> None:
    """Save the email rhythm and, per event, (on the site, by email). Events left at the default lose their row."""
    if email_frequency not in User.EmailFrequency.values:
        raise ValidationError({"email_frequency": _("Fréquence inconnue.")})
    with transaction.atomic():
        if actor.email_frequency != email_frequency:
            actor.email_frequency = email_frequency
            actor.save(update_fields=["email_frequency"])
        for event, (in_app, email) in events.items():
            if in_app and email:
                NotificationPreference.objects.filter(user=actor, event=event).delete()
            else:
                NotificationPreference.objects.update_or_create(
                    user=actor, event=event, defaults={"in_app": in_app, "email": email}
                )


def unsubscribe(*, user: User, event: str = "") -> None:
    """Stop the emails of one event, or every notification email when ``event`` is empty (one-click link)."""
    with transaction.atomic():
        if event:
            preference, _created = NotificationPreference.objects.get_or_create(user=user, event=event)
            preference.email = False
            preference.save(update_fields=["email"])
        else:
            user.email_frequency = User.EmailFrequency.NEVER
            user.save(update_fields=["email_frequency"])
        Notification.objects.filter(
            recipient=user, email_status=EmailStatus.PENDING, **({"event": event} if event else {})
        ).update(email_status=EmailStatus.SKIPPED)
        audit(actor=user, action="notifications.unsubscribe", target=user, after={"event": event or "*"})


# --- Messages to followers ----------------------------------------------------------------------------------------


def follower_message_send(*, actor: User, space: Any, module: Any = None, subject: str, body: str) -> FollowerMessage:
    """Send a message to the followers of ``space`` (and of ``module`` when given), on the site and by email."""
    if module is not None and module.space_id != space.pk:
        raise ValidationError({"module": _("Ce module n'appartient pas à cet espace.")})
    require(actor, "notifications.send_message", space)
    subject, body = subject.strip(), body.strip()
    if not subject or not body:
        raise ValidationError(_("L'objet et le message sont obligatoires."))
    target = module or space
    with transaction.atomic():
        message = FollowerMessage.objects.create(space=space, module=module, sender=actor, subject=subject, body=body)
        users = selectors.recipients_for(target, actor=actor)
        context = {"message": message.pk, "subject": subject}
        created = create_notifications(
            event=MESSAGE_EVENT, target=target, actor=actor, users=users, context=context, message_id=message.pk
        )
        message.recipients_count = len(created)
        message.save(update_fields=["recipients_count"])
        audit(
            actor=actor,
            action="notifications.message",
            target=target,
            after={"subject": subject, "body": body, "recipients": len(created)},
        )
    return message
