"""iCalendar (RFC 5545) for meetings: one meeting's file and the feeds, built with the ``icalendar`` library.

Times are written in Europe/Paris (the organisation's ``TIME_ZONE``) with its VTIMEZONE, so calendars show the local
hour across the changes of summer time; a cancelled meeting stays in the feed with ``STATUS:CANCELLED`` and a higher
``SEQUENCE``, so subscribed calendars strike it out instead of silently losing it.
"""

from __future__ import annotations

import datetime
import zoneinfo
from collections.abc import Iterable

import icalendar
from django.conf import settings
from django.utils import timezone

from participe.core.sanitize import plain_text
from participe.modules.meetings.models import Meeting

PRODID = "-//Participe//Agenda//FR"


def _zone() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _uid(meeting: Meeting) -> str:
    return f"meeting-{meeting.pk}@{settings.SITE_URL.split('://', 1)[-1]}"


def _location(meeting: Meeting) -> str:
    parts = []
    if meeting.is_in_person:
        parts = [p for p in (meeting.place_name, meeting.address) if p]
    if meeting.format == Meeting.Format.ONLINE:
        parts = ["En ligne"]
    return ", ".join(parts)


def event(meeting: Meeting) -> icalendar.Event:
    """The VEVENT of ``meeting`` (the online link is never in it: it is for registered people only)."""
    zone = _zone()
    item = icalendar.Event()
    item.add("uid", _uid(meeting))
    item.add("dtstamp", timezone.now().astimezone(datetime.UTC))
    item.add("dtstart", meeting.start.astimezone(zone))
    item.add("dtend", meeting.end.astimezone(zone))
    item.add("summary", meeting.title)
    description = plain_text(meeting.description)
    if meeting.is_cancelled and meeting.cancellation_reason:
        description = f"Annulée : {meeting.cancellation_reason}\n\n{description}".strip()
    if description:
        item.add("description", description)
    location = _location(meeting)
    if location:
        item.add("location", location)
    if meeting.latitude is not None and meeting.longitude is not None:
        item.add("geo", (meeting.latitude, meeting.longitude))
    item.add("url", settings.SITE_URL + meeting.get_absolute_url())
    item.add("status", "CANCELLED" if meeting.is_cancelled else "CONFIRMED")
    item.add("sequence", meeting.sequence)
    item.add("last-modified", meeting.updated_at.astimezone(datetime.UTC))
    item.add("categories", [str(meeting.get_kind_display())])
    return item


def calendar(meetings: Iterable[Meeting], *, name: str) -> bytes:
    """A VCALENDAR of ``meetings`` named ``name``, with the VTIMEZONE of every time zone it uses."""
    cal = icalendar.Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", settings.TIME_ZONE)
    for meeting in meetings:
        cal.add_component(event(meeting))
    cal.add_missing_timezones()
    return bytes(cal.to_ical())
