"""``{% load notifications %}{% notifications_link %}``: the header link with the unread count."""

from __future__ import annotations

from typing import Any

from django import template

from participe.notifications import display, selectors
from participe.notifications.models import Notification

register = template.Library()


@register.inclusion_tag("notifications/partials/_header_link.html", takes_context=True)
def notifications_link(context: Any) -> dict[str, Any]:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    current = bool(
        request and getattr(request, "resolver_match", None) and request.resolver_match.namespace == "notifications"
    )
    return {"signed_in": signed_in, "unread": selectors.unread_count(user) if signed_in else 0, "current": current}


@register.filter
def event_label(notification: Notification) -> str:
    return display.event_label(notification.event)


@register.filter
def notification_details(notification: Notification) -> list[str]:
    return display.details(notification)
