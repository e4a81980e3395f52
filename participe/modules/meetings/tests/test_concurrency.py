"""Seats under concurrent requests (PostgreSQL): never more people seated than seats, the waiting list promoted once
per freed seat, the counters equal to a recount of the rows."""

from __future__ import annotations

import pytest

from participe.modules.meetings import services
from participe.modules.meetings.models import Meeting, Registration
from participe.modules.meetings.services.registrations import recount
from participe.modules.meetings.tests.factories import MeetingFactory
from tests.concurrency import race
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_twelve_people_registering_at_once_for_five_seats() -> None:
    meeting = MeetingFactory(registration_enabled=True, capacity=5)
    people = [UserFactory() for _ in range(12)]
    outcomes = race([lambda p=p: services.registration_create(actor=p, meeting=meeting) for p in people])
    assert outcomes == ["ok"] * 12
    meeting.refresh_from_db()
    assert (meeting.seats_taken, meeting.waiting_count) == recount(meeting) == (5, 7)


def test_cancellations_at_once_promote_as_many_people_waiting() -> None:
    meeting = MeetingFactory(registration_enabled=True, capacity=4)
    people = [UserFactory() for _ in range(10)]
    registrations = [services.registration_create(actor=p, meeting=meeting) for p in people]
    seated = [r for r in registrations if r.status == Registration.Status.CONFIRMED]
    outcomes = race(
        [lambda r=r: services.registration_cancel(actor=r.user, registration=r) for r in seated]
        + [lambda: services.registration_create(actor=UserFactory(), meeting=Meeting.objects.get(pk=meeting.pk))]
    )
    assert outcomes == ["ok"] * 5
    meeting.refresh_from_db()
    assert (meeting.seats_taken, meeting.waiting_count) == recount(meeting) == (4, 3)
    # The first four who waited got the seats, in the order they registered.
    promoted = Registration.objects.filter(meeting=meeting, promoted_at__isnull=False).order_by("created_at", "pk")
    assert [r.pk for r in promoted] == [r.pk for r in registrations[4:8]]
