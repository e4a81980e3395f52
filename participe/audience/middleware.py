"""Counts the pages people read (docs/statistics.md): after the view answered, a page that counts is appended to
the counter's buffer in memory (``counter.recorder``); nothing else happens during the request, and nothing here
can fail the page.

A page counts when it is a GET answered 200 with HTML, outside the back-office, the API, static and media files and
the paths of ``PARTICIPE_AUDIENCE_EXCLUDED_PATHS``; not a prefetch or prerender (``Purpose``/``Sec-Purpose``
headers), not an htmx fragment, and not asked with ``DNT: 1`` or ``Sec-GPC: 1`` when
``PARTICIPE_AUDIENCE_HONOUR_DNT`` is on (the default). Robots are recognised at the flush, by their user agent.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

from participe.audience.counter import Hit, recorder

logger = logging.getLogger(__name__)

ALWAYS_EXCLUDED = ("/gestion/", "/api/")  # the back-office and the API, whatever the settings say
# The spaces' pages and the bilans name their space by ``slug`` (a module's pages add ``module_slug``).
SPACE_NAMESPACES = frozenset({"spaces", "restitution"})


def excluded_paths() -> tuple[str, ...]:
    paths = getattr(settings, "PARTICIPE_AUDIENCE_EXCLUDED_PATHS", ())
    return (*ALWAYS_EXCLUDED, *paths, settings.STATIC_URL or "/static/", settings.MEDIA_URL or "/media/")


def counts(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this answer is a page read by someone (robots apart, told at the flush)."""
    if request.method != "GET" or response.status_code != 200:
        return False
    if not response.get("Content-Type", "").startswith("text/html"):
        return False  # feeds, files, exports, JSON
    if request.path.startswith(excluded_paths()):
        return False
    headers = request.headers
    purpose = f"{headers.get('Purpose', '')} {headers.get('Sec-Purpose', '')} {headers.get('X-Moz', '')}".lower()
    if "prefetch" in purpose or "prerender" in purpose:
        return False
    if "HX-Request" in headers:
        return False  # a fragment of a page already counted
    return not (
        getattr(settings, "PARTICIPE_AUDIENCE_HONOUR_DNT", True)
        and (headers.get("DNT") == "1" or headers.get("Sec-GPC") == "1")
    )


def _place(request: HttpRequest) -> tuple[str, str]:
    """The slugs of the space and module the page belongs to, from its address (no query)."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        return "", ""
    kwargs = match.kwargs
    if "module_slug" in kwargs or (match.namespaces and match.namespaces[0] in SPACE_NAMESPACES):
        return str(kwargs.get("slug", "")), str(kwargs.get("module_slug", ""))
    return "", ""


class AudienceMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not getattr(settings, "PARTICIPE_AUDIENCE_ENABLED", True):
            return response
        try:
            if counts(request, response):
                space, module = _place(request)
                meta = request.META
                recorder.add(
                    Hit(
                        time.time(),
                        meta.get("REMOTE_ADDR", ""),
                        meta.get("HTTP_USER_AGENT", ""),
                        meta.get("HTTP_REFERER", ""),
                        meta.get("HTTP_HOST") or meta.get("SERVER_NAME", ""),
                        request.path,
                        space,
                        module,
                    )
                )
        except Exception:  # never the page's problem; nothing about the visitor is logged
            logger.warning("A page view could not be counted.", exc_info=False)
        return response
