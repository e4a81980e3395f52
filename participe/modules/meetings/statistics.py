"""The figures of a meetings module (``statistics(module)``), shown in the back-office and the API."""

from __future__ import annotations

from django.db.models import Count, Q, Sum
from django.utils.translation import gettext_lazy as _

from participe.core.registry import Statistic, figures
from participe.modules.meetings.models import Meeting, Registration
from participe.spaces.models import Module

LABELS = {
    "meetings": _("Réunions"),
    "registrations": _("Inscriptions"),
    "participants": _("Participants comptés"),
}


def statistics(module: Module) -> list[Statistic]:
    meetings = Meeting.objects.filter(module=module).exclude(status=Meeting.Status.DRAFT)
    totals = meetings.aggregate(count=Count("pk"), attendees=Sum("attendees_count"))
    registrations = Registration.objects.filter(meeting__module=module).filter(Q(status=Registration.Status.CONFIRMED))
    return figures(
        {
            "meetings": totals["count"] or 0,
            "registrations": registrations.count(),
            "participants": totals["attendees"] or 0,
        },
        LABELS,
    )
