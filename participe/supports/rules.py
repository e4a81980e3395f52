"""Who may support a resource, and withdraw a support: requirements, so that ``explain`` says why not.

A resource declares the capability supporting it needs (``Resource.support_capability``): a support on a comment is
an act of the discussion, it needs the COMMENT capability of the comment's module. A support on any other
supportable resource needs the SUPPORT capability (and the module's eligibility rule for it), within the module's
allowance of supports per participant.
"""

from typing import Any

import rules
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from participe.core import resources
from participe.core.capabilities import Cap
from participe.core.registry import registry
from participe.permissions.explain import Requirement, Step, add_perm
from participe.permissions.refusals import Reason
from participe.spaces.participation import (
    CANNOT_SEE,
    PHASE_CLOSED,
    good_standing_step,
    not_archived_step,
    participation,
    signed_in_step,
)
from participe.spaces.predicates import can_see_item, can_view_module, is_authenticated, phase_allows
from participe.supports.selectors import has_supported, supports_limit, supports_used


def capability_for(target: Any) -> Cap:
    """The phase capability that supporting ``target`` needs (its resource's ``support_capability``)."""
    resource = registry.resource(target._meta.label)
    return resource.support_capability if resource is not None else Cap.SUPPORT


@rules.predicate
def target_is_published(user: Any, target: Any) -> bool:
    return resources.is_published(target)


@rules.predicate
def target_accepts_participation(user: Any, target: Any) -> bool:
    """A resource may close itself to new supports and comments (a draft or withdrawn proposal): decision 0006."""
    return resources.accepts_participation(target)


@rules.predicate
def has_supported_target(user: Any, target: Any) -> bool:
    """The user supports this item (so may still see it and take the support back when it is hidden)."""
    return bool(is_authenticated(user) and has_supported(user, target))


# The one visibility check of the shared services (a draft, a hidden item: 404 as a missing id), and its supporters
# still see an item hidden since they supported it (the support uses the allowance: its owner must be able to
# withdraw it).
can_view_target = can_see_item | (can_view_module & has_supported_target)


@rules.predicate
def within_supports_limit(user: Any, target: Any) -> bool:
    """The module's allowance of supports per participant is not used up (or the user already supports the item:
    supporting it again changes nothing)."""
    if capability_for(target) != Cap.SUPPORT:
        return True
    limit = supports_limit(target.module)
    return limit is None or supports_used(user, target.module) < limit or bool(has_supported_target(user, target))


def limit_reason(target: Any) -> Reason:
    """The allowance is used up: the participant may free one of their supports (the page "mes soutiens")."""
    limit = supports_limit(target.module) or 0
    return Reason(
        "limit_reached",
        ngettext(
            "Vous avez déjà utilisé votre soutien dans ce module : retirez-le pour soutenir ce projet.",
            "Vous avez déjà utilisé vos %(limit)d soutiens dans ce module : retirez-en un pour soutenir ce projet.",
            limit,
        )
        % {"limit": limit},
        action_url=reverse("supports:mine", kwargs={"module_id": target.module.pk}),
        action_label=_("Voir mes soutiens"),
    )


def pending_reason() -> Reason:
    return Reason(
        "pending_moderation", _("Cet élément est en attente de modération ou masqué : on ne peut pas le soutenir.")
    )


# Supporting: the item takes supports (not a draft, not withdrawn, not hidden), the participant takes part in its
# module (the phase grants SUPPORT, or COMMENT for a comment, and its eligibility rule is met), within the allowance.
ADD_SUPPORT = Requirement(
    Step(
        "accepts_participation",
        target_accepts_participation,
        lambda user, target: Reason("closed_item", _("Cet élément ne peut pas être soutenu pour l'instant.")),
    ),
    Step("published", target_is_published, lambda user, target: pending_reason()),
    participation(capability_for),
    Step("within_limit", within_supports_limit, lambda user, target: limit_reason(target)),
)


def _withdraw_phase_reason(user: Any, target: Any) -> Reason:
    if capability_for(target) == Cap.COMMENT:
        return Reason(PHASE_CLOSED, _("Les commentaires sont clos : on ne peut plus retirer un soutien."))
    return Reason(PHASE_CLOSED, _("L'étape en cours ne permet plus de retirer un soutien."))


# Taking a support back needs no eligibility (a participant may always undo their own act), but only while the
# phase still allows supporting: once supporting closes, the counts are final.
WITHDRAW_SUPPORT = Requirement(
    Step(
        "can_see",
        can_view_target,
        lambda user, target: Reason(CANNOT_SEE, _("Ce contenu ne vous est pas accessible.")),
    ),
    not_archived_step(),
    Step("phase", phase_allows(capability_for), _withdraw_phase_reason),
    signed_in_step(capability_for),
    good_standing_step(),
)

rules.add_perm("supports.view_support", can_view_target)
add_perm("supports.add_support", ADD_SUPPORT)
add_perm("supports.withdraw_support", WITHDRAW_SUPPORT)
