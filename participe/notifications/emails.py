"""Notification emails: one notification, a digest, a message to followers. Plain text and HTML, one-click unsubscribe."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.translation import ngettext

from participe.accounts.models import User
from participe.notifications.display import absolute, details, event_label
from participe.notifications.models import FollowerMessage, Notification
from participe.notifications.tokens import unsubscribe_url
from participe.organisation.models import Organisation

DIGEST_LIMIT = 50  # notifications listed in one digest; the rest are on the notifications page


def _build(user: User, subject: str, template: str, context: dict[str, Any], event: str = "") -> EmailMultiAlternatives:
    """One email to ``user`` with its unsubscribe link in the footer and in the RFC 8058 headers."""
    link = unsubscribe_url(user.pk, event)
    context = {
        "organisation": Organisation.get(),
        "user": user,
        "unsubscribe_url": link,
        "event": event_label(event) if event else "",
        "preferences_url": absolute(reverse("notifications:preferences")),
        "notifications_url": absolute(reverse("notifications:list")),
        "site_url": settings.SITE_URL,
        **context,
    }
    text = render_to_string(f"emails/notifications/{template}.txt", context)
    html = render_to_string(f"emails/notifications/{template}.html", context)
    email = EmailMultiAlternatives(
        subject=" ".join(subject.split()),
        body=text,
        to=[user.email or ""],
        headers={"List-Unsubscribe": f"<{link}>", "List-Unsubscribe-Post": "List-Unsubscribe=One-Click"},
    )
    email.attach_alternative(html, "text/html")
    return email


def _item(notification: Notification) -> dict[str, Any]:
    return {
        "label": event_label(notification.event),
        "target": notification.target_repr,
        "url": absolute(notification.url),
        "details": details(notification),
        "actor": notification.actor.display_name if notification.actor else "",
        "created_at": notification.created_at,
    }


def notification_email(notification: Notification) -> EmailMultiAlternatives:
    """The email of one notification, sent at once."""
    user = notification.recipient
    with translation.override(settings.LANGUAGE_CODE):
        item = _item(notification)
        subject = f"{item['label']} : {item['target']}" if item["target"] else item["label"]
        return _build(user, subject, "notification", {"item": item}, event=notification.event)


def digest_email(user: User, notifications: list[Notification], total: int, frequency: str) -> EmailMultiAlternatives:
    """One email listing what happened since the last digest (the ``DIGEST_LIMIT`` latest, and how many more)."""
    with translation.override(settings.LANGUAGE_CODE):
        if frequency == User.EmailFrequency.WEEKLY:
            subject = ngettext(
                "Votre résumé de la semaine : %(n)d notification",
                "Votre résumé de la semaine : %(n)d notifications",
                total,
            )
        else:
            subject = ngettext(
                "Votre résumé du jour : %(n)d notification", "Votre résumé du jour : %(n)d notifications", total
            )
        items = [_item(n) for n in notifications]
        context = {"items": items, "total": total, "more": max(total - len(items), 0)}
        return _build(user, subject % {"n": total}, "digest", context)


def message_email(message: FollowerMessage, user: User) -> EmailMultiAlternatives:
    """A message of an agent to the followers of a space or module (also shown as the preview)."""
    with translation.override(settings.LANGUAGE_CODE):
        target = message.target
        context = {
            "message": message,
            "target": str(target),
            "target_url": absolute(message.get_absolute_url()),
            "paragraphs": paragraphs(message.body),
        }
        return _build(user, message.subject, "message", context, event="notifications.message")


def paragraphs(body: str) -> list[str]:
    """Plain text split on blank lines (the message form asks for a blank line between paragraphs)."""
    return [p.strip() for p in body.replace("\r\n", "\n").split("\n\n") if p.strip()]


def email_parts(email: EmailMultiAlternatives) -> tuple[str, str]:
    """The plain text and HTML of an email (for the preview page)."""
    html = next((content for content, mimetype in email.alternatives if mimetype == "text/html"), "")
    return str(email.body), str(html)
