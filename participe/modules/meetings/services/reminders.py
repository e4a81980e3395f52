"""Reminders the day before: every registered person (seat confirmed, with an account) of the meetings of the next
day is told once, through the notifications service (in-app and by email per their preferences)."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils import timezone

from participe.core.dates import day_start
from participe.modules.meetings.models import Meeting, Registration
from participe.notifications.services import notify


def send_reminders(*, now: datetime.datetime | None = None) -> int:
    """Remind the people registered to the meetings that start tomorrow (local time); return how many meetings were
    reminded. Run daily (``manage.py meetings_remind``); a meeting is reminded once (``reminder_sent_at``), so a
    second run the same day sends nothing."""
    now = now or timezone.now()
    tomorrow = day_start(timezone.localdate(now) + datetime.timedelta(days=1))
    after = tomorrow + datetime.timedelta(days=1)
    due = Meeting.objects.filter(
        status=Meeting.Status.PUBLISHED,
        registration_enabled=True,
        reminder_sent_at__isnull=True,
        start__gte=tomorrow,
        start__lt=after,
    ).values_list("pk", flat=True)
    sent = 0
    for pk in list(due):
        with transaction.atomic():
            meeting = Meeting.objects.select_for_update().select_related("module__space").get(pk=pk)
            if meeting.reminder_sent_at is not None:
                continue
            users = [
                r.user
                for r in meeting.registrations.filter(
                    user__isnull=False, status=Registration.Status.CONFIRMED
                ).select_related("user")
            ]
            meeting.reminder_sent_at = now
            meeting.save(update_fields=["reminder_sent_at"])
            if users:
                notify(event="meetings.reminder", target=meeting, recipients=users, context={"title": meeting.title})
            sent += 1
    return sent
