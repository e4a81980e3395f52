"""Who may support a resource, and withdraw a support.

A resource declares the capability supporting it needs (``Resource.support_capability``): a support on a comment is
an act of the discussion, it needs the COMMENT capability of the comment's module. A support on any other
supportable resource needs the SUPPORT capability (and the module's eligibility rule for it).
"""

from typing import Any

import rules

from participe.core.capabilities import Cap
from participe.core.registry import registry
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
from participe.supports.selectors import has_supported


def capability_for(target: Any) -> Cap:
    """The phase capability that supporting ``target`` needs (its resource's ``support_capability``)."""
    resource = registry.resource(target._meta.label)
    return resource.support_capability if resource is not None else Cap.SUPPORT


@rules.predicate
def supports_discussion(user: Any, target: Any) -> bool:
    """Supporting ``target`` is an act of the discussion (a comment): it needs the COMMENT capability."""
    return bool(target is not None and capability_for(target) == Cap.COMMENT)


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
    return bool(is_authenticated(user) and has_supported(user, target))


# An item hidden or waiting for moderation is seen by the space's staff and moderators, and by its supporters
# (a support on a hidden item still uses the allowance: its owner must be able to withdraw it).
can_view_target = (
    can_view_space
    & module_is_published
    & (target_is_published | is_space_staff | is_space_moderator | has_supported_target)
)

add_support = target_accepts_participation & (
    (supports_discussion & can_participate(Cap.COMMENT)) | (~supports_discussion & can_participate(Cap.SUPPORT))
)

# Taking a support back needs no eligibility (a participant may always undo their own act), but only while the
# phase still allows supporting: once supporting closes, the counts are final.
_may_still_act = is_authenticated & can_view_target & ~space_is_archived
withdraw_support = _may_still_act & (
    (supports_discussion & phase_allows(Cap.COMMENT)) | (~supports_discussion & phase_allows(Cap.SUPPORT))
)

rules.add_perm("supports.view_support", can_view_target)
rules.add_perm("supports.add_support", add_support)
rules.add_perm("supports.withdraw_support", withdraw_support)
