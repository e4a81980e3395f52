"""What the meetings module does when an account is deleted (``Hooks.account_deleted``)."""

from __future__ import annotations

from typing import Any

from django.db import transaction

from participe.modules.meetings.models import Meeting, Registration
from participe.modules.meetings.services.registrations import give_back


def account_deleted(user: Any) -> None:
    """The person's registrations to meetings to come are cancelled (their seat goes to the first person waiting, who
    is told) and every registration of theirs loses its answers; past ones stay counted without a name."""
    with transaction.atomic():
        for registration in Registration.objects.filter(user=user):
            meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
            if registration.status != Registration.Status.CANCELLED and not meeting.is_past():
                give_back(meeting, registration, actor=None)
            registration.user = None
            registration.answers = {}
            registration.name = registration.phone = registration.email = ""
            registration.save()
