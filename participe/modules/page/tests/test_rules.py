"""Who may read a page, and who may write it."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from participe.modules.page.tests.factories import PageModuleFactory
from participe.spaces.models import Space, SpaceMembership
from tests.factories import UserFactory, make_agent, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


def test_anyone_reads_the_page_of_a_public_space():
    module = PageModuleFactory()
    assert AnonymousUser().has_perm("page.view_page", module)
    assert UserFactory().has_perm("page.view_page", module)


def test_the_page_of_a_private_space_is_for_its_members_and_staff():
    module = PageModuleFactory(space__visibility=Space.Visibility.PRIVATE)
    assert not AnonymousUser().has_perm("page.view_page", module)
    assert not UserFactory().has_perm("page.view_page", module)
    assert make_space_role(module.space, SpaceMembership.Role.MEMBER).has_perm("page.view_page", module)
    assert make_org_admin().has_perm("page.view_page", module)


def test_an_unpublished_page_is_seen_by_the_staff_only():
    module = PageModuleFactory(is_published=False)
    assert not AnonymousUser().has_perm("page.view_page", module)
    assert not make_space_role(module.space, SpaceMembership.Role.MEMBER).has_perm("page.view_page", module)
    assert make_space_role(module.space, SpaceMembership.Role.ADMIN).has_perm("page.view_page", module)


def test_the_staff_of_the_space_write_the_page():
    module = PageModuleFactory()
    space = module.space
    assert make_org_admin().has_perm("page.change_page", module)
    assert make_space_role(space, SpaceMembership.Role.ADMIN).has_perm("page.change_page", module)
    assert not make_space_role(space, SpaceMembership.Role.MODERATOR).has_perm("page.change_page", module)
    assert not make_space_role(space, SpaceMembership.Role.MEMBER).has_perm("page.change_page", module)
    assert not make_space_role(PageModuleFactory().space, SpaceMembership.Role.ADMIN).has_perm(
        "page.change_page", module
    )  # the administrator of another space
    assert not make_agent().has_perm("page.change_page", module)  # an agent without a role in this space
    assert not AnonymousUser().has_perm("page.change_page", module)
