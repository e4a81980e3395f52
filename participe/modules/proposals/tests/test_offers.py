"""The proposals module offers its retained proposals to other modules (decision 0011): a budget makes projects of
them; the proposal page shows what it became."""

from __future__ import annotations

import pytest
from django.utils import timezone

from participe.links import selectors, services
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.factories import ItemFactory, ParticipationModuleFactory, make_org_admin

pytestmark = pytest.mark.django_db


def answered(module, title, status):
    return ProposalFactory(module=module, title=title, answer_status=status, answered_at=timezone.now())


def test_the_retained_proposals_are_the_idea_candidates_of_its_space():
    module = ProposalModuleFactory()
    kept = answered(module, "Des bancs", Proposal.AnswerStatus.SELECTED)
    answered(module, "Un parking", Proposal.AnswerStatus.REJECTED)
    ProposalFactory(module=module, title="Sans réponse")
    ProposalFactory(module=module, status=Proposal.Status.DRAFT, answer_status=Proposal.AnswerStatus.SELECTED)
    groups = selectors.candidates(module.space, "idea")
    assert [(g.module, g.offer.name, list(g.items)) for g in groups] == [(module, "Propositions retenues", [kept])]


def test_the_proposal_page_shows_what_it_became(client):
    module = ProposalModuleFactory()
    kept = answered(module, "Des bancs", Proposal.AnswerStatus.SELECTED)
    budget = ParticipationModuleFactory(space=module.space, title="Budget 2027")
    project = ItemFactory(module=budget, title="Projet : des bancs")
    services.link_create(actor=make_org_admin(), origin=kept, derived=project, kind="idea")
    page = client.get(kept.get_absolute_url()).content.decode()
    assert "A donné lieu à :" in page and "Projet : des bancs" in page and "(Budget 2027)" in page
