"""``{% load comments %}{% comments_section obj %}``: the comments of a resource, dropped into its page."""

from __future__ import annotations

from typing import Any

from django import template

from participe.comments.models import Stance
from participe.comments.views import section_context

register = template.Library()


@register.inclusion_tag("comments/partials/_section.html", takes_context=True)
def comments_section(context: dict[str, Any], target: Any) -> dict[str, Any]:
    """Counts per stance, sort links, the first page of comments and the form (or why one may not comment)."""
    request = context["request"]
    if not request.user.has_perm("comments.view_comment", target):
        return {"hidden": True}
    return section_context(request, target)


@register.filter
def stance_label(value: str) -> str:
    return str(Stance(value).label) if value in Stance.values else ""
