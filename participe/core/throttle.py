"""Throttles on writes and the size of request bodies (docs/security.md, « Content limits and throttles »).

One mechanism: ``throttle(actor, action)`` counts an act of ``action`` for the account and for the client's address
against the rates of ``PARTICIPE_THROTTLES[action]`` and raises ``Throttled`` (with when to retry) past one of them.

- ``WriteLimitsMiddleware`` calls it with ``"write"`` for every POST, PUT, PATCH and DELETE — pages, API, forms of
  every app and module — and turns ``Throttled`` raised anywhere below into the page « Trop de demandes » (429) or,
  under ``/api/``, ``{"detail", "retry_after"}`` with a ``Retry-After`` header. It refuses first, with 413, a body
  larger than ``PARTICIPE_MAX_BODY_BYTES`` (files sent with a form apart, which have their own limits).
- Services that create a contribution call ``throttle(actor, "content")`` themselves, so that the page and the API
  are limited alike.

The client's address is the one ``participe.core.proxies`` found (behind the trusted proxies), bound for the time of
the request; outside a request (commands, the task worker) only the account counts. Whoever is at the keyboard — the
signed-in user, also when an agent acts for a resident — gets ``PARTICIPE_THROTTLE_STAFF_FACTOR`` times the rates
when a back-office role counts for them (``backoffice.access``): agents typing paper contributions.

Counters are fixed windows in the cache ``throttles``, one key per action, account or address, rate and window: the
Redis cache with ``REDIS_URL``, shared by every process; without it each process's memory (no database write per
request), so that each gunicorn worker counts apart — with N workers up to N times a rate passes. The cache's ``incr`` is not atomic on every backend: under a burst of
concurrent requests a few may pass beyond the rate — a throttle, not a quota (quotas are counted under row locks).
"""

from __future__ import annotations

import functools
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.env import parse_rates

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})
_request: ContextVar[HttpRequest | None] = ContextVar("participe_throttle_request", default=None)
_suspended: ContextVar[bool] = ContextVar("participe_throttle_suspended", default=False)
CACHE_ALIAS = "throttles"  # settings.CACHES: Redis with REDIS_URL, else each process's memory


class Throttled(Exception):
    """Too many acts of ``action`` in a window; ``retry_after`` seconds until the next one is accepted."""

    def __init__(self, action: str, retry_after: int) -> None:
        super().__init__(f"{action}: retry after {retry_after} s")
        self.action = action
        self.retry_after = max(1, int(retry_after))

    @property
    def message(self) -> str:
        """« Réessayez dans … », in words a person reads."""
        return retry_message(self.retry_after)


def retry_message(seconds: int) -> str:
    if seconds < 90:
        return ngettext(
            "Vous avez envoyé beaucoup de demandes en peu de temps : réessayez dans %(n)s seconde.",
            "Vous avez envoyé beaucoup de demandes en peu de temps : réessayez dans %(n)s secondes.",
            seconds,
        ) % {"n": seconds}
    minutes = math.ceil(seconds / 60)
    return ngettext(
        "Vous avez envoyé beaucoup de demandes en peu de temps : réessayez dans %(n)s minute.",
        "Vous avez envoyé beaucoup de demandes en peu de temps : réessayez dans %(n)s minutes.",
        minutes,
    ) % {"n": minutes}


@functools.lru_cache(maxsize=64)
def _rates(text: str) -> tuple[tuple[int, int], ...]:
    return parse_rates(text)


@contextmanager
def bound_to(request: HttpRequest) -> Iterator[None]:
    """Count the throttles of the block for ``request``'s client address and keyboard user."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


def _factor(request: HttpRequest | None, actor: Any) -> int:
    keyboard = getattr(request, "user", None) if request is not None else actor
    if keyboard is None or not getattr(keyboard, "is_authenticated", False):
        return 1
    if keyboard.has_perm("backoffice.access"):
        return max(1, int(getattr(settings, "PARTICIPE_THROTTLE_STAFF_FACTOR", 1)))
    return 1


def _subjects(actor: Any, request: HttpRequest | None) -> list[tuple[str, str]]:
    subjects = []
    if actor is not None and getattr(actor, "is_authenticated", False) and actor.pk is not None:
        subjects.append(("account", str(actor.pk)))
    address = request.META.get("REMOTE_ADDR", "") if request is not None else ""
    if address:
        subjects.append(("address", address))
    return subjects


def _clock() -> float:
    return time.time()


def _count(windows: dict[str, int]) -> dict[str, int]:
    """Add one to each counter (key → its window's length in seconds) and return the new counts: one read of them
    all, then one write per window length (a key names its window, so it is never read again once expired)."""
    cache = caches[CACHE_ALIAS]
    counted = {key: int(value) + 1 for key, value in cache.get_many(list(windows)).items()}
    counted = {key: counted.get(key, 1) for key in windows}
    for seconds in sorted(set(windows.values())):
        cache.set_many({key: n for key, n in counted.items() if windows[key] == seconds}, timeout=seconds + 1)
    return counted


@contextmanager
def suspended() -> Iterator[None]:
    """No throttle inside: for the operator's commands that write many contributions at once on purpose (the demo's
    data). Never around a request's work."""
    token = _suspended.set(True)
    try:
        yield
    finally:
        _suspended.reset(token)


