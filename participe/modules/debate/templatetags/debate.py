"""Template helpers of the debate module."""

from __future__ import annotations

from typing import Any

from django import template

from participe.modules.debate.selectors import stance_shares

register = template.Library()


@register.inclusion_tag("debate/partials/_stance_counts.html")
def stance_counts(subject: Any, heading_level: int = 0) -> dict[str, Any]:
    """The comments of each stance on a subject, in words and figures (a bar for sighted readers)."""
    return {"subject": subject, "shares": stance_shares(subject), "heading_level": heading_level}
