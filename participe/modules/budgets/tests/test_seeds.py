"""The demo's budget: two envelopes, its projects with their answers, a vote online and on paper, counted, tallied
and published with explanations; the results phase is the current one afterwards."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from participe.modules.budgets import seeds, services
from participe.modules.budgets.models import Envelope, Project
from participe.modules.budgets.tests.factories import BudgetModuleFactory
from tests.factories import (
    ItemFactory,
    ParticipationModuleFactory,
    PhaseFactory,
    TerritoryFactory,
    make_agent,
    make_org_admin,
)

pytestmark = pytest.mark.django_db


def test_the_demo_budget_is_voted_counted_tallied_and_published():
    make_org_admin()
    make_agent()
    TerritoryFactory(slug="plateau-nord", name="Plateau Nord")
    module = BudgetModuleFactory()
    PhaseFactory(
        module=module,
        phase_type="resultats",
        start=timezone.now() + datetime.timedelta(days=7),
        end=timezone.now() + datetime.timedelta(days=700),
    )
    idea_box = ParticipationModuleFactory(space=module.space)
    ItemFactory(module=idea_box, title="Retenue : une piste cyclable")
    seeds.seed(module)
    assert Project.objects.filter(module=module).count() == len(seeds.PROJECTS) + 1
    assert Project.objects.filter(module=module, origin="proposal").count() == 1
    ville, quartier = Envelope.objects.filter(module=module).order_by("position")
    assert ville.election.is_counted and ville.published_at is not None
    assert ville.outcome["selected"] and ville.outcome["total_cost"] <= ville.amount
    assert ville.election.totals["by_channel"]["paper"] == 12
    assert quartier.election is None  # without the idea box's projects of the Plateau, nothing to vote on there
    assert module.current_phase().phase_type == "resultats"
    seeds.seed(module)  # twice: nothing more
    assert Envelope.objects.filter(module=module).count() == 2


def test_in_the_demo_every_project_is_an_idea_box_s_retained_proposal():
    from participe.backoffice.demo import load_demo
    from participe.links.models import Link
    from participe.spaces.models import Module

    load_demo()
    module = Module.objects.get(space__slug="budget-participatif-2027", module_type="budgets")
    projects = Project.objects.filter(module=module)
    assert projects.count() == 25
    from_ideas = projects.filter(origin=Project.Origin.PROPOSAL)
    assert from_ideas.count() == 25 and Link.objects.filter(kind="idea").count() >= 25
    retained = {str(item) for group in services.candidate_groups(module) for item in group.items}
    assert set(from_ideas.values_list("title", flat=True)) == retained  # every retained proposal of the idea box
    assert not from_ideas.filter(estimated_cost__lt=1_000).exists()  # the services' estimate, not a placeholder
    ville, quartier = Envelope.objects.filter(module=module).order_by("position")
    assert quartier.projects.filter(origin=Project.Origin.PROPOSAL).count() == 7  # the city-stade among them
    assert ville.outcome["details"]["floors"][0]["category"] == "Nature et climat"
    brought_in = [e for e in ville.outcome["explanations"].values() if e["reason"] == "category_floor"]
    assert brought_in  # the results page shows a project that got in because of the floor
    assert ville.published_at and quartier.published_at
