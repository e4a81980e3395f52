"""Reads of the meetings module: the agenda (the organisation's, a space's, a territory's), the month grid, the
feeds, a meeting's page, the registrations organisers read, and the contributions a meeting may collect."""

from __future__ import annotations

import calendar
import datetime
import time
import uuid
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.core.cache import cache
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from participe.core.dates import day_start
from participe.core.pagination import KeysetPage, keyset_paginate
from participe.core.registry import registry
from participe.links.selectors import derived_from
from participe.modules.meetings.models import MAX_DURATION, Meeting, Registration
from participe.organisation.models import Territory
from participe.spaces.models import Module, Space
from participe.spaces.selectors import spaces_visible_to

ORDERING = ("start", "pk")
PAST_ORDERING = ("-start", "-pk")
# The feeds hold the meetings from a week ago on, at most this many (the nearest first): a calendar application
# reloads the whole feed every few hours, and a feed of 20,000 events helps no one (decision 0023).
FEED_PAST = datetime.timedelta(days=7)
FEED_LIMIT = 400
# A feed's body is never served older than this (a space that turns private leaves the feeds at the latest this
# long after); a meeting's change (``forget_feeds``) has it rebuilt sooner. How a body is kept and rebuilt in the
# background while the previous one is served: ``feeds`` (decision 0023).
FEED_TTL = 600
FEED_VERSION_KEY = "meetings:feed-version"
LISTED = (Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED)
LIST_FIELDS = ("module", "module__space", "territory", "theme")


@dataclass(frozen=True)
class AgendaFilters:
    """What an agenda is narrowed to (each optional): a territory and everything in it, a theme, a kind, a space,
    and a day."""

    territory: Territory | None = None
    theme_id: int | None = None
    kind: str | None = None
    space: Space | None = None
    day: datetime.date | None = None

    def apply(self, qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
        if self.territory is not None:
            qs = qs.filter(territory_id__in=self.territory.descendant_ids())
        if self.theme_id is not None:
            qs = qs.filter(theme_id=self.theme_id)
        if self.kind:
            qs = qs.filter(kind=self.kind)
        if self.space is not None:
            qs = qs.filter(module__space=self.space)
        if self.day is not None:
            qs = qs.filter(start__gte=day_start(self.day), start__lt=day_start(self.day + datetime.timedelta(days=1)))
        return qs


def upcoming(qs: QuerySet[Meeting], now: datetime.datetime | None = None) -> QuerySet[Meeting]:
    """The meetings of ``qs`` not over yet. A meeting lasts at most ``MAX_DURATION``: the bound on the start lets the
    database walk the index on the start from a week ago instead of from the first meeting ever."""
    now = now or timezone.now()
    return qs.filter(start__gt=now - MAX_DURATION, end__gt=now)


def feed_version() -> str:
    """The version of the meetings as the feeds show them (changed by every meeting's save or cancellation)."""
    return str(cache.get(FEED_VERSION_KEY, "0"))


def feed_changed_at() -> float:
    """When the meetings last changed (seconds since the epoch, 0 if never since the cache was emptied)."""
    stamp, _sep, _rest = feed_version().partition("-")
    try:
        return float(stamp)
    except ValueError:
        return 0.0


def forget_feeds() -> None:
    """A meeting changed: every feed is rebuilt (``feeds``), its previous body served meanwhile for a short while."""
    cache.set(FEED_VERSION_KEY, f"{time.time():.6f}-{uuid.uuid4().hex}", None)


def public_meetings() -> QuerySet[Meeting]:
    """Meetings anyone may see: published or cancelled, in a published module of a public space that is published
    or archived. What the feeds serve (a feed is the same for everyone)."""
    return Meeting.objects.filter(
        status__in=LISTED,
        module__is_published=True,
        module__space__visibility=Space.Visibility.PUBLIC,
        module__space__status__in=(Space.Status.PUBLISHED, Space.Status.ARCHIVED),
    )


def meetings_visible_to(user: Any) -> QuerySet[Meeting]:
    """Meetings ``user`` may see on the agenda: the public ones, and those of the private spaces they are a member
    of (one query either way)."""
    if user is None or not user.is_authenticated:
        return public_meetings()
    return Meeting.objects.filter(
        status__in=LISTED, module__is_published=True, module__space__in=spaces_visible_to(user)
    )


def agenda_page(
    user: Any, filters: AgendaFilters, *, cursor: str | None, past: bool = False, size: int = 20
) -> KeysetPage[Meeting]:
    """One page of the agenda: upcoming meetings (not over yet) soonest first, or past ones latest first."""
    now = timezone.now()
    qs = filters.apply(meetings_visible_to(user))
    qs = qs.filter(start__lt=now, end__lte=now) if past else upcoming(qs, now)
    return keyset_paginate(
        qs.select_related(*LIST_FIELDS),
        ordering=PAST_ORDERING if past else ORDERING,
        cursor=cursor,
        size=size,
        nulls=False,
    )


@dataclass
class MonthDay:
    day: datetime.date | None
    meetings: list[Meeting] = field(default_factory=list)
    more: int = 0


PER_DAY = 3


def month_grid(user: Any, filters: AgendaFilters, year: int, month: int) -> list[list[MonthDay]]:
    """The weeks of a month (Monday first), each day with its first meetings and how many more there are."""
    first = datetime.date(year, month, 1)
    last = datetime.date(year, month, calendar.monthrange(year, month)[1])
    qs = filters.apply(meetings_visible_to(user)).filter(
        start__gte=day_start(first), start__lt=day_start(last + datetime.timedelta(days=1))
    )
    by_day: dict[datetime.date, MonthDay] = {}
    rows = (
        qs.select_related("module", "module__space")
        .only(
            "pk",
            "title",
            "start",
            "end",
            "status",
            "kind",
            "module__slug",
            "module__space__slug",
            "module__space__kind",
            "module__module_type",
        )
        .order_by("start", "pk")
    )
    for meeting in rows:
        day = timezone.localtime(meeting.start).date()
        cell = by_day.setdefault(day, MonthDay(day))
        if len(cell.meetings) < PER_DAY:
            cell.meetings.append(meeting)
        else:
            cell.more += 1
    weeks: list[list[MonthDay]] = []
    for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month):
        weeks.append([by_day.get(d, MonthDay(d)) if d.month == month else MonthDay(None) for d in week])
    return weeks


