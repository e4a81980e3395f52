"""Who may do what in the back-office of a proposals module."""

from __future__ import annotations

import pytest

from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.spaces.models import SpaceMembership
from tests.factories import ServiceFactory, UserFactory, make_agent, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db

MODULE_PERMS = (
    "proposals.manage_proposals",
    "proposals.view_analysis",
    "proposals.export_proposals",
    "proposals.import_proposals",
    "proposals.enter_on_behalf",
)


def perms_of(user, module, proposal) -> dict[str, bool]:
    found = {perm: user.has_perm(perm, module) for perm in MODULE_PERMS}
    found["analyse"] = user.has_perm("proposals.analyse_proposal", proposal)
    found["publish"] = user.has_perm("proposals.publish_answer", proposal)
    return found


def test_staff_of_the_space_do_everything():
    module = ProposalModuleFactory()
    proposal = ProposalFactory(module=module)
    for user in (make_org_admin(), make_space_role(module.space, SpaceMembership.Role.ADMIN)):
        assert all(perms_of(user, module, proposal).values())


def test_an_agent_analyses_the_proposals_of_their_service_only():
    module = ProposalModuleFactory()
    service = ServiceFactory()
    agent = make_agent()
    service.members.add(agent)
    theirs = ProposalFactory(module=module, service=service)
    other = ProposalFactory(module=module, service=ServiceFactory())
    unassigned = ProposalFactory(module=module)
    found = perms_of(agent, module, theirs)
    assert found == {
        "proposals.manage_proposals": False,
        "proposals.view_analysis": True,
        "proposals.export_proposals": True,
        "proposals.import_proposals": False,
        "proposals.enter_on_behalf": True,
        "analyse": True,
        "publish": False,
    }
    assert not agent.has_perm("proposals.analyse_proposal", other)
    assert not agent.has_perm("proposals.analyse_proposal", unassigned)


@pytest.mark.parametrize("role", [None, SpaceMembership.Role.MEMBER, SpaceMembership.Role.MODERATOR])
def test_residents_members_and_moderators_have_no_analysis_rights(role):
    module = ProposalModuleFactory()
    proposal = ProposalFactory(module=module)
    user = make_space_role(module.space, role) if role else UserFactory()
    assert not any(perms_of(user, module, proposal).values())


def test_a_blocked_agent_loses_every_right():
    from django.utils import timezone

    module = ProposalModuleFactory()
    admin = make_org_admin()
    admin.blocked_at = timezone.now()
    admin.save()
    assert not any(perms_of(admin, module, ProposalFactory(module=module)).values())
