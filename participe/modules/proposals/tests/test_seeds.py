"""The demo content of a proposals module: Lumerac's proposals, supported, commented and answered, whatever the phase."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from participe.assignments.models import Assignment
from participe.backoffice.demo import load_demo
from participe.comments.models import Comment
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.seeds import PROPOSALS, seed
from participe.modules.proposals.tests.factories import ProposalModuleFactory, switch_phase
from participe.search.models import SearchEntry
from participe.spaces.models import Space
from participe.supports.models import Support

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo_module():
    """A proposals module in the demo's participatory budget, with the demo's residents, agent and territories."""
    load_demo()
    space = Space.objects.get(slug="budget-participatif-2027")
    module = ProposalModuleFactory(space=space)
    switch_phase(module, "depot", days_ago=25)
    return module


def test_it_deposits_a_dozen_proposals_of_lumerac_once(demo_module):
    seed(demo_module)
    seed(demo_module)
    proposals = Proposal.objects.filter(module=demo_module)
    assert proposals.count() == len(PROPOSALS) >= 10
    assert not proposals.exclude(status=Proposal.Status.PUBLISHED).exists()
    assert sorted(proposals.values_list("reference", flat=True)) == list(range(1, len(PROPOSALS) + 1))
    located = proposals.filter(latitude__isnull=False)
    assert located.count() >= 8
    for proposal in located:  # around Lumerac's town centre
        assert abs(float(proposal.latitude) - 49.2731) < 0.03 and abs(float(proposal.longitude) - 3.8615) < 0.03
    assert proposals.filter(theme__isnull=False).count() == proposals.count()
    assert proposals.filter(territory__slug="plateau-nord").exists()
    # Deposited on different days, so that "les plus récentes" means something.
    assert len(set(proposals.values_list("published_at__date", flat=True))) > 5
    assert StatusChange.objects.filter(proposal__module=demo_module, kind="published").count() == proposals.count()
    assert SearchEntry.objects.filter(kind="proposals.proposal", module=demo_module).count() == proposals.count()


def test_two_unanswered_proposals_are_given_to_the_agent_s_service_one_overdue(demo_module):
    seed(demo_module)
    routed = Assignment.objects.filter(module=demo_module)
    assert routed.count() == 2 and {a.service.name for a in routed} == {"Démocratie participative"}
    assert not Proposal.objects.filter(pk__in=routed.values("object_id")).exclude(answer_status="").exists()
    assert len([a for a in routed if a.is_overdue]) == 1


def test_agents_entered_ideas_received_on_paper_in_meetings_and_at_the_counter(demo_module):
    seed(demo_module)
    paper = Proposal.objects.get(module=demo_module, title="Une boîte à livres devant la médiathèque")
    assert paper.origin == Proposal.Origin.PAPER
    assert paper.author.pseudonym == "Marcel_D" and paper.entered_by is not None
    meeting = Proposal.objects.get(module=demo_module, origin=Proposal.Origin.MEETING, author__isnull=True)
    assert meeting.entered_by is not None
    counter = Proposal.objects.filter(module=demo_module, origin=Proposal.Origin.COUNTER)
    assert counter.count() == 3 and not counter.filter(entered_by__isnull=True).exists()


def test_the_residents_support_and_comment_with_stances_and_the_city_answers(demo_module):
    seed(demo_module)
    proposals = Proposal.objects.filter(module=demo_module)
    content_type = ContentType.objects.get_for_model(Proposal)
    supports = Support.objects.filter(content_type=content_type, object_id__in=proposals.values("pk"))
    assert supports.count() == sum(p.supports_count for p in proposals) > 15
    assert supports.filter(entered_by__isnull=False).exists()  # Marcel's, entered by the agent
    bancs = proposals.get(title="Des bancs et de l'ombre sur la place du Marché")
    assert bancs.supports_count == 3 and bancs.comments_count == 4
    assert (bancs.comments_favorable_count, bancs.comments_neutral_count) == (1, 1)
    comments = Comment.objects.filter(content_type=content_type, object_id=bancs.pk)
    assert comments.filter(official_role="service").exists()
    answered = proposals.filter(answered_at__isnull=False)
    assert set(answered.values_list("answer_status", flat=True)) == {"selected", "rejected", "done"}
    rejected = answered.get(answer_status="rejected")
    assert "Non retenue" in rejected.answer
    assert StatusChange.objects.filter(proposal=rejected, kind="answered").exists()


@pytest.mark.parametrize("phase_type", ["soutiens", "analyse", "resultats"])
def test_it_does_not_fail_whatever_the_phase(demo_module, phase_type):
    switch_phase(demo_module, phase_type)
    seed(demo_module)
    proposals = Proposal.objects.filter(module=demo_module)
    assert proposals.count() == len(PROPOSALS)
    if phase_type != "soutiens":  # supporting and commenting are closed
        assert not any(p.supports_count or p.comments_count for p in proposals)
    assert proposals.filter(answered_at__isnull=False).count() == len([p for p in PROPOSALS if p["answer"]])


def test_without_the_demo_accounts_an_agent_enters_them_or_nothing_is_made():
    module = ProposalModuleFactory()
    seed(module)  # no residents, no agent, no admin: nothing can be deposited
    assert not Proposal.objects.filter(module=module).exists()


def test_a_module_requiring_a_location_keeps_the_located_ones(demo_module):
    demo_module.settings = {"location_required": True}
    demo_module.save()
    seed(demo_module)
    proposals = Proposal.objects.filter(module=demo_module)
    assert 0 < proposals.count() < len(PROPOSALS)
    assert all(p.address for p in proposals)


def test_the_demo_data_holds_the_idea_box_of_the_participatory_budget():
    load_demo()
    load_demo()  # idempotent
    module = Proposal.objects.values_list("module", flat=True).first()
    proposals = Proposal.objects.filter(module=module)
    assert proposals.count() == len(PROPOSALS)
    assert proposals.first().module.space.slug == "budget-participatif-2027"
    assert proposals.filter(supports_count__gt=0).exists() and proposals.filter(comments_count__gt=0).exists()
    assert proposals.filter(answered_at__isnull=False).count() == len([p for p in PROPOSALS if p["answer"]])
