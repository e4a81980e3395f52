"""The public iCalendar feeds as served: the last built body of each feed is kept and served while a fresh one is
built by a worker (stale-while-revalidate, decision 0023), so the request that follows a change does not pay the
build.

A feed is named by its scope: ``organisation``, ``space:<pk>`` or ``territory:<pk>``, and built per language. Its
kept entry holds the version of the meetings it was built from, when it was built and its body:

- same version and younger than ``FEED_FRESH``: served as it is;
- a meeting changed less than ``FEED_CHANGE_GRACE`` ago, or the body is older than ``FEED_FRESH`` but younger than
  ``FEED_TTL``: the kept body is served and one rebuild is enqueued (one for all the requests that see it stale);
- no body at all, a change older than ``FEED_CHANGE_GRACE``, or a body older than ``FEED_TTL``: the request builds
  it (the bound holds even when no worker runs).
"""

from __future__ import annotations

import time
from typing import Any

from django.core.cache import cache
from django.utils import translation
from django.utils.translation import gettext as _

from participe.modules.meetings import ical, selectors
from participe.organisation.models import Organisation, Territory
from participe.spaces.models import Space

# Younger than this, a body is served without a look at the database; older, it is rebuilt in the background.
FEED_FRESH = 300
# Never served older than this (a space that turns private leaves the feeds at the latest this long after).
FEED_TTL = selectors.FEED_TTL
# A body missing a change is served at most this long after the change (a worker rebuilds it within a second or
# two of the request that enqueued it; past this, the request builds it itself).
FEED_CHANGE_GRACE = 60
# How long the kept body of a feed nobody asks for stays in the cache.
FEED_KEEP = 24 * 3600
# How long the mark « a rebuild is enqueued » keeps other requests from enqueueing another (a lost task is enqueued
# again after this).
REBUILD_MARK_TTL = 120


def _entry_key(scope: str, language: str) -> str:
    return f"meetings:feed-body:{language}:{scope}"


def _mark_key(scope: str, language: str) -> str:
    return f"meetings:feed-rebuild:{language}:{scope}"


def build(scope: str) -> bytes | None:
    """The body of the feed ``scope`` built from the database in the active language (None: no such scope)."""
    kind, _sep, pk = scope.partition(":")
    if kind == "organisation":
        organisation = Organisation.objects.filter(pk=1).first()
        name = _("Agenda — %(name)s") % {"name": organisation.name if organisation else "Participe"}
        return ical.calendar(selectors.feed_meetings(selectors.public_meetings()), name=name)
    if kind == "space":
        space = Space.objects.filter(pk=pk).first()
        if space is None:
            return None
        name = _("Agenda — %(title)s") % {"title": space.title}
        return ical.calendar(
            selectors.feed_meetings(selectors.public_meetings().filter(module__space=space)), name=name
        )
    if kind == "territory":
        territory = Territory.objects.filter(pk=pk).first()
        if territory is None:
            return None
        filters = selectors.AgendaFilters(territory=territory)
        name = _("Agenda — %(name)s") % {"name": territory.name}
        return ical.calendar(selectors.feed_meetings(filters.apply(selectors.public_meetings())), name=name)
    return None


def rebuild(scope: str, language: str) -> bytes | None:
    """Build the feed ``scope`` in ``language`` and keep it (what the worker runs). The version is read before the
    database: a change made during the build leaves the body stale, and the next request enqueues another."""
    version = selectors.feed_version()
    try:
        with translation.override(language):
            body = build(scope)
        if body is not None:
            entry = {"version": version, "built": time.time(), "body": body}
            cache.set(_entry_key(scope, language), entry, FEED_KEEP)
        return body
    finally:
        cache.delete(_mark_key(scope, language))


def _enqueue(scope: str, language: str) -> bool:
    """Enqueue one rebuild of ``scope`` unless one is already enqueued. True if the task has already run (the
    immediate backend of tests and of the demo)."""
    if not cache.add(_mark_key(scope, language), 1, REBUILD_MARK_TTL):
        return False
    from participe.modules.meetings.tasks import rebuild_feed

    result = rebuild_feed.enqueue(scope, language)
    return bool(result.is_finished)


def body(scope: str) -> bytes | None:
    """The body of the feed ``scope`` to serve now, in the active language (None: no such scope)."""
    language = translation.get_language() or "fr"
    entry: dict[str, Any] | None = cache.get(_entry_key(scope, language))
    if entry is None:
        return rebuild(scope, language)
    age = time.time() - entry["built"]
    version = selectors.feed_version()
    changed = entry["version"] != version
    if not changed and age < FEED_FRESH:
        return entry["body"]  # type: ignore[no-any-return]
    too_old = age >= FEED_TTL
    if changed:
        too_old = too_old or time.time() - selectors.feed_changed_at() >= FEED_CHANGE_GRACE
    if too_old:
        return rebuild(scope, language)
    if _enqueue(scope, language):
        fresh: dict[str, Any] | None = cache.get(_entry_key(scope, language))
        if fresh is not None:
            return fresh["body"]  # type: ignore[no-any-return]
    return entry["body"]  # type: ignore[no-any-return]
