"""Who may read, submit, change and withdraw proposals, and who analyses and answers them in the back-office.

Supporting and commenting a proposal are decided by the supports and comments apps (the phase grants
``Cap.SUPPORT`` / ``Cap.COMMENT`` and the participant meets the module's eligibility rule for it).
"""

from __future__ import annotations

from typing import Any

import rules

from participe.assignments.rules import is_agent_of_assigned_service
from participe.core.capabilities import Cap
from participe.core.models import ModerationStatus
from participe.spaces.predicates import (
    can_participate,
    can_view_space,
    is_agent,
    is_authenticated,
    is_org_admin,
    is_space_admin,
    is_space_moderator,
    is_space_staff,
    module_is_published,
    phase_allows,
    space_is_archived,
)


@rules.predicate
def is_proposals_module(user: Any, module: Any) -> bool:
    return bool(module is not None and getattr(module, "module_type", None) == "proposals")


@rules.predicate
def is_author(user: Any, proposal: Any) -> bool:
    return bool(proposal is not None and is_authenticated(user) and proposal.author_id == user.pk)


@rules.predicate
def is_draft(user: Any, proposal: Any) -> bool:
    return bool(proposal is not None and proposal.status == "draft")


@rules.predicate
def is_published(user: Any, proposal: Any) -> bool:
    return bool(proposal is not None and proposal.status == "published")


@rules.predicate
def is_public(user: Any, proposal: Any) -> bool:
    """Published (or withdrawn: its page stays, marked) and not hidden nor waiting for moderation."""
    return bool(
        proposal is not None
        and proposal.status in ("published", "withdrawn")
        and proposal.moderation_status == ModerationStatus.PUBLISHED
    )


@rules.predicate
def has_no_support(user: Any, proposal: Any) -> bool:
    return bool(proposal is not None and proposal.supports_count == 0)


@rules.predicate
def has_no_answer(user: Any, proposal: Any) -> bool:
    return bool(proposal is not None and not proposal.answer_status)


can_view_module = can_view_space & (module_is_published | is_org_admin | is_space_admin)
# Moderators see what they moderate (marked); the author sees their own drafts and pending proposals.
can_moderate = is_org_admin | is_space_moderator
may_act = is_authenticated & ~space_is_archived & can_view_module

rules.add_perm("proposals.view_proposal", can_view_module & (is_public | is_author | can_moderate))
# Object: the module.
rules.add_perm("proposals.add_proposal", is_proposals_module & can_participate(Cap.SUBMIT))
# A draft is written while submitting is open; a published proposal is changed by its author while nobody
# supports it (supporters must keep supporting what they read) and the phase lets authors edit.
rules.add_perm(
    "proposals.change_proposal",
    is_author
    & may_act
    & (
        (is_draft & phase_allows(Cap.SUBMIT)) & can_participate(Cap.SUBMIT)
        | (is_published & has_no_support & has_no_answer & (phase_allows(Cap.EDIT_OWN) | phase_allows(Cap.SUBMIT)))
    ),
)
rules.add_perm("proposals.publish_proposal", is_author & is_draft & can_participate(Cap.SUBMIT))
rules.add_perm("proposals.delete_proposal", is_author & is_draft & is_authenticated)
# Withdrawing is possible until the collectivité answers: after that the answer and its history stay public.
rules.add_perm("proposals.withdraw_proposal", is_author & may_act & is_published & has_no_answer)


# --- The back-office: analysis and answers -----------------------------------------------------------------
# - The staff of the space (organisation administrators, administrators of the space) run the module: they see
# every proposal, assign them to the services, publish the answers, export, import, enter proposals received on
# paper.
# - The agents of a service see and analyse the proposals assigned to their service (notes, feasibility, cost,
# a prepared answer); the staff of the space publish what they prepared. Any agent may enter a proposal received
# at the counter, on paper or in a meeting for a resident.
# - Routing to services is the platform's (participe.assignments): the resource names
# ``proposals.manage_proposals`` as the permission that gives proposals to a service.


can_manage = is_space_staff
can_see_module_analysis = is_space_staff | is_agent
can_analyse = is_space_staff | is_agent_of_assigned_service

# Object: the module.
rules.add_perm("proposals.manage_proposals", can_manage)
rules.add_perm("proposals.view_analysis", can_see_module_analysis)
rules.add_perm("proposals.export_proposals", can_see_module_analysis)
rules.add_perm("proposals.import_proposals", can_manage)
rules.add_perm("proposals.enter_on_behalf", can_see_module_analysis)
# Object: a proposal.
rules.add_perm("proposals.analyse_proposal", can_analyse)
rules.add_perm("proposals.publish_answer", can_manage)
