"""The resource protocol of decision 0006: what an item of a module (a proposal, a debate subject, a comment…) offers
the shared participation services (comments, supports, follows, moderation, notifications, attachments, search).

The services receive items they do not know (platform apps never import a module): they type them with these
protocols instead of reading attributes blindly, and read the optional members through the functions below, which
hold their defaults in one place. ``participe.core.registry.Resource`` declares which services an item type takes
part in; this module says what the item itself offers.
"""

from __future__ import annotations

from typing import Any, Protocol, cast

PUBLISHED = "published"  # participe.core.models.ModerationStatus.PUBLISHED


class ResourceItem(Protocol):
    """Any item of a declared resource: a saved model instance that belongs to a module of a space."""

    pk: Any
    _meta: Any
    # The ``spaces.Module`` it belongs to: its phases, eligibility rules and the space's visibility decide who may
    # take part (typed loosely: the core tier knows no domain model).
    module: Any
    module_id: Any

    def get_absolute_url(self) -> str: ...

    def __str__(self) -> str: ...  # its title


class InteractiveItem(ResourceItem, Protocol):
    """A commentable, supportable or reportable item (``participe.core.models.InteractiveModel``): its counters,
    written by their owner only under a row lock, and its moderation status."""

    comments_count: int
    supports_count: int
    followers_count: int
    reports_count: int
    moderation_status: str
    moderated_at: Any


def item(obj: Any) -> ResourceItem:
    """``obj`` seen as a resource item (a model instance the registry declares)."""
    return cast(ResourceItem, obj)


def interactive(obj: Any) -> InteractiveItem:
    """``obj`` seen as an interactive item (its model inherits ``InteractiveModel``)."""
    return cast(InteractiveItem, obj)


# --- optional members, read with their default ------------------------------------------------------------------
def accepts_participation(obj: Any) -> bool:
    """False refuses new supports and comments (a draft or a withdrawn proposal); True when the item does not say."""
    return bool(getattr(obj, "accepts_participation", True))


def is_searchable(obj: Any) -> bool:
    """False keeps the item out of the search index (a draft); True when the item does not say."""
    return bool(getattr(obj, "is_searchable", True))


def moderation_status(obj: Any) -> str:
    """The item's moderation status; an item that is not moderated is published."""
    return str(getattr(obj, "moderation_status", PUBLISHED))


def is_published(obj: Any) -> bool:
    """Not hidden nor waiting for a moderator."""
    return moderation_status(obj) == PUBLISHED


def module_of(obj: Any) -> Any:
    """The module an item belongs to, or None for what belongs to no module (a news post of a space)."""
    return getattr(obj, "module", None)


def count(obj: Any, counter: str) -> int:
    """One of the item's counters (0 when it keeps no such counter)."""
    return int(getattr(obj, counter, 0) or 0)
