"""The demo's « Jury citoyen mobilités »: 300 volunteers, a draw and its replacements, the avis answered."""

from __future__ import annotations

import pytest

from participe.modules.juries import selectors
from participe.modules.juries.models import Panel
from participe.modules.juries.seeds import seed
from participe.modules.juries.tests.factories import JuryModuleFactory
from tests.factories import UserFactory, make_org_admin

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


def test_the_demo_jury_has_its_members_space_with_three_sessions():
    from participe.attachments.selectors import attachments_of

    make_org_admin()
    camille = UserFactory(email="camille@example.org")
    module = JuryModuleFactory(title="Jury citoyen mobilités", space__slug="jury-citoyen-mobilites")
    seed(module)
    panel = Panel.objects.get(module=module)
    room = selectors.room_of(panel)
    assert room is not None and room.module.space.slug == "jury-citoyen-mobilites-espace-des-membres"
    assert camille.has_perm("juries.view_room", room)
    sessions = selectors.sessions(room)
    assert len(sessions.upcoming) == 1 and len(sessions.past) == 2
    assert all(m.minutes_published_at for m in sessions.past)
    assert sessions.upcoming[0].registrations.filter(user=camille).exists()  # members register, nobody else
    assert len(attachments_of(room)) == 1 and room.comments_count == 2
