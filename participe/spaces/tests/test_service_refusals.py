"""Every write on spaces checks its actor itself: a person without the right gets ``Refused`` and nothing is written
(the back-office views checked these permissions before; the services are now where they are enforced).

Each case builds what it needs, then returns the call to refuse: only the refused call is watched for writes."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from participe.spaces import services
from participe.spaces.models import NewsPost, Phase, SpaceDocument, SpaceMembership
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory, UserFactory, make_space_role
from tests.writes import assert_refused

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.7\n%%EOF\n"


def space_create(actor, space):
    return lambda: services.space_create(actor=actor, data={"title": "Nouvelle"})


def space_update(actor, space):
    return lambda: services.space_update(actor=actor, space=space, data={"title": "Autre"})


def space_set_status(actor, space):
    return lambda: services.space_set_status(actor=actor, space=space, status="archived")


def space_delete(actor, space):
    return lambda: services.space_delete(actor=actor, space=space)


def module_create(actor, space):
    return lambda: services.module_create(actor=actor, space=space, module_type="page", title="Page")


def module_update(actor, space):
    module = ModuleFactory(space=space)
    return lambda: services.module_update(actor=actor, module=module, data={"title": "Autre"})


def module_update_settings(actor, space):
    module = ModuleFactory(space=space)
    return lambda: services.module_update_settings(actor=actor, module=module, settings={"a": 2})


def module_delete(actor, space):
    module = ModuleFactory(space=space)
    return lambda: services.module_delete(actor=actor, module=module)


def phase_save(actor, space):
    phase = Phase(module=ModuleFactory(space=space))
    return lambda: services.phase_save(actor=actor, phase=phase, data={"name": "Étape"})


def phase_delete(actor, space):
    phase = PhaseFactory(module=ModuleFactory(space=space))
    return lambda: services.phase_delete(actor=actor, phase=phase)


def membership_add(actor, space):
    user = UserFactory()
    return lambda: services.membership_add(actor=actor, space=space, user=user, role="member")


def membership_remove(actor, space):
    membership = SpaceMembership.objects.create(space=space, user=UserFactory(), role="member")
    return lambda: services.membership_remove(actor=actor, membership=membership)


def document_add(actor, space):
    return lambda: services.document_add(actor=actor, space=space, title="CR", file=SimpleUploadedFile("cr.pdf", PDF))


def document_delete(actor, space):
    document = SpaceDocument.objects.create(space=space, title="CR", file=SimpleUploadedFile("cr.pdf", PDF))
    return lambda: services.document_delete(actor=actor, document=document)


def news_save(actor, space):
    return lambda: services.news_save(actor=actor, post=NewsPost(space=space), data={"title": "Réunion", "body": "x"})


def news_delete(actor, space):
    post = NewsPost.objects.create(space=space, title="Réunion", body="Mardi")
    return lambda: services.news_delete(actor=actor, post=post)


CASES = [
    space_create,
    space_update,
    space_set_status,
    space_delete,
    module_create,
    module_update,
    module_update_settings,
    module_delete,
    phase_save,
    phase_delete,
    membership_add,
    membership_remove,
    document_add,
    document_delete,
    news_save,
    news_delete,
]


@pytest.mark.parametrize("who", ["resident", "member", "moderator"])
@pytest.mark.parametrize("case", CASES, ids=[c.__name__ for c in CASES])
def test_only_the_staff_of_the_space_write_on_it(case, who):
    space = SpaceFactory()
    actor = UserFactory() if who == "resident" else make_space_role(space, getattr(SpaceMembership.Role, who.upper()))
    assert_refused(case(actor, space))
