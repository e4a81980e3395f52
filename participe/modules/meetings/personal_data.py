"""The person's registrations to meetings, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.modules.meetings.models import Meeting, Registration


def personal_data(user: Any) -> Tables:
    registrations = Registration.objects.filter(user=user).select_related("meeting").order_by("created_at", "pk")
    return {
        "inscriptions": rows(
            registrations,
            (
                "created_at",
                "meeting",
                "meeting.start",
                "name",
                "phone",
                "email",
                "get_status_display",
                "answers",
                "cancelled_at",
                "checked_in_at",
            ),
        ),
        "reunions_creees": rows(Meeting.objects.filter(created_by=user).order_by("pk"), ("created_at", "title")),
    }
