"""The items a commitment may answer, offered in its back-office page: what the modules of its space offer as
candidates (decision 0011: ``idea``, ``contribution``, ``project``…), as ``<content type id>:<id>`` values."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model

from participe.commitments.models import Commitment
from participe.core.registry import registry
from participe.links.selectors import candidates

MAX_PER_GROUP = 200


def _kinds() -> list[str]:
    return sorted({offer.kind for _manifest, offer in registry.offers()})


def choices(commitment: Commitment) -> list[tuple[str, list[tuple[str, str]]]]:
    """(group label, [(value, title)]) for each module of the commitment's space offering items."""
    linked = set(commitment.sources.values_list("content_type_id", "object_id"))
    groups = []
    for kind in _kinds():
        for group in candidates(commitment.space, kind):
            content_type = ContentType.objects.get_for_model(group.items.model)
            options = [
                (f"{content_type.pk}:{item.pk}", str(item)[:120])
                for item in group.items[:MAX_PER_GROUP]
                if (content_type.pk, item.pk) not in linked
            ]
            if options:
                groups.append((f"{group.module.title} — {group.offer.name}", options))
    return groups


def resolve(commitment: Commitment, value: str) -> Model | None:
    """The item a posted value names, if the commitment's space offers it now."""
    for _label, options in choices(commitment):
        if any(v == value for v, _title in options):
            type_id, object_id = value.split(":")
            model = ContentType.objects.get_for_id(int(type_id)).model_class()
            return model._default_manager.filter(pk=int(object_id)).first() if model else None
    return None
