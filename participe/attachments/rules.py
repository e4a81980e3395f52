"""Who may see, add, reorder and remove the attachments of a resource.

Object permissions take the resource (the target) as object: ``user.has_perm("attachments.add_attachment", item)``.
"""

from __future__ import annotations

from typing import Any

import rules

from participe.core import resources
from participe.core.capabilities import Cap
from participe.core.registry import registry
from participe.spaces.predicates import (
    can_participate,
    can_see_item,
    is_authenticated,
    is_space_moderator,
    is_space_staff,
)


def author_id(target: Any) -> int | None:
    """The primary key of the participant who wrote ``target``, through its resource's ``author_field``."""
    resource = registry.resource(target._meta.label)
    field = resource.author_field if resource else None
    if not field:
        return None
    if hasattr(target, f"{field}_id"):
        return getattr(target, f"{field}_id")  # type: ignore[no-any-return]
    author = getattr(target, field, None)
    return getattr(author, "pk", None)


@rules.predicate
def is_target_author(user: Any, target: Any) -> bool:
    return bool(is_authenticated(user) and target is not None and author_id(target) == user.pk)


@rules.predicate
def target_is_published(user: Any, target: Any) -> bool:
    return resources.is_published(target)


# Seeing a resource: the one visibility check of the shared services (``participe.spaces.predicates.can_see_item``).
can_view_target = can_see_item


@rules.predicate
def resource_grants_edit(user: Any, target: Any) -> bool:
    """The target's resource names an ``edit_permission`` that ``user`` holds on it."""
    resource = registry.resource(target._meta.label) if target is not None else None
    permission = resource.edit_permission if resource is not None else None
    return bool(permission and user.has_perm(permission, target))


# Changing a resource's files: its author while the phase lets participants submit or edit their contributions,
# the staff of its space at any time, or whom its resource's ``edit_permission`` names.
can_edit_target = is_authenticated & (
    (is_target_author & (can_participate(Cap.EDIT_OWN) | can_participate(Cap.SUBMIT)))
    | is_space_staff
    | resource_grants_edit
)

rules.add_perm("attachments.view_attachment", can_view_target)
rules.add_perm("attachments.add_attachment", can_edit_target)
rules.add_perm("attachments.change_attachment", can_edit_target)
# Moderators may take down a file (an illegal image) without being able to add any.
rules.add_perm("attachments.delete_attachment", can_edit_target | (is_authenticated & is_space_moderator))
