"""The demo's « Jury citoyen mobilités »: 300 volunteers, a draw and its replacements, the avis answered."""

from __future__ import annotations

import pytest

from participe.modules.juries import selectors
from participe.modules.juries.models import Panel
from participe.modules.juries.seeds import seed
from participe.modules.juries.tests.factories import JuryModuleFactory
from tests.factories import make_org_admin

pytestmark = pytest.mark.django_db


def test_the_demo_jury_is_drawn_replaced_and_answered():
    make_org_admin()
    module = JuryModuleFactory(title="Jury citoyen mobilités")
    seed(module)
    panel = Panel.objects.get(module=module)
    assert panel.volunteers.count() == 300
    assert [d.number for d in panel.draws.all()] == [1, 2] and all(d.seed for d in panel.draws.all())
    assert selectors.members(panel).count() == 24
    assert all(row.met for row in selectors.composition(panel))
    assert panel.recommendations.filter(commitment__isnull=False).count() == 3
