"""Reads about supports: which items a participant supports, how many supports they have left."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet

from participe.core.registry import registry
from participe.supports.models import Support


def supportable_target(content_type_id: int, object_id: int) -> Model | None:
    """The resource a URL names, when its model is declared supportable (else None: the caller answers 404)."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return None
    model = content_type.model_class()
    if model is None:
        return None
    resource = registry.resource(model._meta.label)
    if resource is None or not resource.supportable:
        return None
    queryset: QuerySet[Any] = model._default_manager.all()
    if hasattr(model, "module"):
        # The phases once: the permission, the allowance and the button ask for the current phase (issue #12).
        queryset = queryset.select_related("module__space").prefetch_related("module__phases")
    return queryset.filter(pk=object_id).first()  # type: ignore[no-any-return]


def is_supportable(target: Model) -> bool:
    resource = registry.resource(target._meta.label)
    return resource is not None and resource.supportable


def target_reference(target: Model) -> tuple[int, int]:
    """``(content_type_id, object_id)`` of a resource, as the URLs of supports carry them."""
    return ContentType.objects.get_for_model(target).pk, int(target.pk)


def supports_of(target: Model) -> QuerySet[Support]:
    content_type_id, object_id = target_reference(target)
    return Support.objects.filter(content_type_id=content_type_id, object_id=object_id)


def has_supported(user: Any, target: Model) -> bool:
    if not getattr(user, "is_authenticated", False):
        return False
    return supports_of(target).filter(user=user).exists()


def supported_ids(user: Any, targets: Sequence[Model] | Iterable[Model]) -> set[int]:
    """The primary keys of those ``targets`` that ``user`` supports, in one query.

    For a list page: compute it once and pass it to ``{% support_button item supported_ids=… %}``.
    The targets may be of several models; the keys returned are then those of every model together, so
    pass targets of one model at a time when their primary keys may collide.
    """
    items = [t for t in targets if t is not None and t.pk is not None]
    if not items or not getattr(user, "is_authenticated", False):
        return set()
    by_type: dict[int, list[int]] = {}
    for item in items:
        by_type.setdefault(ContentType.objects.get_for_model(item).pk, []).append(int(item.pk))
    query = Support.objects.filter(user=user)
    condition = Q()
    for content_type_id, ids in by_type.items():
        condition |= Q(content_type_id=content_type_id, object_id__in=ids)
    return set(query.filter(condition).values_list("object_id", flat=True))


def supports_limit(module: Any) -> int | None:
    """The module's allowance of supports per participant (setting ``supports_limit``), or None when unlimited.

    The current phase's overrides apply. A missing, empty, zero or malformed value means unlimited.
    """
    values = module.effective_settings(module.current_phase())
    try:
        limit = int(values.get("supports_limit") or 0)
    except (TypeError, ValueError):
        return None
    return limit if limit > 0 else None


def supports_used(user: Any, module: Any) -> int:
    """How many of the module's allowance ``user`` has used (supports on comments are not counted)."""
    if not getattr(user, "is_authenticated", False):
        return 0
    return Support.objects.filter(user=user, module=module, counts_toward_limit=True).count()


def supports_left(user: Any, module: Any) -> int | None:
    """How many more resources of ``module`` the user may support, or None when the module sets no limit."""
    limit = supports_limit(module)
    if limit is None:
        return None
    return max(0, limit - supports_used(user, module))


def my_supports(user: Any, module: Any) -> QuerySet[Support]:
    """The user's supports in a module, newest first, their targets prefetched."""
    return (
        Support.objects.filter(user=user, module=module)
        .select_related("content_type")
        .prefetch_related("target")
        .order_by("-created_at", "-pk")
    )
