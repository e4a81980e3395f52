"""After the meeting: the minutes (compte rendu) with the number of attendees, and the contributions collected there
linked to the meeting (``participe.links``: the meeting is their origin)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.links.models import Link
from participe.links.services import link_create
from participe.modules.meetings.models import Meeting
from participe.modules.meetings.rules import NOT_ORGANISER
from participe.notifications.services import notify
from participe.permissions.refusals import require
from participe.search.services import index_object

# The kind of link from a meeting to what was collected there (an open vocabulary: decision 0011).
LINK_KIND = "meeting"


@transaction.atomic
def minutes_save(*, actor: User, meeting: Meeting, minutes: str, attendees_count: int | None) -> Meeting:
    """Publish or change the minutes of ``meeting`` and the number of people who came. Refused unless ``actor``
    organises it; refused before the meeting started. The first publication tells the meeting's followers and
    registered people."""
    require(actor, "meetings.manage_meetings", meeting, reason=NOT_ORGANISER)
    meeting = Meeting.objects.select_for_update().get(pk=meeting.pk)
    if meeting.start > timezone.now():
        raise ValidationError(_("Le compte rendu se publie une fois la réunion commencée."))
    if attendees_count is not None and attendees_count < 0:
        raise ValidationError({"attendees_count": _("Le nombre de participants ne peut pas être négatif.")})
    before = {"minutes": meeting.minutes, "attendees_count": meeting.attendees_count}
    first = not meeting.minutes_published_at and bool(minutes.strip())
    meeting.minutes = minutes
    meeting.attendees_count = attendees_count
    if first:
        meeting.minutes_published_at = timezone.now()
    meeting.save()
    audit(
        actor=actor,
        action="meetings.minutes",
        target=meeting,
        before=before,
        after={"minutes": meeting.minutes, "attendees_count": attendees_count},
    )
    index_object(meeting)
    if first:
        users = [
            r.user for r in meeting.registrations.filter(user__isnull=False, status="confirmee").select_related("user")
        ]
        transaction.on_commit(
            lambda: notify(
                event="meetings.minutes",
                target=meeting,
                actor=actor,
                recipients=users or None,
                context={"title": meeting.title},
            )
        )
    return meeting


@transaction.atomic
def contribution_link(*, actor: User, meeting: Meeting, item: Model) -> Link:
    """Record that ``item`` (a proposal, a comment… of a module of the same space, often entered by an agent on
    behalf of a resident) was collected at ``meeting``: the meeting page lists it, and the item shows « issu de la
    réunion ». Refused unless ``actor`` organises the meeting (and, through ``link_create``, runs the item's space);
    only a meeting that has started and is not cancelled collects contributions."""
    require(actor, "meetings.manage_meetings", meeting, reason=NOT_ORGANISER)
    module = getattr(item, "module", None)
    if module is None or module.space_id != meeting.module.space_id:
        raise ValidationError(_("Seules les contributions de la même démarche se rattachent à la réunion."))
    return link_create(actor=actor, origin=meeting, derived=item, kind=LINK_KIND)
