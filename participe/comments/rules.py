"""Who may read, write, change and moderate comments.

Objects are the commented resource (reading, adding) or a comment (replying, changing, deleting): both have a
``module``, so the phase capability, the eligibility rule and the space's visibility apply to both.
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.comments.selectors import edit_window
from participe.core import resources
from participe.core.capabilities import Cap
from participe.permissions.explain import Requirement, Step, add_perm
from participe.permissions.refusals import Reason
from participe.spaces.participation import participation
from participe.spaces.predicates import (
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
    return resources.accepts_participation(target)


# The comments of an item are seen by whoever may see the item (not those of a draft or a hidden proposal).
can_view_comments = can_view_space & (module_is_published | is_org_admin | is_space_admin) & item_is_visible
can_moderate_comments = is_org_admin | is_space_moderator


def _window_reason(user: Any, comment: Any) -> Reason:
    minutes = int(edit_window().total_seconds() // 60)
    return Reason(
        "edit_window_over",
        _("Un commentaire ne peut être modifié que dans les %(minutes)s minutes qui suivent sa publication.")
        % {"minutes": minutes},
    )


AUTHOR = Step(
    "author",
    is_comment_author,
    lambda user, comment: Reason("not_author", _("Seul l'auteur peut modifier ou supprimer ce commentaire.")),
)
NOT_DELETED = Step(
    "not_deleted", is_not_deleted, lambda user, comment: Reason("deleted", _("Ce commentaire a été supprimé."))
)
# Commenting (the object is the commented item, or the comment one replies to): the item takes comments (not a
# draft, not withdrawn) and the participant takes part in its module (the phase grants COMMENT, its rule is met).
ADD_COMMENT = Requirement(
    Step(
        "accepts_participation",
        target_accepts_participation,
        lambda user, target: Reason("closed_item", _("On ne peut pas commenter cet élément pour l'instant.")),
    ),
    participation(Cap.COMMENT),
)

rules.add_perm("comments.view_comment", can_view_comments)
add_perm("comments.add_comment", ADD_COMMENT)
add_perm(
    "comments.change_comment", Requirement(AUTHOR, NOT_DELETED, Step("window", within_edit_window, _window_reason))
)
add_perm("comments.delete_comment", Requirement(AUTHOR, NOT_DELETED))
rules.add_perm("comments.moderate_comment", can_moderate_comments)
