"""``{% item_commitments item %}``: the commitments that answer an item, on the item's page (any module).

``{% commitment_progress commitment %}``: its status, progress bar and overdue mark."""

from __future__ import annotations

from typing import Any

from django import template

from participe.commitments import selectors
from participe.commitments.models import Commitment

register = template.Library()


@register.inclusion_tag("commitments/partials/_item_commitments.html", takes_context=True)
def item_commitments(context: dict[str, Any], item: Any) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    return {"commitments": selectors.answering(item, user) if user is not None else []}


@register.inclusion_tag("commitments/partials/_progress.html")
def commitment_progress(commitment: Commitment) -> dict[str, Any]:
    return {"commitment": commitment}
