"""Organising a meeting: creating and changing it, cancelling it."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.core.sanitize import strip_bidi_controls
from participe.modules.meetings.models import MAX_DURATION, Meeting, Registration
from participe.modules.meetings.rules import NOT_ORGANISER
from participe.modules.meetings.selectors import forget_feeds
from participe.modules.meetings.services.registrations import promote_waiting
from participe.notifications.services import notify
from participe.permissions.refusals import require
from participe.search.services import index_object
from participe.spaces.models import Module

# What an organiser writes (the back-office's MeetingForm offers exactly these).
EDITABLE = (
    "title",
    "kind",
    "status",
    "description",
    "start",
    "end",
    "organiser",
    "format",
    "place_name",
    "address",
    "latitude",
    "longitude",
    "territory",
    "theme",
    "step_free_access",
    "hearing_loop",
    "childcare",
    "accessibility_notes",
    "online_url",
    "registration_enabled",
    "capacity",
    "questions",
)
# A change of these tells calendars (SEQUENCE) and registered people that the meeting moved.
SCHEDULE = ("start", "end", "place_name", "address", "format", "online_url")


def _validate(meeting: Meeting) -> None:
    errors: dict[str, str] = {}
    if meeting.end <= meeting.start:
        errors["end"] = _("La fin doit être après le début.")
    elif meeting.end - meeting.start > MAX_DURATION:
        errors["end"] = _("Une réunion dure au plus sept jours : annoncez plutôt plusieurs réunions.")
    if meeting.is_in_person and not (meeting.address or meeting.place_name):
        errors["address"] = _("Indiquez le lieu d'une réunion sur place.")
    if meeting.is_online and not meeting.online_url:
        errors["online_url"] = _("Indiquez le lien d'une réunion en ligne.")
    if (meeting.latitude is None) != (meeting.longitude is None):
        errors["latitude"] = _("Donnez la latitude et la longitude, ou aucune des deux.")
    if meeting.registration_enabled and meeting.capacity == 0:
        errors["capacity"] = _("Une réunion avec inscription a au moins une place (laissez vide : sans limite).")
    if meeting.status == Meeting.Status.CANCELLED:
        errors["status"] = _("Pour annuler une réunion, utilisez « Annuler la réunion » : les inscrits sont prévenus.")
    if errors:
        raise ValidationError(errors)


@transaction.atomic
def meeting_save(*, actor: User, module: Module, data: dict[str, Any], meeting: Meeting | None = None) -> Meeting:
    """Create a meeting in ``module`` from ``data`` (the fields of ``EDITABLE``), or change ``meeting``.

    Refused unless ``actor`` organises the module's meetings (``meetings.manage_meetings``). Raises
    ``ValidationError`` (by field) for an end before the start, a place or a link missing for the format, half a
    point. More seats promote people from the waiting list; a changed time or place raises the iCalendar SEQUENCE and
    tells the registered people.
    """
    require(actor, "meetings.manage_meetings", module, reason=NOT_ORGANISER)
    if meeting is None:
        meeting = Meeting(module=module, created_by=actor)
        before: dict[str, Any] = {}
    else:
        meeting = Meeting.objects.select_for_update().get(pk=meeting.pk, module=module)
        before = {name: str(getattr(meeting, name)) for name in EDITABLE}
    if meeting.is_cancelled:
        raise ValidationError(_("Une réunion annulée ne se modifie plus."))
    for name in EDITABLE:
        if name in data:
            setattr(meeting, name, data[name])
    meeting.title = strip_bidi_controls(meeting.title)
    _validate(meeting)
    moved = bool(before) and any(str(getattr(meeting, name)) != before[name] for name in SCHEDULE)
    if before:
        meeting.sequence += 1
    meeting.save()
    promote_waiting(meeting, actor=actor)
    after = {name: str(getattr(meeting, name)) for name in EDITABLE}
    audit(actor=actor, action="meetings.save", target=meeting, before=before, after=after)
    index_object(meeting)
    transaction.on_commit(forget_feeds)
    if moved:
        _tell_registered(meeting, actor, "meetings.changed")
    return meeting


def _tell_registered(meeting: Meeting, actor: Any, event: str) -> None:
    users = [
        r.user
        for r in meeting.registrations.filter(user__isnull=False)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
    ]
    if users:
        transaction.on_commit(
            lambda: notify(event=event, target=meeting, actor=actor, recipients=users, context={"title": meeting.title})
        )


@transaction.atomic
def meeting_cancel(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    """Cancel ``meeting`` with ``reason`` (required): it stays on the agenda, marked cancelled (``STATUS:CANCELLED``
    in the feeds), and its registered people are told. Refused unless ``actor`` organises it."""
    require(actor, "meetings.manage_meetings", meeting, reason=NOT_ORGANISER)
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": _("Dites pourquoi la réunion est annulée : les inscrits le liront.")})
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.is_cancelled:
        return meeting
    meeting.status = Meeting.Status.CANCELLED
    meeting.cancellation_reason = reason[:500]
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancellation_reason", "sequence", "updated_at"])
    audit(actor=actor, action="meetings.cancel", target=meeting, after={"reason": meeting.cancellation_reason})
    index_object(meeting)
    transaction.on_commit(forget_feeds)
    _tell_registered(meeting, actor, "meetings.cancelled")
    return meeting
