"""Reads of the links between modules: the candidates a module may make items from, and the origins and
derived items of an item (those the reader may see)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils.module_loading import import_string

from participe.core.registry import ModuleManifest, Offer, registry
from participe.links.models import Link
from participe.spaces.models import Module, Space
from participe.spaces.predicates import item_is_visible


@dataclass(frozen=True)
class CandidateGroup:
    """The items one module offers now as candidates of a kind, with those already linked."""

    module: Module
    manifest: ModuleManifest
    offer: Offer
    items: QuerySet[Any]
    linked_ids: frozenset[int]


def candidates(space: Space, kind: str) -> list[CandidateGroup]:
    """Every module of ``space`` that offers items of ``kind``, with its items now (e.g. the proposals retained in
    the idea boxes of a démarche, for its budget)."""
    groups = []
    offers = registry.offers(kind)
    types = {manifest.key for manifest, _offer in offers}
    for module in Module.objects.filter(space=space, module_type__in=types).order_by("position", "pk"):
        for manifest, offer in offers:
            if manifest.key != module.module_type:
                continue
            items = import_string(offer.items)(module)
            groups.append(CandidateGroup(module, manifest, offer, items, _linked_ids(offer.resource, items)))
    return groups


def _linked_ids(resource: str, items: QuerySet[Any]) -> frozenset[int]:
    content_type = ContentType.objects.get_by_natural_key(*resource.lower().split("."))
    found = Link.objects.filter(origin_type=content_type, origin_id__in=items.values("pk"))
    return frozenset(found.values_list("origin_id", flat=True))


def is_candidate(item: Model, kind: str) -> bool:
    """``item`` is offered now as a candidate of ``kind`` by its module."""
    module = getattr(item, "module", None)
    if not isinstance(module, Module):
        return False
    for manifest, offer in registry.offers(kind):
        if manifest.key == module.module_type and offer.resource == item._meta.label:
            return bool(import_string(offer.items)(module).filter(pk=item.pk).exists())
    return False


def _items(pairs: Iterable[tuple[int, int]], user: Any) -> list[Model]:
    """The items of (content type id, object id) pairs that exist and that ``user`` may see."""
    by_type: dict[int, list[int]] = {}
    for type_id, object_id in pairs:
        by_type.setdefault(type_id, []).append(object_id)
    found: list[Model] = []
    for type_id, ids in by_type.items():
        model = ContentType.objects.get_for_id(type_id).model_class()
        if model is None:
            continue
        rows = model._default_manager.filter(pk__in=ids)
        if any(f.name == "module" for f in model._meta.get_fields()):
            rows = rows.select_related("module", "module__space")
        found.extend(item for item in rows if item_is_visible(user, item) and _module_visible(user, item))
    return found


def _module_visible(user: Any, item: Model) -> bool:
    module = getattr(item, "module", None)
    viewer = user if user is not None else AnonymousUser()
    return module is None or bool(viewer.has_perm("spaces.view_module", module))


def links_of(item: Model, user: Any) -> tuple[list[Model], list[Model]]:
    """What ``item`` was made from and what was made from it, as far as ``user`` may see (one query, none where no
    module offers anything)."""
    if not registry.offers():
        return [], []
    content_type = ContentType.objects.get_for_model(item)
    rows = list(
        Link.objects.filter(
            Q(derived_type=content_type, derived_id=item.pk) | Q(origin_type=content_type, origin_id=item.pk)
        )
        .order_by("pk")
        .values_list("origin_type_id", "origin_id", "derived_type_id", "derived_id")
    )
    origins = [(t, i) for t, i, dt, di in rows if (dt, di) == (content_type.pk, item.pk)]
    derived = [(dt, di) for t, i, dt, di in rows if (t, i) == (content_type.pk, item.pk)]
    return _items(origins, user), _items(derived, user)


def origins_of(item: Model, user: Any) -> list[Model]:
    """What ``item`` was made from, as far as ``user`` may see."""
    return links_of(item, user)[0]


def derived_from(item: Model, user: Any) -> list[Model]:
    """What was made from ``item``, as far as ``user`` may see."""
    return links_of(item, user)[1]
