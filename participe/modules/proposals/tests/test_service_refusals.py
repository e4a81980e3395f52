"""The authors' services check their actor (``proposals.add_proposal``, ``change_proposal``, ``publish_proposal``,
``withdraw_proposal``, ``delete_proposal``, ``enter_on_behalf``): a refusal is a ``Refused`` with the reason the pages
show, and nothing is written."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from participe.modules.proposals.models import Proposal
from participe.modules.proposals.services import proposals as services
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory, switch_phase
from tests.factories import UserFactory
from tests.writes import assert_refused

pytestmark = pytest.mark.django_db

DATA = {"title": "Des bancs à l'ombre place du Marché", "body": "<p>Les personnes âgées n'ont où s'asseoir.</p>"}


def test_submitting_outside_the_depot_phase_is_refused_with_the_phase_reason():
    module = ProposalModuleFactory()
    switch_phase(module, "analyse")
    resident = UserFactory()
    assert_refused(lambda: services.proposal_create(actor=resident, module=module, data=dict(DATA)), "phase_closed")


def test_a_visitor_is_asked_to_sign_in():
    module = ProposalModuleFactory()
    refused = assert_refused(
        lambda: services.proposal_create(actor=AnonymousUser(), module=module, data=dict(DATA)), "not_signed_in"
    )
    assert str(refused) == "Connectez-vous pour déposer une proposition."


def test_entering_a_proposal_for_someone_needs_the_agents_right():
    module = ProposalModuleFactory()
    resident, other = UserFactory(), UserFactory()
    assert_refused(lambda: services.proposal_create(actor=resident, author=other, module=module, data=dict(DATA)))
    assert_refused(
        lambda: services.proposal_create(
            actor=other, module=module, data=dict(DATA), entered_by=resident, origin=Proposal.Origin.PAPER
        )
    )


@pytest.mark.parametrize(
    "write",
    [
        lambda actor, p: services.proposal_update(actor=actor, proposal=p, data={"title": "Un tout autre titre"}),
        lambda actor, p: services.proposal_withdraw(actor=actor, proposal=p),
    ],
    ids=["update", "withdraw"],
)
def test_only_the_author_changes_or_withdraws_their_proposal(write):
    proposal = ProposalFactory()
    other = UserFactory()
    assert_refused(lambda: write(other, proposal), "not_author")


@pytest.mark.parametrize(
    "write",
    [
        lambda actor, p: services.proposal_publish(actor=actor, proposal=p),
        lambda actor, p: services.proposal_delete(actor=actor, proposal=p),
    ],
    ids=["publish", "delete"],
)
def test_only_the_author_deposits_or_deletes_their_draft(write):
    draft = ProposalFactory(status=Proposal.Status.DRAFT)
    other = UserFactory()
    assert_refused(lambda: write(other, draft), "not_author")


def test_a_published_proposal_is_not_deleted_by_its_author():
    proposal = ProposalFactory()
    assert_refused(lambda: services.proposal_delete(actor=proposal.author, proposal=proposal), "not_draft")


def test_a_draft_is_not_deposited_once_submitting_closed():
    draft = ProposalFactory(status=Proposal.Status.DRAFT)
    switch_phase(draft.module, "soutiens")
    assert_refused(lambda: services.proposal_publish(actor=draft.author, proposal=draft), "phase_closed")
