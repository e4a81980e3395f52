"""What the meetings module does when an account is deleted (``Hooks.account_deleted``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from participe.modules.meetings.models import Meeting, Registration
from participe.modules.meetings.services.registrations import promote_waiting


def account_deleted(user: Any) -> None:
    """The person's registrations to meetings to come are cancelled (their seat goes to the first person waiting, who
    is told) and every registration of theirs loses its answers; past ones stay counted without a name."""
    with transaction.atomic():
        for registration in Registration.objects.filter(user=user).select_related("meeting"):
            meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
            freed = registration.status != Registration.Status.CANCELLED and not meeting.is_past()
            previous = registration.status
            if freed:
                registration.status = Registration.Status.CANCELLED
            registration.user = None
            registration.answers = {}
            registration.name = registration.phone = registration.email = ""
            registration.save()
            if freed:
                if previous == Registration.Status.CONFIRMED:
                    meeting.seats_taken = max(meeting.seats_taken - 1, 0)
                else:
                    meeting.waiting_count = max(meeting.waiting_count - 1, 0)
                meeting.save(update_fields=["seats_taken", "waiting_count", "updated_at"])
                promote_waiting(meeting, actor=None)
