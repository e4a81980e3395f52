"""The predicates every app's ``rules.py`` composes: the user's standing (signed in, organisation administrator,
agent, verified), their role in a space, the visibility of spaces, modules and items, the phase capability and
the module's eligibility rule.

They live here, at the top of the foundation, because they read what the apps below hold (accounts, the services
of the organisation, verifications, spaces and their memberships); the permission layer's mechanism
(``participe.permissions``: ``require``, ``Refused``, ``explain``) sits below every app (decision 0012).

Object predicates accept a Space, a Module, a Phase, or any object with a ``module`` or ``space``
attribute, so a module's rules can be written against its own items.

The roles of the staff (organisation administrator, agent, administrator or moderator of a space) count, for the
person signed in to a request, only once the session passed the second factor
(``participe.permissions.second_factor.roles_count``); until then the person is a resident here, and so in every
rule, selector and page built on these predicates. Membership of a private space is not a staff role: it counts.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import rules
from django.utils import timezone

from participe.core import resources
from participe.core.capabilities import Cap
from participe.core.registry import registry
from participe.permissions.second_factor import roles_count
from participe.spaces.models import Module, Phase, Space, SpaceMembership
from participe.verifications.eligibility import check_eligibility


def space_of(obj: Any) -> Space | None:
    if obj is None:
        return None
    if isinstance(obj, Space):
        return obj
    if isinstance(obj, Module):
        return obj.space
    if isinstance(obj, Phase):
        return obj.module.space
    if hasattr(obj, "module"):
        return space_of(obj.module)
    if hasattr(obj, "space"):
        return space_of(obj.space)
    return None


def module_of(obj: Any) -> Module | None:
    if isinstance(obj, Module):
        return obj
    if isinstance(obj, Phase):
        return obj.module
    module = getattr(obj, "module", None)
    return module if isinstance(module, Module) else None


STAFF_ROLES = frozenset({SpaceMembership.Role.ADMIN, SpaceMembership.Role.MODERATOR})


def request_memo(user: Any) -> dict[str, Any]:
    """Where the answers about ``user`` are kept for the request: the account object's own attributes, also when it
    comes wrapped (``request.user`` is a lazy object around the account the views pass on unwrapped)."""
    wrapped = user.__dict__.get("_wrapped")
    if wrapped is not None and hasattr(wrapped, "__dict__"):
        return wrapped.__dict__  # type: ignore[no-any-return]
    return user.__dict__  # type: ignore[no-any-return]


def _roles(user: Any, space: Space) -> set[str]:
    """The user's roles in a space that count now (cached on the user object for the request): the staff roles
    only in a session that passed the second factor."""
    held = memberships(user).get(space.pk, frozenset())
    return set(held if not held & STAFF_ROLES or roles_count(user) else held - STAFF_ROLES)


def memberships(user: Any) -> dict[int, frozenset[str]]:
    """Every membership of ``user`` (a space's pk → the roles held there, second factor or not), read in one query
    and kept for the request: a page asks for the roles in its démarche, for a role anywhere (the link to the
    back-office) and for the démarches the reader belongs to (the parts kept for readers), issue #12."""
    memo = request_memo(user)
    if "_memberships" not in memo:
        found: dict[int, set[str]] = {}
        for space_id, role in SpaceMembership.objects.filter(user=user).values_list("space_id", "role"):
            found.setdefault(space_id, set()).add(role)
        memo["_memberships"] = {space_id: frozenset(roles) for space_id, roles in found.items()}
    return memo["_memberships"]  # type: ignore[no-any-return]


def agent_services(user: Any) -> list[str]:
    """The names of the services of the collectivité ``user`` is an agent of, in order, kept for the request."""
    memo = request_memo(user)
    if "_services" not in memo:
        memo["_services"] = list(user.services.order_by("name").values_list("name", flat=True))
    return memo["_services"]  # type: ignore[no-any-return]


def counted_space_roles(user: Any) -> list[str]:
    """The roles of space memberships that count for ``user`` now, for selectors that filter memberships: every role,
    or only membership before the second factor."""
    return list(SpaceMembership.Role.values) if roles_count(user) else [SpaceMembership.Role.MEMBER]


@rules.predicate
def is_signed_in(user: Any) -> bool:
    return bool(user and user.is_authenticated)


@rules.predicate
def is_in_good_standing(user: Any) -> bool:
    """A signed-in account that is active and not blocked by moderation."""
    return bool(user and user.is_authenticated and user.is_active and user.blocked_at is None)


@rules.predicate
def is_authenticated(user: Any) -> bool:
    """Signed in, active and not blocked (``is_signed_in & is_in_good_standing``)."""
    return bool(user and user.is_authenticated and user.is_active and user.blocked_at is None)


@rules.predicate
def is_org_admin(user: Any) -> bool:
    """An organisation administrator (or superuser), in a session that passed the second factor."""
    return bool(is_authenticated(user) and (user.is_org_admin or user.is_superuser) and roles_count(user))


def _is_agent_of_a_service(user: Any) -> bool:
    return bool(agent_services(user))


@rules.predicate
def is_agent(user: Any) -> bool:
    """Member of a service of the collectivité, in a session that passed the second factor."""
    return bool(is_authenticated(user) and _is_agent_of_a_service(user) and roles_count(user))


def _has_role(user: Any, obj: Any, *roles_wanted: str) -> bool:
    if not is_authenticated(user):
        return False
    space = space_of(obj)
    if space is None or space.pk is None:
        return False
    return bool(_roles(user, space) & set(roles_wanted))


@rules.predicate
def is_space_admin(user: Any, obj: Any) -> bool:
    return _has_role(user, obj, SpaceMembership.Role.ADMIN)


@rules.predicate
def is_space_moderator(user: Any, obj: Any) -> bool:
    return _has_role(user, obj, SpaceMembership.Role.MODERATOR, SpaceMembership.Role.ADMIN)


@rules.predicate
def is_space_member(user: Any, obj: Any) -> bool:
    return _has_role(user, obj, SpaceMembership.Role.MEMBER, SpaceMembership.Role.MODERATOR, SpaceMembership.Role.ADMIN)


def _administers_or_moderates_a_space(user: Any) -> bool:
    return any(roles & STAFF_ROLES for roles in memberships(user).values())


@rules.predicate
def has_any_space_role(user: Any) -> bool:
    """Administrator or moderator of some space, in a session that passed the second factor."""
    return bool(is_authenticated(user) and _administers_or_moderates_a_space(user) and roles_count(user))


def holds_a_staff_role(user: Any) -> bool:
    """Whether the account holds a role of the staff, second factor or not: whom the back-office asks to activate an
    authenticator or to type its code (no rule may use it: it ignores the session)."""
    if not is_authenticated(user):
        return False
    return bool(
        user.is_org_admin
        or user.is_superuser
        or _is_agent_of_a_service(user)
        or _administers_or_moderates_a_space(user)
    )


@rules.predicate
def is_verified(user: Any) -> bool:
    if not is_authenticated(user):
        return False
    memo = request_memo(user)
    if "_is_verified" not in memo:
        memo["_is_verified"] = user.verifications.active().exists()
    return bool(memo["_is_verified"])


@rules.predicate
def space_is_visible(user: Any, obj: Any) -> bool:
    """Published, and public or the user is a member. Staff of the space see drafts (see rules)."""
    space = space_of(obj)
    if space is None or space.status == Space.Status.DRAFT:
        return False
    if space.visibility == Space.Visibility.PUBLIC:
        return True
    return bool(is_space_member(user, space))


@rules.predicate
def space_is_archived(user: Any, obj: Any) -> bool:
    """An archived space stays readable, but nobody takes part in it any more."""
    space = space_of(obj)
    return space is not None and space.status == Space.Status.ARCHIVED


@rules.predicate
def module_is_published(user: Any, obj: Any) -> bool:
    module = module_of(obj)
    return module is None or module.is_published


@rules.predicate
def item_is_visible(user: Any, obj: Any) -> bool:
    """The user may see the item (a proposal, a debate subject…) by its resource's ``view_permission``; what is
    about an item (a comment: its generic ``target``) is seen through that item. Items whose resource declares no
    such permission are left to the other predicates (space and module visibility)."""
    if obj is None or not hasattr(obj, "_meta"):
        return True
    resource = registry.resource(obj._meta.label)
    permission = resource.view_permission if resource is not None else None
    if permission:
        return bool(user.has_perm(permission, obj))
    target = getattr(obj, "target", None)
    return item_is_visible(user, target) if target is not None and target is not obj else True


def item_author_pk(obj: Any) -> Any:
    """The primary key of the participant who wrote ``obj``, through its resource's ``author_field`` (None when its
    resource names no author)."""
    resource = registry.resource(obj._meta.label) if hasattr(obj, "_meta") else None
    field = resource.author_field if resource is not None else None
    if not field:
        return None
    if hasattr(obj, f"{field}_id"):
        return getattr(obj, f"{field}_id")
    return getattr(getattr(obj, field, None), "pk", None)


@rules.predicate
def is_item_author(user: Any, obj: Any) -> bool:
    """The user wrote the item (its resource's ``author_field``)."""
    return bool(is_authenticated(user) and obj is not None and item_author_pk(obj) == user.pk)


@rules.predicate
def item_is_published(user: Any, obj: Any) -> bool:
    """Not hidden by a moderator nor waiting for one (an item that is not moderated is published)."""
    return resources.is_published(obj)


def _capability(capability: Any, obj: Any) -> Cap:
    """``capability`` itself, or what it answers for ``obj`` when it is a function (supporting a comment is an act of
    the discussion: COMMENT; supporting anything else: SUPPORT)."""
    return capability if isinstance(capability, Cap) else capability(obj)  # type: ignore[no-any-return]


def _name(capability: Any) -> str:
    return capability.value if isinstance(capability, Cap) else getattr(capability, "__name__", "capability")


def phase_allows(capability: Cap | Callable[[Any], Cap]) -> Any:
    """A predicate true while the module's current phase grants ``capability`` (or a function of the object)."""

    @rules.predicate(name=f"phase_allows_{_name(capability)}")
    def predicate(user: Any, obj: Any) -> bool:
        module = module_of(obj)
        if module is None:
            return False
        phase = module.current_phase(timezone.now())
        return phase is not None and _capability(capability, obj) in phase.capabilities

    return predicate


def is_eligible_for(capability: Cap | Callable[[Any], Cap]) -> Any:
    """A predicate applying the module's eligibility rule for ``capability`` (true when there is none)."""

    @rules.predicate(name=f"is_eligible_for_{_name(capability)}")
    def predicate(user: Any, obj: Any) -> bool:
        module = module_of(obj)
        if module is None:
            return False
        return check_eligibility(user, module, _capability(capability, obj)).allowed

    return predicate


# Staff of a space: who can see it in the back-office and while it is a draft.
is_space_staff = is_org_admin | is_space_admin
can_view_space = space_is_visible | is_space_staff | is_space_moderator
can_reach_backoffice = is_org_admin | is_agent | has_any_space_role
# Seeing a module: its space, and the module published (its staff see it before).
can_view_module = can_view_space & (module_is_published | is_org_admin | is_space_admin)
# THE visibility check of an item for every shared service (follows, supports, attachments, reports, links…): its
# module is visible, it is not hidden by moderation (except for its author and the space's moderators and staff),
# and its module lets the user see it (a draft proposal is its author's: the resource's ``view_permission``).
# Whatever fails answers as a missing id would (404): nobody learns that a draft or a hidden item exists.
can_see_item = (
    can_view_module & (item_is_published | is_item_author | is_space_staff | is_space_moderator) & item_is_visible
)


def can_participate(capability: Cap | Callable[[Any], Cap]) -> Any:
    """Signed in, allowed to see the module of a space not archived, the phase grants the capability and the user is
    eligible: the conjunction of the steps of ``participation.participation(capability)``, which explains it."""
    from participe.spaces.participation import participation

    return participation(capability).predicate
