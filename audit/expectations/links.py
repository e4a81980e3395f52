"""The authorization matrix over the links between modules: the links of an item anyone may see (a published
proposal of the budget space) are open to everyone."""

from __future__ import annotations

from typing import Any

EXPECTATIONS: dict[str, dict[str, set[str]]] = {"api:item_links": {"*": {"ok"}}}


def _published_item() -> dict[str, Any] | None:
    from django.apps import apps

    model = apps.get_model("proposals", "Proposal") if apps.is_installed("participe.modules.proposals") else None
    item = model.objects.filter(status="published").order_by("pk").first() if model else None
    return None if item is None else {"app_label": "proposals", "model": "proposal", "object_id": item.pk}


PARAMS = {"api:item_links": _published_item}
