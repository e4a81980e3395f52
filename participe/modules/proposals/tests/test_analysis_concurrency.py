"""Agents publishing answers at the same moment (PostgreSQL: real row locks, one connection per thread)."""

from __future__ import annotations

import pytest

from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.services import analysis
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.notifications.models import Notification
from tests.concurrency import race
from tests.factories import make_org_admin

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_agents_publishing_the_same_answer_publish_it_once():
    proposal = ProposalFactory(draft_answer_status="selected", draft_answer="<p>Retenue.</p>")
    agents = [make_org_admin(), make_org_admin()]
    outcomes = race([lambda a=a: analysis.answers_publish(actor=a, proposals=[proposal]) for a in agents])
    assert sorted(outcomes) == ["ok", "refused"]
    assert StatusChange.objects.filter(proposal=proposal, kind=StatusChange.Kind.ANSWERED).count() == 1
    assert Notification.objects.filter(recipient=proposal.author).count() == 1


def test_overlapping_bulk_publications_never_deadlock_and_publish_each_answer_once():
    module = ProposalModuleFactory()
    proposals = ProposalFactory.create_batch(6, module=module, draft_answer_status="done", draft_answer="Fait.")
    first, second = make_org_admin(), make_org_admin()
    outcomes = race(
        [
            lambda: analysis.answers_publish(actor=first, proposals=proposals[:4]),
            lambda: analysis.answers_publish(actor=second, proposals=list(reversed(proposals[2:]))),
        ]
    )
    assert sorted(outcomes) == ["ok", "refused"]  # the second finds answers already published: all or nothing
    published = Proposal.objects.filter(module=module, answer_status="done").count()
    assert published == 4 and StatusChange.objects.filter(kind=StatusChange.Kind.ANSWERED).count() == published


def test_concurrent_preparations_keep_one_whole_answer():
    proposal = ProposalFactory()
    agents = [make_org_admin(), make_org_admin()]
    texts = ["<p>Première version.</p>", "<p>Seconde version.</p>"]
    race(
        [
            lambda a=a, t=t: analysis.answer_prepare(actor=a, proposal=proposal, status="selected", answer=t)
            for a, t in zip(agents, texts, strict=True)
        ]
    )
    proposal.refresh_from_db()
    assert proposal.draft_answer in texts and proposal.draft_answer_status == "selected"
