"""``{% item_links item %}``: what an item was made from and what was made from it, in other modules."""

from __future__ import annotations

from typing import Any

from django import template

from participe.links import selectors

register = template.Library()


@register.inclusion_tag("links/partials/_item_links.html", takes_context=True)
def item_links(context: dict[str, Any], item: Any) -> dict[str, Any]:
    user = context["request"].user
    origins, derived = selectors.links_of(item, user)
    return {"origins": origins, "derived": derived}
