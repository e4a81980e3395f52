"""Who reports, who moderates which content, who blocks."""

import pytest
from django.utils import timezone

from participe.spaces.models import Space, SpaceMembership
from tests.factories import ItemFactory, SpaceFactory, UserFactory, make_agent, make_space_role

pytestmark = pytest.mark.django_db


def test_a_space_moderator_moderates_only_their_own_space(item, space_moderator):
    other = ItemFactory()
    assert space_moderator.has_perm("moderation.moderate_content", item)
    assert not space_moderator.has_perm("moderation.moderate_content", other)
    assert space_moderator.has_perm("moderation.access_queue")
    assert not space_moderator.has_perm("moderation.block_user")


def test_space_admins_and_org_admins_moderate(item, org_admin):
    space_admin = make_space_role(item.module.space, SpaceMembership.Role.ADMIN)
    assert space_admin.has_perm("moderation.moderate_content", item)
    assert org_admin.has_perm("moderation.moderate_content", ItemFactory())
    assert org_admin.has_perm("moderation.block_user")


def test_participants_members_and_agents_do_not_moderate(item):
    member = make_space_role(item.module.space, SpaceMembership.Role.MEMBER)
    for user in (UserFactory(), member, make_agent()):
        assert not user.has_perm("moderation.moderate_content", item)
    assert not UserFactory().has_perm("moderation.access_queue")


def test_reporting_needs_an_account_not_blocked_that_sees_the_content(item):
    from django.contrib.auth.models import AnonymousUser

    assert UserFactory().has_perm("moderation.report_content", item)
    assert not AnonymousUser().has_perm("moderation.report_content", item)
    assert not UserFactory(blocked_at=timezone.now()).has_perm("moderation.report_content", item)
    private = ItemFactory(module__space=SpaceFactory(visibility=Space.Visibility.PRIVATE))
    assert not UserFactory().has_perm("moderation.report_content", private)
    member = make_space_role(private.module.space, SpaceMembership.Role.MEMBER)
    assert member.has_perm("moderation.report_content", private)


def test_the_author_sees_their_own_moderated_content(item):
    assert item.author.has_perm("moderation.view_moderated", item)
    assert not UserFactory().has_perm("moderation.view_moderated", item)
