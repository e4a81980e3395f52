"""Who may support and withdraw: phase capability (SUPPORT, or COMMENT for comments), visibility, archive."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from participe.spaces.models import Space
from participe.supports.tests.factories import comment_on
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_signed_in_participant_may_support_during_a_participation_phase():
    item = ItemFactory()
    user = UserFactory()
    assert user.has_perm("supports.add_support", item)
    assert user.has_perm("supports.withdraw_support", item)
    assert user.has_perm("supports.view_support", item)


def test_an_anonymous_visitor_sees_but_may_not_support():
    item = ItemFactory()
    assert AnonymousUser().has_perm("supports.view_support", item)
    assert not AnonymousUser().has_perm("supports.add_support", item)
    assert not AnonymousUser().has_perm("supports.withdraw_support", item)


def test_an_information_phase_allows_neither():
    item = ItemFactory()
    item.module.phases.update(phase_type="information")
    user = UserFactory()
    assert not user.has_perm("supports.add_support", item)
    assert not user.has_perm("supports.withdraw_support", item)


def test_a_comment_follows_the_comment_capability():
    item = ItemFactory()
    comment = comment_on(item)
    user = UserFactory()
    assert user.has_perm("supports.add_support", comment)
    # A phase granting SUPPORT but not COMMENT: items yes, comments no.
    from participe.core.capabilities import Cap
    from participe.core.registry import PhaseType, registry

    manifest = registry["testmodule"]
    original = manifest.phase_types
    object.__setattr__(
        manifest,
        "phase_types",
        (*original, PhaseType(key="support_only", name="Soutiens", capabilities=frozenset({Cap.VIEW, Cap.SUPPORT}))),
    )
    try:
        item.module.phases.update(phase_type="support_only")
        assert user.has_perm("supports.add_support", item)
        assert not user.has_perm("supports.add_support", comment)
    finally:
        object.__setattr__(manifest, "phase_types", original)


def test_an_archived_space_allows_no_support():
    item = ItemFactory()
    Space.objects.filter(pk=item.module.space_id).update(status=Space.Status.ARCHIVED)
    item = type(item).objects.get(pk=item.pk)
    user = UserFactory()
    assert user.has_perm("supports.view_support", item)
    assert not user.has_perm("supports.add_support", item)
    assert not user.has_perm("supports.withdraw_support", item)


def test_a_private_space_is_closed_to_non_members():
    item = ItemFactory()
    Space.objects.filter(pk=item.module.space_id).update(visibility=Space.Visibility.PRIVATE)
    item = type(item).objects.get(pk=item.pk)
    user = UserFactory()
    assert not user.has_perm("supports.view_support", item)
    assert not user.has_perm("supports.add_support", item)


def test_a_hidden_item_is_seen_only_by_its_supporters_and_moderators():
    from participe.core.models import ModerationStatus
    from participe.spaces.models import SpaceMembership
    from participe.supports import services
    from tests.factories import make_space_role

    item = ItemFactory()
    supporter, passer_by = UserFactory(), UserFactory()
    services.support_add(actor=supporter, target=item)
    type(item).objects.filter(pk=item.pk).update(moderation_status=ModerationStatus.HIDDEN)
    item.refresh_from_db()
    moderator = make_space_role(item.module.space, SpaceMembership.Role.MODERATOR)
    assert not passer_by.has_perm("supports.view_support", item)
    assert not AnonymousUser().has_perm("supports.view_support", item)
    assert moderator.has_perm("supports.view_support", item)
    assert supporter.has_perm("supports.view_support", item)
    assert services.support_withdraw(actor=supporter, target=item) is True
