"""Who may read, submit, change, deposit, withdraw and delete proposals, phase by phase."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participe.core.models import ModerationStatus
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory, switch_phase
from participe.spaces.models import Space
from participe.verifications.models import EligibilityRule
from tests.factories import UserFactory, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def module():
    return ProposalModuleFactory()


def test_visitors_read_published_proposals(module):
    visitor = UserFactory()
    published = ProposalFactory(module=module)
    assert visitor.has_perm("proposals.view_proposal", published)
    withdrawn = ProposalFactory(module=module, status=Proposal.Status.WITHDRAWN)
    assert visitor.has_perm("proposals.view_proposal", withdrawn)  # its page stays, marked


@pytest.mark.parametrize(
    "values",
    [
        {"status": Proposal.Status.DRAFT},
        {"moderation_status": ModerationStatus.PENDING},
        {"moderation_status": "hidden"},
    ],
)
def test_drafts_and_moderated_proposals_are_for_their_author_and_moderators(module, values):
    proposal = ProposalFactory(module=module, **values)
    assert not UserFactory().has_perm("proposals.view_proposal", proposal)
    assert proposal.author.has_perm("proposals.view_proposal", proposal)
    if "moderation_status" in values:
        assert make_space_role(module.space, "moderator").has_perm("proposals.view_proposal", proposal)
        assert make_org_admin().has_perm("proposals.view_proposal", proposal)


def test_private_spaces_are_for_members():
    module = ProposalModuleFactory(space__visibility=Space.Visibility.PRIVATE)
    proposal = ProposalFactory(module=module)
    assert not UserFactory().has_perm("proposals.view_proposal", proposal)
    assert make_space_role(module.space, "member").has_perm("proposals.view_proposal", proposal)


@pytest.mark.parametrize(
    ("phase", "submit", "edit_published"),
    [("depot", True, True), ("soutiens", False, False), ("analyse", False, False), ("resultats", False, False)],
)
def test_submitting_and_editing_follow_the_phase(module, phase, submit, edit_published):
    switch_phase(module, phase)
    user = UserFactory()
    assert user.has_perm("proposals.add_proposal", module) is submit
    proposal = ProposalFactory(module=module, author=user)
    draft = ProposalFactory(module=module, author=user, status=Proposal.Status.DRAFT)
    assert user.has_perm("proposals.change_proposal", proposal) is edit_published
    assert user.has_perm("proposals.change_proposal", draft) is submit
    assert user.has_perm("proposals.publish_proposal", draft) is submit
    assert user.has_perm("proposals.delete_proposal", draft)  # one may always delete one's draft
    assert user.has_perm("proposals.withdraw_proposal", proposal)


def test_no_phase_no_submission(module):
    module.phases.all().delete()
    assert not UserFactory().has_perm("proposals.add_proposal", module)


def test_only_the_author_changes_and_withdraws(module):
    proposal = ProposalFactory(module=module)
    other = UserFactory()
    for perm in ("change", "withdraw", "publish", "delete"):
        assert not other.has_perm(f"proposals.{perm}_proposal", proposal)
    from django.contrib.auth.models import AnonymousUser

    assert not AnonymousUser().has_perm("proposals.add_proposal", module)


def test_a_supported_or_answered_proposal_is_not_edited(module):
    supported = ProposalFactory(module=module, supports_count=1)
    assert not supported.author.has_perm("proposals.change_proposal", supported)
    assert supported.author.has_perm("proposals.withdraw_proposal", supported)
    answered = ProposalFactory(module=module, answer_status=Proposal.AnswerStatus.ANALYSIS)
    assert not answered.author.has_perm("proposals.change_proposal", answered)
    assert not answered.author.has_perm("proposals.withdraw_proposal", answered)


def test_blocked_and_archived(module):
    from django.utils import timezone

    proposal = ProposalFactory(module=module)
    proposal.author.blocked_at = timezone.now()
    assert not proposal.author.has_perm("proposals.withdraw_proposal", proposal)
    module.space.status = Space.Status.ARCHIVED
    module.space.save()
    author = UserFactory()
    mine = ProposalFactory(module=module, author=author)
    assert not author.has_perm("proposals.add_proposal", module)
    assert not author.has_perm("proposals.withdraw_proposal", mine)


def test_the_eligibility_rule_for_submitting_applies(module):
    EligibilityRule.objects.create(module=module, action="submit", require_verification=True)
    assert not UserFactory().has_perm("proposals.add_proposal", module)


def test_only_proposals_modules(module):
    from tests.factories import ModuleFactory, PhaseFactory

    other = ModuleFactory(module_type="debate")
    PhaseFactory(module=other, phase_type="debat")
    assert not UserFactory().has_perm("proposals.add_proposal", other)


# --- the explanation agrees with the rule --------------------------------------------------------------------------
AUTHORS_PERMS = (
    "proposals.change_proposal",
    "proposals.publish_proposal",
    "proposals.withdraw_proposal",
    "proposals.delete_proposal",
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    who=st.sampled_from(["author", "other", "anonymous", "blocked_author"]),
    status=st.sampled_from(list(Proposal.Status.values)),
    supported=st.booleans(),
    answered=st.booleans(),
    phase=st.sampled_from(["depot", "soutiens", "analyse"]),
    archived=st.booleans(),
    perm=st.sampled_from(AUTHORS_PERMS),
)
def test_explain_agrees_with_the_authors_rules(who, status, supported, answered, phase, archived, perm):
    from django.contrib.auth.models import AnonymousUser
    from django.utils import timezone

    from participe.permissions.explain import explain

    module = ProposalModuleFactory(
        space__status=Space.Status.ARCHIVED if archived else Space.Status.PUBLISHED,
    )
    switch_phase(module, phase)
    author = UserFactory(blocked_at=timezone.now() if who == "blocked_author" else None)
    proposal = ProposalFactory(
        module=module,
        author=author,
        status=status,
        supports_count=1 if supported else 0,
        answer_status=Proposal.AnswerStatus.ANALYSIS if answered else "",
    )
    user = {"author": author, "blocked_author": author, "other": UserFactory(), "anonymous": AnonymousUser()}[who]
    verdict = explain(user, perm, proposal)
    assert verdict.allowed is user.has_perm(perm, proposal)
    assert verdict.allowed or (verdict.reason is not None and verdict.reason.code != "not_allowed")
