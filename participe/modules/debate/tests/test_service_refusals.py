"""The subjects and syntheses of a debate are written by the staff of its space: each service refuses anyone else
(``Refused``, the permission ``debate.manage_subject``) before writing anything."""

from __future__ import annotations

import pytest

from participe.modules.debate import services
from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory
from participe.spaces.models import SpaceMembership
from tests.factories import UserFactory, make_agent, make_space_role
from tests.writes import assert_refused

pytestmark = pytest.mark.django_db


def subject_create(actor, module):
    return lambda: services.subject_create(actor=actor, module=module, data={"title": "Une question ?"})


def subject_edit(actor, module):
    subject = SubjectFactory(module=module)
    return lambda: services.subject_edit(actor=actor, subject=subject, data={"title": "Une autre question ?"})


def subject_publish(actor, module):
    subject = SubjectFactory(module=module, status="draft")
    return lambda: services.subject_publish(actor=actor, subject=subject)


def subject_unpublish(actor, module):
    subject = SubjectFactory(module=module)
    return lambda: services.subject_unpublish(actor=actor, subject=subject)


def subject_move(actor, module):
    SubjectFactory(module=module)
    subject = SubjectFactory(module=module)
    return lambda: services.subject_move(actor=actor, subject=subject, offset=-1)


def subject_delete(actor, module):
    subject = SubjectFactory(module=module)
    return lambda: services.subject_delete(actor=actor, subject=subject)


def synthesis_edit(actor, module):
    subject = SubjectFactory(module=module)
    return lambda: services.synthesis_edit(actor=actor, subject=subject, synthesis="<p>Les habitants…</p>")


def synthesis_publish(actor, module):
    subject = SubjectFactory(module=module, synthesis="<p>Les habitants…</p>")
    return lambda: services.synthesis_publish(actor=actor, subject=subject)


def synthesis_unpublish(actor, module):
    subject = SubjectFactory(module=module, synthesis="<p>Les habitants…</p>", synthesis_published_at="2026-01-01")
    return lambda: services.synthesis_unpublish(actor=actor, subject=subject)


CASES = [
    subject_create,
    subject_edit,
    subject_publish,
    subject_unpublish,
    subject_move,
    subject_delete,
    synthesis_edit,
    synthesis_publish,
    synthesis_unpublish,
]


@pytest.mark.parametrize("who", ["resident", "agent", "moderator"])
@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_only_the_staff_of_the_space_write_the_debate(case, who):
    module = DebateModuleFactory()
    actor = {
        "resident": UserFactory,
        "agent": make_agent,
        "moderator": lambda: make_space_role(module.space, SpaceMembership.Role.MODERATOR),
    }[who]()
    assert_refused(case(actor, module))
