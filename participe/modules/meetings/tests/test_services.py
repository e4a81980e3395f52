"""Services of meetings: organising, the seats and the waiting list, phone registrations, codes, cancellation,
reminders, minutes and the contributions collected at a meeting."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participe.links.selectors import derived_from
from participe.modules.meetings import services
from participe.modules.meetings.models import Meeting, Registration
from participe.modules.meetings.services.registrations import recount
from participe.modules.meetings.tests.factories import MeetingFactory, meeting_data, module_with_admin
from participe.notifications.models import Notification
from participe.permissions.refusals import Refused
from tests.factories import ItemFactory, ParticipationModuleFactory, UserFactory

pytestmark = pytest.mark.django_db


def _meeting(capacity: int | None = 2, **changes: object) -> tuple[Meeting, object]:
    module, admin = module_with_admin()
    meeting = services.meeting_save(actor=admin, module=module, data=meeting_data(capacity=capacity, **changes))
    return meeting, admin


def test_it_creates_a_meeting_for_the_staff_only() -> None:
    module, admin = module_with_admin()
    meeting = services.meeting_save(actor=admin, module=module, data=meeting_data())
    assert meeting.pk and meeting.module == module and meeting.created_by == admin
    with pytest.raises(Refused) as refused:
        services.meeting_save(actor=UserFactory(), module=module, data=meeting_data(title="Autre"))
    assert refused.value.codes == ["not_meeting_organiser"]
    assert Meeting.objects.count() == 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"end": timezone.now()}, "end"),
        ({"address": "", "place_name": ""}, "address"),
        ({"format": Meeting.Format.ONLINE, "online_url": ""}, "online_url"),
        ({"latitude": 49.2, "longitude": None}, "latitude"),
        ({"capacity": 0}, "capacity"),
    ],
)
def test_it_refuses_bad_input_by_field(changes: dict[str, object], field: str) -> None:
    module, admin = module_with_admin()
    with pytest.raises(ValidationError) as error:
        services.meeting_save(actor=admin, module=module, data=meeting_data(**changes))
    assert field in error.value.error_dict
    assert not Meeting.objects.exists()


def test_seats_then_waiting_list_then_promotion_on_cancel(django_capture_on_commit_callbacks: Any) -> None:
    meeting, _admin = _meeting(capacity=2)
    alice, bob, chloe, david = UserFactory.create_batch(4)
    first = services.registration_create(actor=alice, meeting=meeting)
    second = services.registration_create(actor=bob, meeting=meeting)
    third = services.registration_create(actor=chloe, meeting=meeting)
    fourth = services.registration_create(actor=david, meeting=meeting)
    assert [r.status for r in (first, second, third, fourth)] == ["confirmee", "confirmee", "attente", "attente"]
    meeting.refresh_from_db()
    assert (meeting.seats_taken, meeting.waiting_count) == (2, 2) == recount(meeting)

    with django_capture_on_commit_callbacks(execute=True):
        services.registration_cancel(actor=bob, registration=second)

    third.refresh_from_db()
    fourth.refresh_from_db()
    meeting.refresh_from_db()
    assert third.status == Registration.Status.CONFIRMED and third.promoted_at is not None
    assert fourth.status == Registration.Status.WAITING
    assert (meeting.seats_taken, meeting.waiting_count) == (2, 1) == recount(meeting)
    assert Notification.objects.filter(recipient=chloe, event="meetings.promoted").count() == 1


def test_registering_twice_returns_the_same_registration() -> None:
    meeting, _admin = _meeting()
    resident = UserFactory()
    first = services.registration_create(actor=resident, meeting=meeting)
    again = services.registration_create(actor=resident, meeting=meeting)
    assert again.pk == first.pk
    meeting.refresh_from_db()
    assert meeting.seats_taken == 1


def test_more_seats_promote_the_waiting_list() -> None:
    meeting, admin = _meeting(capacity=1)
    registrations = [services.registration_create(actor=UserFactory(), meeting=meeting) for _i in range(3)]
    services.meeting_save(actor=admin, module=meeting.module, meeting=meeting, data={"capacity": 2})
    statuses = [Registration.objects.get(pk=r.pk).status for r in registrations]
    assert statuses == ["confirmee", "confirmee", "attente"]


def test_answers_are_kept_for_the_meetings_questions_only() -> None:
    meeting, _admin = _meeting()
    registration = services.registration_create(
        actor=UserFactory(), meeting=meeting, answers={"Régime alimentaire": " végétarien ", "Autre": "x"}
    )
    assert registration.answers == {"Régime alimentaire": "végétarien"}
    with pytest.raises(ValidationError):
        services.registration_create(actor=UserFactory(), meeting=meeting, answers={"Régime alimentaire": "x" * 501})


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"registration_enabled": False}, "registration_not_required"),
        (
            {"start": timezone.now() - datetime.timedelta(days=2), "end": timezone.now() - datetime.timedelta(days=1)},
            "meeting_over",
        ),
    ],
)
def test_registration_is_refused_with_its_reason(changes: dict[str, object], code: str) -> None:
    meeting, _admin = _meeting(**changes)
    with pytest.raises(Refused) as refused:
        services.registration_create(actor=UserFactory(), meeting=meeting)
    assert refused.value.codes == [code]
    assert not Registration.objects.exists()


def test_a_cancelled_meeting_takes_no_registration_and_tells_the_registered(
    django_capture_on_commit_callbacks: Any,
) -> None:
    meeting, admin = _meeting()
    resident = UserFactory()
    services.registration_create(actor=resident, meeting=meeting)
    with pytest.raises(ValidationError):
        services.meeting_cancel(actor=admin, meeting=meeting, reason="  ")
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_cancel(actor=admin, meeting=meeting, reason="Salle indisponible")
    meeting.refresh_from_db()
    assert meeting.is_cancelled and meeting.sequence == 1
    assert Notification.objects.filter(recipient=resident, event="meetings.cancelled").exists()
    with pytest.raises(Refused) as refused:
        services.registration_create(actor=UserFactory(), meeting=meeting)
    assert refused.value.codes == ["meeting_cancelled"]


def test_an_agent_registers_someone_by_phone_and_checks_the_code_at_the_door() -> None:
    meeting, admin = _meeting(capacity=1)
    services.registration_create(actor=UserFactory(), meeting=meeting)
    with pytest.raises(ValidationError) as error:
        services.registration_add_by_agent(actor=admin, meeting=meeting, name="Marcel Dupont")
    assert "phone" in error.value.error_dict
    waiting = services.registration_add_by_agent(
        actor=admin,
        meeting=meeting,
        name="Marcel Dupont",
        phone="03 26 00 00 00",
        answers={"Régime alimentaire": "sans sel"},
    )
    assert waiting.status == Registration.Status.WAITING and waiting.registered_by == admin and waiting.user is None
    with pytest.raises(Refused):
        services.registration_add_by_agent(actor=UserFactory(), meeting=meeting, name="X", phone="1")
    confirmed = Registration.objects.get(meeting=meeting, status=Registration.Status.CONFIRMED)
    checked = services.registration_check_in(actor=admin, meeting=meeting, code=confirmed.code.lower())
    assert checked.checked_in_at is not None
    with pytest.raises(ValidationError):
        services.registration_check_in(actor=admin, meeting=meeting, code=waiting.code)
    with pytest.raises(ValidationError):
        services.registration_check_in(actor=admin, meeting=meeting, code="ZZZZZZ")


def test_only_the_person_or_the_organisers_cancel_a_registration() -> None:
    meeting, admin = _meeting()
    registration = services.registration_create(actor=UserFactory(), meeting=meeting)
    with pytest.raises(Refused):
        services.registration_cancel(actor=UserFactory(), registration=registration)
    services.registration_cancel(actor=admin, registration=registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED


def test_moving_a_meeting_raises_its_sequence_and_tells_the_registered(django_capture_on_commit_callbacks: Any) -> None:
    meeting, admin = _meeting()
    resident = UserFactory()
    services.registration_create(actor=resident, meeting=meeting)
    later = meeting.start + datetime.timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        services.meeting_save(
            actor=admin,
            module=meeting.module,
            meeting=meeting,
            data={"start": later, "end": later + datetime.timedelta(hours=2)},
        )
    meeting.refresh_from_db()
    assert meeting.sequence == 1
    assert Notification.objects.filter(recipient=resident, event="meetings.changed").count() == 1


def test_reminders_go_the_day_before_once() -> None:
    meeting, _admin = _meeting()
    resident = UserFactory()
    services.registration_create(actor=resident, meeting=meeting)
    day_before = meeting.start - datetime.timedelta(days=1)
    assert services.send_reminders(now=day_before - datetime.timedelta(days=1)) == 0
    assert services.send_reminders(now=day_before) == 1
    assert services.send_reminders(now=day_before) == 0
    assert Notification.objects.filter(recipient=resident, event="meetings.reminder").count() == 1


def test_minutes_after_the_start_only() -> None:
    meeting, admin = _meeting()
    with pytest.raises(ValidationError):
        services.minutes_save(actor=admin, meeting=meeting, minutes="<p>Trop tôt</p>", attendees_count=3)
    past = MeetingFactory(module=meeting.module, start=timezone.now() - datetime.timedelta(hours=3))
    with pytest.raises(Refused):
        services.minutes_save(actor=UserFactory(), meeting=past, minutes="<p>Compte rendu</p>", attendees_count=3)
    services.minutes_save(actor=admin, meeting=past, minutes="<p>Compte rendu</p>", attendees_count=42)
    past.refresh_from_db()
    assert past.attendees_count == 42 and past.minutes_published_at is not None


def test_contributions_of_the_same_space_are_linked_to_a_held_meeting() -> None:
    meeting, admin = _meeting()
    held = MeetingFactory(module=meeting.module, start=timezone.now() - datetime.timedelta(hours=3))
    idea = ItemFactory(module=ParticipationModuleFactory(space=meeting.module.space))
    elsewhere = ItemFactory()
    with pytest.raises(ValidationError):
        services.contribution_link(actor=admin, meeting=held, item=elsewhere)
    with pytest.raises(ValidationError):  # not held yet
        services.contribution_link(actor=admin, meeting=meeting, item=idea)
    services.contribution_link(actor=admin, meeting=held, item=idea)
    assert derived_from(held, admin) == [idea]


def test_account_deletion_frees_the_seat_for_the_waiting_list(django_capture_on_commit_callbacks: Any) -> None:
    from participe.modules.meetings.hooks import account_deleted

    meeting, _admin = _meeting(capacity=1)
    leaving, waiting = UserFactory(), UserFactory()
    services.registration_create(actor=leaving, meeting=meeting, answers={"Régime alimentaire": "sans gluten"})
    second = services.registration_create(actor=waiting, meeting=meeting)
    with django_capture_on_commit_callbacks(execute=True):
        account_deleted(leaving)
    second.refresh_from_db()
    meeting.refresh_from_db()
    assert second.status == Registration.Status.CONFIRMED
    assert not Registration.objects.filter(user=leaving).exists()
    assert not Registration.objects.filter(answers__has_key="Régime alimentaire").exists()
    assert (meeting.seats_taken, meeting.waiting_count) == recount(meeting) == (1, 0)
    assert Notification.objects.filter(recipient=waiting, event="meetings.promoted").count() == 1
