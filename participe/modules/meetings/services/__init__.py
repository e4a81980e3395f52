"""Writes of the meetings module: each takes its actor and checks it (``require``), writes in a transaction under a
row lock where seats are counted, records the activity and tells people after commit."""

from participe.modules.meetings.services.meetings import meeting_cancel, meeting_save
from participe.modules.meetings.services.minutes import contribution_link, minutes_save
from participe.modules.meetings.services.registrations import (
    registration_add_by_agent,
    registration_cancel,
    registration_check_in,
    registration_create,
)
from participe.modules.meetings.services.reminders import send_reminders

__all__ = [
    "contribution_link",
    "meeting_cancel",
    "meeting_save",
    "minutes_save",
    "registration_add_by_agent",
    "registration_cancel",
    "registration_check_in",
    "registration_create",
    "send_reminders",
]
