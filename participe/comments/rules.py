"""Who may read, write, change and moderate comments.

Objects are the commented resource (reading, adding) or a comment (replying, changing, deleting): both have a
``module``, so the phase capability, the eligibility rule and the space's visibility apply to both.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone

from participe.comments.selectors import edit_window
from participe.core.capabilities import Cap
from participe.spaces.predicates import (
    can_participate,
    can_view_space,
    is_authenticated,
    is_org_admin,
    is_space_admin,
    is_space_moderator,
    item_is_visible,
    module_is_published,
)


@rules.predicate
def is_comment_author(user: Any, comment: Any) -> bool:
    return bool(is_authenticated(user) and comment is not None and comment.author_id == user.pk)


@rules.predicate
def is_not_deleted(user: Any, comment: Any) -> bool:
    return comment is not None and comment.deleted_at is None


@rules.predicate
def within_edit_window(user: Any, comment: Any) -> bool:
    return comment is not None and timezone.now() - comment.created_at <= edit_window()


@rules.predicate
def target_accepts_participation(user: Any, target: Any) -> bool:
    """A resource may close itself to new comments (a draft or withdrawn proposal): decision 0006."""
    return bool(getattr(target, "accepts_participation", True))


# The comments of an item are seen by whoever may see the item (not those of a draft or a hidden proposal).
can_view_comments = can_view_space & (module_is_published | is_org_admin | is_space_admin) & item_is_visible
can_moderate_comments = is_org_admin | is_space_moderator

rules.add_perm("comments.view_comment", can_view_comments)
rules.add_perm("comments.add_comment", can_participate(Cap.COMMENT) & target_accepts_participation)
rules.add_perm("comments.change_comment", is_comment_author & is_not_deleted & within_edit_window)
rules.add_perm("comments.delete_comment", is_comment_author & is_not_deleted)
rules.add_perm("comments.moderate_comment", can_moderate_comments)
