"""Who sees a meeting, who registers (and why not), who organises."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from participe.modules.meetings.models import Meeting, Registration
from participe.modules.meetings.tests.factories import MeetingFactory, module_with_admin
from participe.permissions.explain import explain
from participe.spaces.models import SpaceMembership
from tests.factories import UserFactory, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


def test_a_draft_is_seen_by_its_organisers_only() -> None:
    module, admin = module_with_admin()
    draft = MeetingFactory(module=module, status=Meeting.Status.DRAFT)
    assert admin.has_perm("meetings.view_meeting", draft)
    assert not UserFactory().has_perm("meetings.view_meeting", draft)
    assert not AnonymousUser().has_perm("meetings.view_meeting", draft)


def test_the_staff_of_the_space_organise_and_moderators_do_not() -> None:
    module, admin = module_with_admin()
    moderator = make_space_role(module.space, SpaceMembership.Role.MODERATOR)
    assert admin.has_perm("meetings.manage_meetings", module)
    assert make_org_admin().has_perm("meetings.manage_meetings", module)
    assert not moderator.has_perm("meetings.manage_meetings", module)
    assert not UserFactory().has_perm("meetings.manage_meetings", module)


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({}, None),
        ({"registration_enabled": False}, "registration_not_required"),
        ({"status": Meeting.Status.CANCELLED}, "meeting_cancelled"),
        (
            {"start": timezone.now() - datetime.timedelta(days=1), "end": timezone.now() - datetime.timedelta(hours=1)},
            "meeting_over",
        ),
    ],
)
def test_registering_says_why_not(changes: dict[str, object], code: str | None) -> None:
    meeting = MeetingFactory(**{"registration_enabled": True, **changes})
    verdict = explain(UserFactory(), "meetings.register", meeting)
    assert verdict.allowed is (code is None)
    assert verdict.codes == ([] if code is None else [code])


def test_a_visitor_is_asked_to_sign_in_to_register() -> None:
    meeting = MeetingFactory(registration_enabled=True)
    verdict = explain(AnonymousUser(), "meetings.register", meeting)
    assert not verdict.allowed and verdict.reason is not None and verdict.reason.action_url


def test_a_registration_is_cancelled_by_its_person_or_the_organisers() -> None:
    module, admin = module_with_admin()
    person = UserFactory()
    registration = Registration.objects.create(meeting=MeetingFactory(module=module), user=person)
    assert person.has_perm("meetings.cancel_registration", registration)
    assert admin.has_perm("meetings.cancel_registration", registration)
    assert not UserFactory().has_perm("meetings.cancel_registration", registration)
