"""``{% bilan_audience space as seen %}``: the public part of the statistics on a démarche's bilan (the page views
and visits of its pages since the counter kept them), or None when ``PARTICIPE_AUDIENCE_PUBLIC_ON_BILAN`` is off."""

from __future__ import annotations

from typing import Any

from django import template
from django.conf import settings

from participe.audience.selectors import space_audience

register = template.Library()


@register.simple_tag
def bilan_audience(space: Any) -> dict[str, int] | None:
    if not getattr(settings, "PARTICIPE_AUDIENCE_PUBLIC_ON_BILAN", False) or space is None:
        return None
    views, visits = space_audience(space)
    return {"views": views, "visits": visits}
