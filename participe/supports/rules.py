"""Who may support a resource, and withdraw a support.

A support on a comment is an act of the discussion: it needs the COMMENT capability of the comment's module.
A support on any other supportable resource needs the SUPPORT capability (and the module's eligibility rule for it).
"""

from typing import Any

import rules

from participe.core.capabilities import Cap
from participe.spaces.predicates import (
    can_participate,
    can_view_space,
    is_authenticated,
    is_space_moderator,
    is_space_staff,
    module_is_published,
    phase_allows,
    space_is_archived,
)

COMMENT_LABEL = "comments.Comment"


def capability_for(target: Any) -> Cap:
    """The phase capability that supporting ``target`` needs."""
    return Cap.COMMENT if target._meta.label == COMMENT_LABEL else Cap.SUPPORT


@rules.predicate
def target_is_comment(user: Any, target: Any) -> bool:
    return bool(target is not None and target._meta.label == COMMENT_LABEL)


@rules.predicate
def target_is_published(user: Any, target: Any) -> bool:
    return getattr(target, "moderation_status", "published") == "published"


@rules.predicate
def target_accepts_participation(user: Any, target: Any) -> bool:
    """A resource may close itself to new supports and comments (a draft or withdrawn proposal): decision 0006."""
    return bool(getattr(target, "accepts_participation", True))


@rules.predicate
def has_supported_target(user: Any, target: Any) -> bool:
    """The user supports this item (so may still see it and take the support back when it is hidden)."""
    from participe.supports.selectors import has_supported

    return bool(is_authenticated(user) and has_supported(user, target))


# An item hidden or waiting for moderation is seen by the space's staff and moderators, and by its supporters
# (a support on a hidden item still uses the allowance: its owner must be able to withdraw it).
can_view_target = (
    can_view_space
    & module_is_published
    & (target_is_published | is_space_staff | is_space_moderator | has_supported_target)
)

add_support = target_accepts_participation & (
    (target_is_comment & can_participate(Cap.COMMENT)) | (~target_is_comment & can_participate(Cap.SUPPORT))
)

# Taking a support back needs no eligibility (a participant may always undo their own act), but only while the
# phase still allows supporting: once supporting closes, the counts are final.
_may_still_act = is_authenticated & can_view_target & ~space_is_archived
withdraw_support = _may_still_act & (
    (target_is_comment & phase_allows(Cap.COMMENT)) | (~target_is_comment & phase_allows(Cap.SUPPORT))
)

rules.add_perm("supports.view_support", can_view_target)
rules.add_perm("supports.add_support", add_support)
rules.add_perm("supports.withdraw_support", withdraw_support)
