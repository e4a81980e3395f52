"""Who may read, submit, change and withdraw proposals, and who analyses and answers them in the back-office.

Supporting and commenting a proposal are decided by the supports and comments apps (the phase grants
``Cap.SUPPORT`` / ``Cap.COMMENT`` and the participant meets the module's eligibility rule for it).
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from participe.assignments.rules import is_agent_of_assigned_service
from participe.core.capabilities import Cap
from participe.core.models import ModerationStatus
from participe.permissions.explain import Requirement, Step, add_perm
from participe.permissions.refusals import NOT_ALLOWED, Reason
from participe.spaces.participation import (
    CANNOT_SEE,
    good_standing_step,
    not_archived_step,
    participation,
    phase_closed_reason,
    sign_in_to,
)
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

rules.add_perm("proposals.view_proposal", can_view_module & (is_public | is_author | can_moderate))


# --- What authors may do, each declared as steps with their reasons (so that ``explain`` says why not) ----------
def _reason(code: str, message: Any) -> Any:
    return lambda user, obj: Reason(code, message)


SUBMIT = participation(Cap.SUBMIT).replacing("signed_in", sign_in_to(_("Connectez-vous pour déposer une proposition.")))
AUTHOR = Step("author", is_author, _reason("not_author", _("Seul l'auteur de la proposition peut faire cela.")))
# Changing, withdrawing: the author, signed in and in good standing, who sees the module of a space not archived.
AUTHOR_MAY_ACT = Requirement(
    Step("can_see", can_view_module, _reason(CANNOT_SEE, _("Ce contenu ne vous est pas accessible."))),
    not_archived_step(),
    sign_in_to(_("Connectez-vous pour modifier vos propositions.")),
    good_standing_step(),
    AUTHOR,
)
# A draft is written while submitting is open; a published proposal is changed by its author while nobody
# supports it (supporters must keep supporting what they read) and the phase lets authors edit.
editable = (is_draft & can_participate(Cap.SUBMIT)) | (
    is_published & has_no_support & has_no_answer & (phase_allows(Cap.EDIT_OWN) | phase_allows(Cap.SUBMIT))
)


def why_not_editable(user: Any, proposal: Any) -> Reason:
    """Why the author may not change ``proposal`` now (the other steps passed)."""
    if proposal.status == "withdrawn":
        return Reason("withdrawn", _("Cette proposition a été retirée : elle ne peut plus être modifiée."))
    if proposal.answer_status:
        return Reason("answered", _("La collectivité a répondu à cette proposition : elle ne peut plus être modifiée."))
    if proposal.status == "published" and proposal.supports_count:
        return Reason(
            "supported",
            _("Cette proposition est déjà soutenue : elle ne peut plus être modifiée, pour respecter ses soutiens."),
        )
    if proposal.status == "draft":
        return SUBMIT.explain(user, proposal).reason or NOT_ALLOWED
    return phase_closed_reason(Cap.EDIT_OWN, proposal.module)


# Object: the module.
add_perm(
    "proposals.add_proposal",
    Requirement(
        Step(
            "proposals_module",
            is_proposals_module,
            _reason("wrong_module", _("Ce module n'est pas une boîte à idées.")),
        ),
        SUBMIT,
    ),
)
# Objects: a proposal.
add_perm("proposals.change_proposal", AUTHOR_MAY_ACT + Step("editable", editable, why_not_editable))
add_perm(
    "proposals.publish_proposal",
    Requirement(
        SUBMIT, AUTHOR, Step("draft", is_draft, _reason("not_draft", _("Cette proposition est déjà déposée.")))
    ),
)
add_perm(
    "proposals.delete_proposal",
    Requirement(
        sign_in_to(_("Connectez-vous pour supprimer vos brouillons.")),
        good_standing_step(),
        AUTHOR,
        Step("draft", is_draft, _reason("not_draft", _("Seul un brouillon peut être supprimé."))),
    ),
)
# Withdrawing is possible until the collectivité answers: after that the answer and its history stay public.
add_perm(
    "proposals.withdraw_proposal",
    AUTHOR_MAY_ACT
    + Step("published", is_published, _reason("not_published", _("Seule une proposition déposée peut être retirée.")))
    + Step(
        "not_answered",
        has_no_answer,
        _reason("answered", _("La collectivité a répondu à cette proposition : elle ne peut plus être retirée.")),
    ),
)


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