def feed_meetings(qs: QuerySet[Meeting]) -> list[Meeting]:
    """What a feed serves from ``qs``: meetings from a week ago on, nearest first, at most ``FEED_LIMIT``."""
    since = timezone.now() - FEED_PAST
    return list(
        qs.filter(start__gte=since)
        .select_related("module", "module__space", "territory")
        .order_by("start", "pk")[:FEED_LIMIT]
    )


def map_points(user: Any, filters: AgendaFilters, limit: int = 100) -> list[Meeting]:
    """Upcoming meetings with a point on the map (in person), soonest first."""
    qs = upcoming(filters.apply(meetings_visible_to(user))).filter(
        latitude__isnull=False, status=Meeting.Status.PUBLISHED
    )
    return list(qs.select_related("module", "module__space").order_by("start", "pk")[:limit])


MODULE_PAGE_UPCOMING = 20
MODULE_PAGE_PAST = 10


def module_agenda(module: Module, user: Any) -> tuple[list[Meeting], list[Meeting]]:
    """A meetings module's page: its next meetings and its last past ones (drafts for its organisers); the rest is
    on the agenda filtered by the space."""
    qs = module.meetings.select_related("territory", "theme")
    if not user.has_perm("meetings.manage_meetings", module):
        qs = qs.filter(status__in=LISTED)
    now = timezone.now()
    coming = list(upcoming(qs, now).order_by("start", "pk")[:MODULE_PAGE_UPCOMING])
    past = list(qs.filter(start__lt=now, end__lte=now).order_by("-start", "-pk")[:MODULE_PAGE_PAST])
    return coming, past


def meeting_of(module: Module, pk: int) -> Meeting | None:
    return (
        Meeting.objects.select_related("module", "module__space", "territory", "theme")
        .filter(module=module, pk=pk)
        .first()
    )


def registration_of(meeting: Meeting, user: Any) -> Registration | None:
    """``user``'s live registration to ``meeting`` (a seat or a waiting place), or None."""
    if not user.is_authenticated:
        return None
    return meeting.registrations.filter(user=user).exclude(status=Registration.Status.CANCELLED).first()


def waiting_position(registration: Registration) -> int:
    """1 for the first person waiting."""
    return (
        registration.meeting.registrations.filter(status=Registration.Status.WAITING)
        .filter(
            Q(created_at__lt=registration.created_at) | Q(created_at=registration.created_at, pk__lt=registration.pk)
        )
        .count()
        + 1
    )


def registrations_for_organisers(meeting: Meeting) -> list[Registration]:
    """Every registration of ``meeting`` with its answers, seats first then the waiting list in order."""
    rows = meeting.registrations.select_related("user", "registered_by").order_by("created_at", "pk")
    order = {Registration.Status.CONFIRMED: 0, Registration.Status.WAITING: 1, Registration.Status.CANCELLED: 2}
    return sorted(rows, key=lambda r: order[Registration.Status(r.status)])


def contributions_of(meeting: Meeting, user: Any) -> list[Model]:
    """The contributions collected at ``meeting`` (linked to it), as far as ``user`` may see them."""
    return derived_from(meeting, user)


def contribution_candidates(meeting: Meeting, limit: int = 50) -> list[tuple[Module, list[Model]]]:
    """Items of the other modules of the meeting's space an organiser may link to it: per module, the items of its
    resources that name an author, written since the day of the meeting (those entered for residents after it),
    latest first. Read through the registry's resources, never by importing another module."""
    since = day_start(timezone.localdate(meeting.start))
    found: list[tuple[Module, list[Model]]] = []
    modules = Module.objects.filter(space_id=meeting.module.space_id).exclude(module_type="meetings")
    for module in modules.order_by("position", "pk"):
        manifest = registry.get(module.module_type)
        for resource in manifest.resources if manifest else ():
            if not resource.author_field:
                continue
            model = apps.get_model(resource.model)
            if "created_at" not in {f.name for f in model._meta.get_fields()}:
                continue
            items = list(
                model._default_manager.filter(module=module, created_at__gte=since).order_by("-created_at")[:limit]
            )
            if items:
                found.append((module, items))
    return found


def next_meetings(module: Module, limit: int = 3) -> list[Meeting]:
    return list(upcoming(module.meetings.filter(status=Meeting.Status.PUBLISHED)).order_by("start", "pk")[:limit])
