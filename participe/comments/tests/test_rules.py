"""Who may read, add, change and delete comments: phase capability, eligibility, sign-in, private spaces."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from participe.comments import services
from participe.comments.models import Comment, Stance
from participe.comments.tests.factories import CommentFactory
from participe.core.capabilities import Cap
from participe.permissions.refusals import Refused
from participe.spaces.models import Space, SpaceMembership
from participe.verifications.models import EligibilityRule
from tests.factories import (
    ItemFactory,
    ParticipationModuleFactory,
    PhaseFactory,
    UserFactory,
    VerificationFactory,
    make_org_admin,
    make_space_role,
)

pytestmark = pytest.mark.django_db


def test_a_signed_in_resident_comments_while_the_phase_grants_it():
    item = ItemFactory()
    assert UserFactory().has_perm("comments.add_comment", item)


def test_a_visitor_may_read_but_not_comment(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    item = ItemFactory()
    assert AnonymousUser().has_perm("comments.view_comment", item)
    assert not AnonymousUser().has_perm("comments.add_comment", item)


def test_no_comment_when_the_phase_does_not_grant_it():
    module = ParticipationModuleFactory(phase=None)
    PhaseFactory(module=module, phase_type="information")
    item = ItemFactory(module=module)
    assert not UserFactory().has_perm("comments.add_comment", item)
    with pytest.raises(Refused, match="commentaires ne sont pas ouverts") as refused:
        services.comment_create(actor=UserFactory(), target=item, body="Bonjour", stance=Stance.NEUTRAL)
    assert refused.value.codes == ["phase_closed"]


def test_no_comment_after_the_phase_ended():
    module = ParticipationModuleFactory(phase=None)
    now = timezone.now()
    PhaseFactory(
        module=module,
        phase_type="participation",
        start=now - datetime.timedelta(days=10),
        end=now - datetime.timedelta(days=1),
    )
    assert not UserFactory().has_perm("comments.add_comment", ItemFactory(module=module))


def test_the_eligibility_rule_of_the_module_applies():
    item = ItemFactory()
    EligibilityRule.objects.create(module=item.module, action=Cap.COMMENT, require_verification=True)
    assert not UserFactory().has_perm("comments.add_comment", item)
    assert VerificationFactory().user.has_perm("comments.add_comment", item)


def test_a_private_space_is_for_its_members():
    item = ItemFactory(module__space__visibility=Space.Visibility.PRIVATE)
    member = make_space_role(item.module.space, SpaceMembership.Role.MEMBER)
    outsider = UserFactory()
    assert not outsider.has_perm("comments.view_comment", item)
    assert not outsider.has_perm("comments.add_comment", item)
    assert member.has_perm("comments.view_comment", item)
    assert member.has_perm("comments.add_comment", item)


def test_an_archived_space_is_read_only():
    item = ItemFactory(module__space__status=Space.Status.ARCHIVED)
    assert UserFactory().has_perm("comments.view_comment", item)
    assert not UserFactory().has_perm("comments.add_comment", item)


def test_a_blocked_account_may_not_comment():
    assert not UserFactory(blocked_at=timezone.now()).has_perm("comments.add_comment", ItemFactory())


def test_replies_follow_the_rules_of_the_resource():
    comment = CommentFactory()
    assert UserFactory().has_perm("comments.add_comment", comment)


def test_only_the_author_changes_within_the_window_and_deletes(settings):
    settings.PARTICIPE_COMMENT_EDIT_MINUTES = 15
    comment = CommentFactory()
    author, other = comment.author, UserFactory()
    assert author.has_perm("comments.change_comment", comment)
    assert author.has_perm("comments.delete_comment", comment)
    assert not other.has_perm("comments.change_comment", comment)
    assert not other.has_perm("comments.delete_comment", comment)
    Comment.objects.filter(pk=comment.pk).update(created_at=timezone.now() - datetime.timedelta(minutes=20))
    comment.refresh_from_db()
    assert not author.has_perm("comments.change_comment", comment)
    assert author.has_perm("comments.delete_comment", comment)
    comment.deleted_at = timezone.now()
    assert not author.has_perm("comments.delete_comment", comment)


def test_moderators_of_the_space_and_organisation_admins_moderate():
    item = ItemFactory()
    assert make_space_role(item.module.space, SpaceMembership.Role.MODERATOR).has_perm(
        "comments.moderate_comment", item
    )
    assert make_org_admin().has_perm("comments.moderate_comment", item)
    assert not UserFactory().has_perm("comments.moderate_comment", item)
