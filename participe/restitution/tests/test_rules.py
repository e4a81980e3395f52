"""Who reads a bilan, who writes it: a draft is its démarche's staff's; published, everyone who sees the démarche
reads it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from participe.restitution.models import Bilan
from participe.restitution.selectors import edition_of
from tests.factories import SpaceFactory, make_org_admin

pytestmark = pytest.mark.django_db


def test_a_draft_bilan_is_read_by_the_staff_of_its_space_only(space, manager, resident):
    draft = edition_of(space)
    assert draft.pk is None and not draft.is_published
    assert manager.has_perm("restitution.view_bilan", draft)
    assert make_org_admin().has_perm("restitution.view_bilan", draft)
    assert not resident.has_perm("restitution.view_bilan", draft)
    assert not AnonymousUser().has_perm("restitution.view_bilan", draft)


def test_a_published_bilan_is_read_by_whoever_sees_its_space(space, resident):
    published = Bilan.objects.create(space=space, state=Bilan.State.PUBLISHED)
    assert AnonymousUser().has_perm("restitution.view_bilan", published)
    assert resident.has_perm("restitution.view_bilan", published)
    hidden = Bilan.objects.create(space=SpaceFactory(visibility="private"), state=Bilan.State.PUBLISHED)
    assert not resident.has_perm("restitution.view_bilan", hidden)


def test_only_the_staff_of_the_space_write_its_bilan(space, manager, resident):
    assert manager.has_perm("restitution.change_bilan", space)
    assert not resident.has_perm("restitution.change_bilan", space)
    assert not manager.has_perm("restitution.change_bilan", SpaceFactory())
