"""Parts of a page kept for signed-in readers too, with holes for what is personal (issue #12, decision 0046).

The page cache (decision 0041) serves visitors without a session only; a signed-in reader's page is rendered whole,
although most of it — a proposal's text, its answer, its links, its history — is what every reader sees. A template
marks such a part::

    {% load shared %}
    {% shared "proposal" is_author %}
      … what every reader sees …
      {% hole %}{% support_button proposal %}{% endhole %}
      …
    {% endshared %}

The part is rendered once with a marker in place of each hole and kept in the ``fragments`` cache; every request
(the first included) renders only its holes and puts them in. The key holds the part's name and arguments, the
address, the language, the time zone, the template's own text, the *reader's class* (a function the platform
registers: signed in or not and the démarches they belong to; None for the staff, whose parts are never kept) and the
**page cache's tokens** of the address (decision 0041, with its amendments): every write that renews the page kept for
visitors without a session renews the part, at once — the grace of decision 0045 does not apply here (the part is
keyed on the grace token too). A part marked ``steady`` (``{% shared "name" arg… steady %}``) shows nothing that a
support or a comment changes — counts, comments, the reader's support are all in its holes —: its key leaves the
grace token out, and it outlives supports and comments. Its lifetime is the page cache's (the next scheduled change, at most
``PARTICIPE_PAGE_CACHE_SECONDS``). Off when the page cache is off (the tokens are not renewed then).

Rules for a template: a hole holds everything that depends on who reads (forms, their CSRF token, buttons, links
shown to the author); a part holds no form (a CSRF token rendered in a part makes it not kept); holes are not inside
a loop or a ``{% with %}`` of the part (a hole is rendered in the context of the ``{% shared %}`` tag); parts are not
nested.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import get_language

from participe.core import pagecache

FORMAT = "1"
# What ``{% csrf_token %}`` renders while a part is rendered to be kept: found in the part, the part is not kept.
CSRF_SENTINEL = "sharedCSRFsentinel000000000000000000000000000000000000000000000"
FILLING = "_shared_filling"  # the context's flag: holes render their marker

# ``reader_class(user) -> str | None``: what, about the reader, parts may depend on; None: never kept for them.
ReaderClass = Callable[[Any], str | None]
_reader_class: ReaderClass | None = None
_digests: dict[str, str] = {}


def register_reader_class(function: ReaderClass) -> None:
    global _reader_class
    _reader_class = function


def enabled() -> bool:
    return bool(getattr(settings, "PARTICIPE_SHARED_FRAGMENTS", True)) and pagecache.enabled()


def _cache() -> Any:
    return caches[getattr(settings, "PARTICIPE_COMMENT_FRAGMENTS_STORE", "fragments")]


def mark(index: int) -> str:
    return f"\x1eshared-hole-{index}\x1f"


def _source_digest(template: Any) -> str:
    name = getattr(getattr(template, "origin", None), "name", "") or ""
    if name not in _digests or settings.DEBUG:
        _digests[name] = hashlib.blake2b(getattr(template, "source", "").encode(), digest_size=12).hexdigest()
    return _digests[name]


def key(request: HttpRequest | None, template: Any, name: str, args: list[Any], *, steady: bool = False) -> str | None:
    """The part's key for this request, or None when it is not to be kept (see the module's text). ``steady``: the
    part shows nothing a support or a comment changes (those are in its holes), so its key leaves out the part's grace
    token: it outlives supports and comments."""
    if request is None or not enabled() or request.method != "GET" or _reader_class is None:
        return None
    if getattr(request, "_page_cache_candidate", False) or getattr(request, "_page_cache_forbidden", False):
        return None  # a page kept whole for visitors without a session; a private démarche's page
    memo = getattr(request, "_shared_tokens", None)
    if memo is None:  # once per request, whatever the number of parts
        reader = _reader_class(getattr(request, "user", None))
        found = pagecache.tokens_of(request) if reader is not None else None
        memo = (reader or "", *found) if found is not None else ("", [], "")
        request._shared_tokens = memo  # type: ignore[attr-defined]
    reader, keyed, grace_token = memo
    if not keyed:
        return None
    tokens = keyed if steady else [*keyed, grace_token]
    meta = request.META
    parts = [
        FORMAT,
        name,
        *(str(a) for a in args),
        request.scheme or "",
        meta.get("HTTP_HOST", ""),
        request.path,
        meta.get("QUERY_STRING", ""),
        get_language() or "",
        timezone.get_current_timezone_name(),
        _source_digest(template),
        reader,
        *tokens,
    ]
    return "shared:" + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def get(key: str) -> tuple[str, tuple[int, ...]] | None:
    found = _cache().get(key)
    return found if isinstance(found, tuple) else None


def keep(key: str, html: str, holes: tuple[int, ...]) -> None:
    timeout = pagecache.lifetime()
    if timeout > 0:
        _cache().set(key, (html, holes), timeout)
