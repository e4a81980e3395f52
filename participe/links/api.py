"""Links between modules through the API: what an item was made from and what was made from it."""

from __future__ import annotations

from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model
from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from participe.core.schemas import errors
from participe.links import selectors
from participe.spaces.predicates import item_is_visible

router = Router(tags=["links"])


class LinkedItemOut(Schema):
    type: str
    id: int
    title: str
    url: str
    module_id: int | None


class ItemLinksOut(Schema):
    origins: list[LinkedItemOut]
    derived: list[LinkedItemOut]


def _out(request: HttpRequest, item: Model) -> dict[str, Any]:
    module = getattr(item, "module", None)
    return {
        "type": item._meta.label_lower,
        "id": item.pk,
        "title": str(item),
        "url": request.build_absolute_uri(item.get_absolute_url()),  # type: ignore[attr-defined]
        "module_id": getattr(module, "pk", None),
    }


@router.get("/{app_label}/{model}/{object_id}", response={200: ItemLinksOut, **errors(404)})
def item_links(request: HttpRequest, app_label: str, model: str, object_id: int) -> dict[str, Any]:
    """The items ``app_label.model`` n° ``object_id`` was made from, and those made from it (that you may see)."""
    try:
        content_type = ContentType.objects.get_by_natural_key(app_label, model)
    except ContentType.DoesNotExist:
        raise HttpError(404, "Not found") from None
    model_class = content_type.model_class()
    item = model_class._default_manager.filter(pk=object_id).first() if model_class else None
    if item is None or not item_is_visible(request.user, item):
        raise HttpError(404, "Not found")
    return {
        "origins": [_out(request, i) for i in selectors.origins_of(item, request.user)],
        "derived": [_out(request, i) for i in selectors.derived_from(item, request.user)],
    }
