"""Who may read a subject, and who may write the subjects of a debate."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from participe.core.models import ModerationStatus
from participe.modules.debate.models import Subject
from participe.modules.debate.tests.factories import SubjectFactory
from participe.spaces.models import Space, SpaceMembership
from tests.factories import UserFactory, make_agent, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


def test_anyone_reads_a_published_subject_of_a_public_space():
    subject = SubjectFactory()
    assert AnonymousUser().has_perm("debate.view_subject", subject)
    assert UserFactory().has_perm("debate.view_subject", subject)


def test_a_draft_subject_is_seen_by_the_space_staff_only():
    subject = SubjectFactory(status=Subject.Status.DRAFT)
    space = subject.module.space
    assert not AnonymousUser().has_perm("debate.view_subject", subject)
    assert not UserFactory().has_perm("debate.view_subject", subject)
    assert not make_space_role(space, SpaceMembership.Role.MODERATOR).has_perm("debate.view_subject", subject)
    assert make_space_role(space, SpaceMembership.Role.ADMIN).has_perm("debate.view_subject", subject)
    assert make_org_admin().has_perm("debate.view_subject", subject)


def test_a_subject_hidden_by_moderation_is_not_public():
    subject = SubjectFactory(moderation_status=ModerationStatus.HIDDEN)
    assert not UserFactory().has_perm("debate.view_subject", subject)


def test_subjects_of_a_private_space_are_for_its_members():
    subject = SubjectFactory(module__space__visibility=Space.Visibility.PRIVATE)
    space = subject.module.space
    assert not AnonymousUser().has_perm("debate.view_subject", subject)
    assert not UserFactory().has_perm("debate.view_subject", subject)
    assert make_space_role(space, SpaceMembership.Role.MEMBER).has_perm("debate.view_subject", subject)


def test_subjects_of_an_unpublished_module_or_a_draft_space_are_not_public():
    assert not UserFactory().has_perm("debate.view_subject", SubjectFactory(module__is_published=False))
    assert not UserFactory().has_perm("debate.view_subject", SubjectFactory(module__space__status=Space.Status.DRAFT))


def test_the_space_staff_manage_the_subjects():
    subject = SubjectFactory()
    module = subject.module
    assert make_org_admin().has_perm("debate.manage_subject", module)
    assert make_space_role(module.space, SpaceMembership.Role.ADMIN).has_perm("debate.manage_subject", module)
    assert not make_space_role(module.space, SpaceMembership.Role.MODERATOR).has_perm("debate.manage_subject", module)
    assert not make_agent().has_perm("debate.manage_subject", module)  # an agent of another team
    assert not UserFactory().has_perm("debate.manage_subject", module)
    assert not AnonymousUser().has_perm("debate.manage_subject", module)
