"""Reads of the notifications app: followers, recipients of an event, a user's notifications."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from participe.accounts.models import User
from participe.core.models import ModerationStatus
from participe.core.pagination import KeysetPage, keyset_paginate
from participe.core.registry import registry
from participe.notifications.models import Follow, Notification
from participe.spaces.models import Module, Space
from participe.spaces.predicates import module_of, space_of

NOTIFICATION_ORDERING = ("-created_at", "-id")


def is_followable(target: Any) -> bool:
    """Spaces and modules always are; a resource when its manifest flags it ``followable``."""
    if isinstance(target, Space | Module):
        return True
    if not isinstance(target, Model) or target.pk is None:
        return False
    resource = registry.resource(target._meta.label)
    return bool(resource and resource.followable)


def _ref(target: Model) -> tuple[ContentType, Any]:
    return ContentType.objects.get_for_model(target), target.pk


def is_following(user: Any, target: Model) -> bool:
    if not getattr(user, "is_authenticated", False) or target.pk is None:
        return False
    content_type, object_id = _ref(target)
    return Follow.objects.filter(user=user, content_type=content_type, object_id=object_id).exists()


def follower_count(target: Model) -> int:
    """The denormalised counter when the target has one (InteractiveModel), otherwise a count."""
    if hasattr(target, "followers_count"):
        return int(target.followers_count)
    content_type, object_id = _ref(target)
    return Follow.objects.filter(content_type=content_type, object_id=object_id).count()


def targets_of(target: Model) -> list[Model]:
    """What one event concerns, from the closest to the widest: the target, the resource it belongs to
    (a comment's ``target``), its module and its space. Each one's followers hear about the event."""
    chain: list[Model] = [target]
    parent = getattr(target, "target", None)
    if isinstance(parent, Model) and parent is not target:
        chain.append(parent)
    module = module_of(target)
    if module is not None:
        chain.append(module)
    space = space_of(target)
    if space is not None:
        chain.append(space)
    seen: set[tuple[str, Any]] = set()
    unique = []
    for obj in chain:
        key = (obj._meta.label, obj.pk)
        if obj.pk is not None and key not in seen:
            seen.add(key)
            unique.append(obj)
    return unique


def followers_of(targets: Iterable[Model]) -> QuerySet[User]:
    """Active accounts following any of ``targets`` (each user once)."""
    condition = Q(pk__in=[])
    for obj in targets:
        content_type, object_id = _ref(obj)
        condition |= Q(content_type=content_type, object_id=object_id)
    follower_ids = Follow.objects.filter(condition).values("user_id")
    return reachable_users(User.objects.filter(pk__in=follower_ids))


def reachable_users(users: QuerySet[User]) -> QuerySet[User]:
    """Accounts that can still be told something: active, not blocked, not deleted."""
    return users.filter(is_active=True, blocked_at__isnull=True, is_deleted=False)


def is_published(obj: Any) -> bool:
    """Not hidden by moderation nor waiting for it (objects without a moderation status always are)."""
    status = getattr(obj, "moderation_status", ModerationStatus.PUBLISHED)
    return bool(status == ModerationStatus.PUBLISHED)


def may_see(user: User, target: Model) -> bool:
    """Whether ``user`` may see ``target``: a space or a module by their rules, anything else by the one visibility
    check of the shared services (``spaces.view_item``: not a draft, not hidden, in a visible module)."""
    if isinstance(target, Space):
        return bool(user.has_perm("spaces.view_space", target))
    if isinstance(target, Module):
        return bool(user.has_perm("spaces.view_module", target))
    if module_of(target) is None and space_of(target) is None:
        return True
    return bool(user.has_perm("spaces.view_item", target))


def everyone_may_see(target: Model) -> bool:
    """True when the target is in a published public space and module: no per-user check is needed."""
    space = space_of(target)
    module = module_of(target)
    if space is None or not space.is_public or space.status == Space.Status.DRAFT:
        return space is None and module is None
    return module is None or module.is_published


def recipients_for(target: Model, *, actor: Any = None) -> list[User]:
    """The followers of the target, its resource, module and space who may see it, the actor excepted.

    Nobody is told about hidden content (hidden by a moderator, or waiting for moderation).
    """
    chain = targets_of(target)
    if not all(is_published(obj) for obj in chain):
        return []
    users = followers_of(chain)
    if getattr(actor, "pk", None):
        users = users.exclude(pk=actor.pk)
    users = users.order_by("pk")
    if everyone_may_see(target):
        return list(users)
    return [user for user in users.iterator(chunk_size=500) if may_see(user, target)]


JUST_TOLD = datetime.timedelta(minutes=1)


def just_told_about(target: Model, *, event: str, at: datetime.datetime | None = None) -> set[int]:
    """Who was told about ``target`` a moment before ``at`` (the act; now by default) or since, by another, more
    precise event of the same act.

    A reply notifies the author of the comment answered ("comments.reply"), then the followers ("comments.new"):
    the author, if they follow too, hears about it once — however late the background task telling the followers.
    """
    content_type, object_id = _ref(target)
    since = (at or timezone.now()) - JUST_TOLD
    return set(
        Notification.objects.filter(content_type=content_type, object_id=object_id, created_at__gte=since)
        .exclude(event=event)
        .values_list("recipient_id", flat=True)
    )


def filter_recipients(users: Iterable[Any], target: Model, *, actor: Any = None) -> list[User]:
    """Explicit recipients, deduplicated, reachable, the actor excepted, and allowed to see the target."""
    ids = {u.pk for u in users if getattr(u, "pk", None)}
    if getattr(actor, "pk", None):
        ids.discard(actor.pk)
    found = reachable_users(User.objects.filter(pk__in=ids)).order_by("pk")
    everyone = everyone_may_see(target)
    return [user for user in found if everyone or may_see(user, target)]


# --- A user's notifications ---------------------------------------------------------------------------------------


def notifications_of(user: Any) -> QuerySet[Notification]:
    return Notification.objects.filter(recipient=user, in_app=True).select_related("actor")


def notification_page(user: Any, *, cursor: str | None, size: int = 20) -> KeysetPage[Notification]:
    return keyset_paginate(notifications_of(user), ordering=NOTIFICATION_ORDERING, cursor=cursor, size=size)


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, in_app=True, read_at__isnull=True).count()


def follows_of(user: Any) -> QuerySet[Follow]:
    return Follow.objects.filter(user=user).select_related("content_type").order_by("-created_at", "-id")
