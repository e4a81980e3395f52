"""Template helpers of the proposals module."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.http import urlencode

register = template.Library()


@register.filter
def urlencode_params(params: dict[str, str] | None) -> str:
    """A dict of GET parameters as a query string (without the "?")."""
    return urlencode(params or {})


@register.inclusion_tag("proposals/partials/_badges.html")
def proposal_badges(proposal: Any) -> dict[str, Any]:
    """Withdrawn, the collectivité's answer or "retenue pour analyse", and "saisie par un agent"."""
    return {
        "proposal": proposal,
        "entered_by_agent": bool(proposal.entered_by_id) or proposal.origin != "online",
    }