def throttle(actor: Any, action: str) -> None:
    """Count one act of ``action`` by ``actor`` (and from the bound request's address); raise ``Throttled`` when
    a rate of ``PARTICIPE_THROTTLES[action]`` is passed. An action without rates is not limited."""
    limits = getattr(settings, "PARTICIPE_THROTTLES", {}).get(action)
    if not limits or _suspended.get():
        return
    request = _request.get()
    now = _clock()
    rates: dict[str, tuple[int, int]] = {}  # counter key → (rate, seconds left in its window)
    windows: dict[str, int] = {}
    for scope, ident in _subjects(actor, request):
        for count, seconds in _rates(limits.get(scope, "")):
            window = int(now // seconds)
            key = f"throttle:{action}:{scope}:{ident}:{seconds}:{window}"
            rates[key] = (count, math.ceil((window + 1) * seconds - now))
            windows[key] = seconds
    if not windows:
        return
    counts = _count(windows)
    passed = [(counts[key], count, left) for key, (count, left) in rates.items() if counts[key] > count]
    if not passed:
        return
    factor = _factor(request, actor)  # asked only past a rate: most writes cost no permission check
    wait = max((left for counted, count, left in passed if counted > count * factor), default=0)
    if wait:
        raise Throttled(action, wait)


def too_many(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """The answer to a throttled request: the page « Trop de demandes », or JSON under ``/api/``; 429 with
    ``Retry-After`` either way."""
    if request.path.startswith("/api/"):
        response: HttpResponse = JsonResponse(
            {"detail": exc.message, "retry_after": exc.retry_after},
            status=429,
            json_dumps_params={"ensure_ascii": False},
        )
    else:
        context = {"retry_message": exc.message, "retry_after": exc.retry_after}
        response = render(request, "429.html", context, status=429)
    response["Retry-After"] = str(exc.retry_after)
    return response


def body_too_large(request: HttpRequest) -> HttpResponse | None:
    """413 when the declared body is larger than this path accepts (files sent with a form apart), else None."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = int(settings.PARTICIPE_MAX_BODY_BYTES)
    if request.path.startswith("/gestion/"):
        limit = int(settings.PARTICIPE_MAX_BACKOFFICE_BODY_BYTES)
    if request.META.get("CONTENT_TYPE", "").startswith("multipart/form-data"):
        largest_file_mb = max(int(settings.PARTICIPE_MAX_DOCUMENT_MB), int(settings.PARTICIPE_MAX_IMAGE_MB))
        limit += max(int(settings.PARTICIPE_MAX_UPLOAD_BYTES), largest_file_mb * 1024 * 1024)
    if length <= limit:
        return None
    megabytes = max(1, limit // (1024 * 1024))
    message = _(
        "Ce que vous avez envoyé est trop volumineux (%(mb)s Mo au plus) : raccourcissez votre texte, ou envoyez les "
        "fichiers un par un."
    ) % {"mb": megabytes}
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": message}, status=413, json_dumps_params={"ensure_ascii": False})
    return render(request, "413.html", {"message": message}, status=413)


class WriteLimitsMiddleware:
    """413 for a body too large, 429 past the ``"write"`` throttle, for every unsafe request; the page or JSON of
    429 for ``Throttled`` raised by a view or a service. After the authentication and second-factor middlewares."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with bound_to(request):
            if request.method in UNSAFE_METHODS:
                refused = body_too_large(request)
                if refused is not None:
                    return refused
                try:
                    throttle(getattr(request, "user", None), "write")
                except Throttled as exc:
                    return too_many(request, exc)
            return self.get_response(request)

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Throttled):
            return too_many(request, exception)
        return None
