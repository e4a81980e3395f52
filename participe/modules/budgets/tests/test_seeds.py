"""The demo's budget: two envelopes, its projects with their answers, a vote online and on paper, counted, tallied
and published with explanations; the results phase is the current one afterwards."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from participe.modules.budgets import seeds
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
    assert Project.objects.filter(module=module).count() == 25
    assert Project.objects.filter(module=module, origin="proposal").count() == 1
    ville, quartier = Envelope.objects.filter(module=module).order_by("position")
    for envelope in (ville, quartier):
        assert envelope.election.is_counted and envelope.published_at is not None
        assert envelope.outcome["selected"] and envelope.outcome["total_cost"] <= envelope.amount
    assert ville.election.totals["by_channel"]["paper"] == 12
    assert module.current_phase().phase_type == "resultats"
    seeds.seed(module)  # twice: nothing more
    assert Envelope.objects.filter(module=module).count() == 2
