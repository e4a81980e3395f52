"""``{% load follows %}{% follow_button obj %}``: follow a space, a module or a resource, with or without JavaScript."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from participe.notifications import selectors

register = template.Library()


def follow_context(context: Any, target: Model, *, announce: bool = False) -> dict[str, Any]:
    request = context.get("request")
    user = context.get("user") or getattr(request, "user", None)
    content_type = ContentType.objects.get_for_model(target)
    following = selectors.is_following(user, target)
    return {
        "target": target,
        "content_type_id": content_type.pk,
        "following": following,
        "count": selectors.follower_count(target),
        "user": user,
        "signed_in": bool(getattr(user, "is_authenticated", False)),
        "next": request.get_full_path() if request is not None else "",
        "announce": announce,
        "request": request,
    }


@register.inclusion_tag("notifications/partials/_follow_button.html", takes_context=True)
def follow_button(context: Any, target: Model | None) -> dict[str, Any]:
    """A "Suivre" toggle (``aria-pressed``) with the followers' count; a sign-in link for visitors."""
    if target is None or not selectors.is_followable(target):
        return {"hidden": True}
    return follow_context(context, target)
