"""Proposals under concurrent requests (PostgreSQL): numbers stay unique, an edit never overtakes a support.

Each thread has its own database connection, as concurrent web requests would; a barrier releases them together.
"""

from __future__ import annotations

import pytest

from participe.modules.proposals.models import Proposal
from participe.modules.proposals.services import proposals as services
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.supports.services import support_add
from tests.concurrency import race
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

DATA = {"title": "Des bancs à l'ombre place du Marché", "body": "<p>Pour s'asseoir à l'ombre l'été.</p>"}


def test_proposals_deposited_at_once_get_distinct_numbers():
    module = ProposalModuleFactory()
    authors = [UserFactory() for _ in range(12)]
    race([lambda a=a: services.proposal_create(actor=a, module=module, data=dict(DATA)) for a in authors])
    references = sorted(Proposal.objects.filter(module=module).values_list("reference", flat=True))
    assert references == list(range(1, 13))


def test_an_edit_racing_a_support_never_changes_a_supported_proposal():
    for _ in range(5):
        proposal = ProposalFactory()
        outcomes = race(
            [
                lambda p=proposal: support_add(actor=UserFactory(), target=Proposal.objects.get(pk=p.pk)),
                lambda p=proposal: services.proposal_update(
                    actor=p.author, proposal=Proposal.objects.get(pk=p.pk), data={"title": "Titre changé en même temps"}
                ),
            ]
        )
        proposal.refresh_from_db()
        assert proposal.supports_count == 1
        if "refused" in outcomes:
            assert proposal.title != "Titre changé en même temps"
