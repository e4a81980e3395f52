"""How a notification reads, on the notifications page and in emails."""

from __future__ import annotations

from django.conf import settings
from django.utils.translation import gettext as _

from participe.core.registry import registry
from participe.notifications.models import Notification


def event_label(key: str) -> str:
    """The name a module gave its event (the key itself when nobody declared it)."""
    event = registry.event(key)
    return str(event.name) if event else key


def details(notification: Notification) -> list[str]:
    """Short lines of context the event gave: the resource commented, the reason of a decision, a subject."""
    context = notification.context or {}
    lines = []
    if context.get("subject"):
        lines.append(str(context["subject"]))
    title = context.get("resource_title")
    if title and title != notification.target_repr:
        lines.append(_("Sur « %(title)s »") % {"title": title})
    if context.get("reason"):
        lines.append(_("Motif : %(reason)s") % {"reason": context["reason"]})
    return lines


def absolute(url: str) -> str:
    """An address usable outside the site (in an email)."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL + url
