"""Reads on attachments: those of a target, and resolving a generic reference to a resource."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import QuerySet

from participe.attachments.models import Attachment
from participe.core.registry import registry


def attachments_of(target: models.Model) -> QuerySet[Attachment]:
    """The attachments of ``target``, in their order."""
    return Attachment.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=target.pk
    ).order_by("position", "pk")


def attachments_by_target(targets: Iterable[models.Model]) -> dict[tuple[int, int], list[Attachment]]:
    """The attachments of many targets in one query per model, keyed by ``(content_type_id, object_id)``.

    For list pages, ``prefetch_attachments`` puts each list on its item for the template tag.
    """
    by_type: dict[int, list[int]] = defaultdict(list)
    for target in targets:
        by_type[ContentType.objects.get_for_model(target).pk].append(target.pk)
    found: dict[tuple[int, int], list[Attachment]] = defaultdict(list)
    for content_type_id, ids in by_type.items():
        for attachment in Attachment.objects.filter(content_type_id=content_type_id, object_id__in=ids).order_by(
            "position", "pk"
        ):
            found[(content_type_id, attachment.object_id)].append(attachment)
    return found


def prefetch_attachments(targets: Iterable[models.Model]) -> None:
    """Set ``prefetched_attachments`` on each target, so ``{% attachment_list item %}`` makes no query on list pages."""
    targets = list(targets)
    found = attachments_by_target(targets)
    for target in targets:
        target.prefetched_attachments = found.get(target_reference(target), [])  # type: ignore[attr-defined]


def resolve_target(content_type_id: int, object_id: int) -> models.Model | None:
    """The resource a generic reference points to, when its model is declared with ``attachments=True``."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return None
    model = content_type.model_class()
    resource = registry.resource(model._meta.label) if model is not None else None
    if model is None or resource is None or not resource.attachments:
        return None
    return model._default_manager.filter(pk=object_id).first()  # type: ignore[no-any-return]


def target_reference(target: models.Model) -> tuple[int, int]:
    return ContentType.objects.get_for_model(target).pk, target.pk
