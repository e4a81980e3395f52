"""Public pages served from a cache to visitors without a session (decision 0041).

A visitor who sends no session cookie (and no pending message, no credentials) is anonymous and sees what every
other such visitor sees: the page of an address, in a language, as a whole page or as an htmx fragment. Those pages
(the home page, everything under ``/demarches/``, module pages included, and the search page) are kept whole in the
``pages`` cache and served again without reaching the view.

Freshness comes from *versioned keys*: a page's key holds the token of the whole site and, under a démarche, the
token of that démarche; the search page's holds the search index's token, renewed by every write to the index
(:func:`search_changed`). A write that changes what pages show gives the tokens a new value after its transaction
commits (:func:`changed`): the audit log calls it for every act it records, and the shared services that do not
always audit (comments, supports) call it themselves. What changes with time alone is bounded by the entry's
lifetime: at most ``PARTICIPE_PAGE_CACHE_SECONDS``, and never past the next scheduled change (a phase that starts or
ends, a news post that comes out) which a registered function tells.

Supports and new comments (:func:`interacted`) renew only the part of a démarche they show on — their item's page,
its module's pages, the démarche's own — and with a *grace* (decision 0045): a page kept before such an act is served
for at most ``PARTICIPE_PAGE_CACHE_GRACE_SECONDS`` after it was rendered, then rendered again, once for every visitor
(0: at once). So a busy item is rendered once per grace at most, whatever the rate of supports, and a visitor without
a session sees a support or a new comment at most that many seconds late. The search page has its own grace for a
new comment entering the index, ``PARTICIPE_PAGE_CACHE_SEARCH_GRACE_SECONDS``, and so have a module's pages and a
démarche's own, which show the counts of all their items, ``PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS``. Edits and withdrawals of a comment, and every
other change, show at once.

Never kept: an answer that is not a 200, that sets a cookie (a message, a session), that used a real CSRF token,
that asks not to be cached, or that a view forbade (:func:`forbid`: a private démarche). The CSRF token of the forms
(the language form of every page) is rendered as a placeholder and replaced by the visitor's own token when the page
is served, so that no token is ever stored. ``ETag`` (the stored body's hash with the visitor's CSRF secret) answers
a conditional GET with a 304.
"""

from __future__ import annotations

import hashlib
import secrets
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.middleware.csrf import get_token
from django.urls import Resolver404, resolve
from django.utils.cache import patch_vary_headers
from django.utils.translation import get_language

# What the ``{% csrf_token %}`` of a page to be kept renders: 64 characters of a token's alphabet, so that forms and
# attributes holding it stay well formed until it is replaced by the visitor's own token.
PLACEHOLDER = "pagecacheCSRFplaceholder0000000000000000000000000000000000000000"
_PLACEHOLDER_BYTES = PLACEHOLDER.encode()
SITE = "*"
# The search index's own token: the search page for visitors without a session is kept under it and the site's, and
# every write to the index renews it (``search_changed``). "@" is in no démarche's slug.
SEARCH = "@search"
# The suffix of a part's token renewed with a grace (a support, a new comment): not in the page's key, kept in its entry.
GRACE = "~"
_VERSION_PREFIX = "pagecache:v:"
_ENTRY_PREFIX = "pagecache:p:"
# The htmx headers a view may read to choose what it answers: part of the key.
_HTMX_HEADERS = (
    "HTTP_HX_REQUEST",
    "HTTP_HX_TARGET",
    "HTTP_HX_TRIGGER",
    "HTTP_HX_TRIGGER_NAME",
    "HTTP_HX_BOOSTED",
    "HTTP_HX_HISTORY_RESTORE_REQUEST",
)
_KEPT_HEADERS_EXCLUDED = {"set-cookie", "vary", "content-length", "etag"}
VARY = ("Cookie", "HX-Request")
# What the key holds (or what only visitors without a session, all alike, send): an answer may vary on these.
_VARY_KEYED = {"cookie", "accept-language", "hx-request", "hx-target", "hx-trigger", "hx-trigger-name", "hx-boosted"}

# What the platform registers (decision 0012: a lower tier offers a registration the upper one fills).
# ``scope_of(obj) -> (space slug or None, structural)``: the démarche whose pages an object shows on, and whether it
# also shows on the site's pages (a démarche, a module, a phase, a news post). None: every page.
ScopeResolver = Callable[[Any], tuple[str | None, bool]]
_scope_resolver: ScopeResolver | None = None
# ``item_of(obj) -> (démarche slug, module slug, item pk) or None``: the item whose own page shows a support or a
# comment (through what they are about), for :func:`interacted`.
ItemResolver = Callable[[Any], tuple[str, str, int] | None]
_item_resolver: ItemResolver | None = None
# ``next_change() -> unix time or None``: the next moment pages change with no write (a phase starting or ending).
_next_change: Callable[[], float | None] | None = None
_next_change_memo: tuple[str, float, float | None] = ("", 0.0, None)  # (site token, computed at, value)


def register_scope_resolver(resolver: ScopeResolver) -> None:
    global _scope_resolver
    _scope_resolver = resolver


def register_item_resolver(resolver: ItemResolver) -> None:
    global _item_resolver
    _item_resolver = resolver


def item_page(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Mark a module's view as an item's own page (its ``pk`` the item's): kept under that item's token instead of
    its module's, so that a support or a comment on another item of the module does not send it away."""
    view.page_cache_item = True  # type: ignore[attr-defined]
    return view


def register_next_change(function: Callable[[], float | None]) -> None:
    global _next_change
    _next_change = function


def enabled() -> bool:
    return bool(getattr(settings, "PARTICIPE_PAGE_CACHE", False))


# --- versions ---------------------------------------------------------------------------------------------------
def _versions_cache() -> Any:
    return caches[getattr(settings, "PARTICIPE_PAGE_CACHE_VERSIONS", "default")]


def _pages_cache() -> Any:
    return caches[getattr(settings, "PARTICIPE_PAGE_CACHE_STORE", "pages")]


def _scope_key(scope: str) -> str:
    return _VERSION_PREFIX + scope


# The tokens a request has read, kept for the rest of it (the middleware opens and closes the memo): the page's key,
# its kept parts, its kept thread and the site's values ask for the same tokens several times — one read of each
# (issue #12). A token renewed by the request itself (:func:`bump`) is read again; one renewed meanwhile by another
# process is seen by the next request, as if this one had read everything at its start.
_request = threading.local()


def _tokens(scopes: list[str]) -> list[str]:
    """The current token of each scope; a scope without one (never bumped, or culled from the cache) gets a new one,
    so that a lost token can never bring an old page back."""
    memo: dict[str, str] | None = getattr(_request, "tokens", None)
    known = memo if memo is not None else {}
    missing = [s for s in scopes if s not in known]
    if missing:
        cache = _versions_cache()
        found = cache.get_many([_scope_key(s) for s in missing])
        for scope in missing:
            key = _scope_key(scope)
            token = found.get(key)
            if token is None:
                token = secrets.token_hex(8)
                if not cache.add(key, token, timeout=None):
                    token = cache.get(key) or token
            known[scope] = str(token)
    return [known[s] for s in scopes]


def bump(*scopes: str) -> None:
    """Give ``scopes`` (``SITE``, a démarche's slug) a new token now: their pages are no longer served."""
    _versions_cache().set_many({_scope_key(s): secrets.token_hex(8) for s in scopes}, timeout=None)
    memo: dict[str, str] | None = getattr(_request, "tokens", None)
    if memo is not None:
        for scope in scopes:
            memo.pop(scope, None)


def bump_all() -> None:
    """Forget every page (``manage.py clear_page_cache``): every key holds the site's token."""
    bump(SITE)


def changed(obj: Any = None, *, action: str = "") -> None:
    """Something that pages may show changed: their tokens get a new value once the transaction commits (at once
    outside one). ``obj`` is the object changed; without one, or when nothing tells where it shows, every page."""
    if not enabled() or action.startswith(IGNORED_ACTIONS):
        return
    slug, structural = (None, True)
    if obj is not None and _scope_resolver is not None:
        slug, structural = _scope_resolver(obj)
    scopes = [slug] if slug else []
    if structural or not slug:
        scopes.append(SITE)
    transaction.on_commit(lambda: bump(*scopes), robust=True)


def _item_scope(slug: str, module_slug: str, pk: int) -> str:
    return f"{slug}/{module_slug}/#{pk}"


def _module_scope(slug: str, module_slug: str) -> str:
    return f"{slug}/{module_slug}/"


def _overview_scope(slug: str) -> str:
    return f"{slug}/"


def interacted(obj: Any, *, at_once: bool = False) -> None:
    """A support or a comment (``obj``, or what it is about) was added, changed or withdrawn: the item's own page,
    its module's other pages (lists, maps, feeds: their counts) and its démarche's own pages get new tokens after
    commit — not the other items' pages (decision 0041, amended). Their pages already kept are served for the grace
    still (decision 0045), unless ``at_once`` (a comment edited or withdrawn: its author wants the old text gone).
    An object whose item is not known: :func:`changed`."""
    if not enabled():
        return
    found = _item_resolver(obj) if _item_resolver is not None else None
    if found is None:
        changed(obj)
        return
    slug, module_slug, pk = found
    parts = [_item_scope(slug, module_slug, pk), _module_scope(slug, module_slug), _overview_scope(slug)]
    scopes = parts if at_once else [part + GRACE for part in parts]
    transaction.on_commit(lambda: bump(*scopes), robust=True)


def search_changed(*, grace: bool = False) -> None:
    """The search index changed (an entry written or removed): the kept search pages are no longer served, once the
    transaction commits — after the grace (decision 0045) when ``grace``: a new comment entered the index."""
    if enabled():
        scope = SEARCH + GRACE if grace else SEARCH
        transaction.on_commit(lambda: bump(scope), robust=True)


# Acts the audit log records that change no public page (accounts' verifications, exports, personal data).
IGNORED_ACTIONS = (
    "acting_for.",
    "census.",
    "dataright.",
    "retention.",
    "verification.",
    "notifications.",
    "proposals.export",
    "surveys.export",
    "signalements.apikey",
)


# --- what a view may say ----------------------------------------------------------------------------------------
def forbid(request: HttpRequest) -> None:
    """Never keep this request's answer (a page of a private démarche, whoever asks)."""
    request._page_cache_forbidden = True  # type: ignore[attr-defined]


def visitor_without_session(request: HttpRequest) -> bool:
    """True when the page cache is on and the request is one it serves: a visitor without a session, whose answer
    must then depend on nothing kept for them (the proposals' random order uses a shared seed then)."""
    return enabled() and _eligible(request)


def csrf_placeholder(request: HttpRequest) -> dict[str, str]:
    """Context processor: the placeholder instead of the CSRF token in a page that may be kept."""
    if getattr(request, "_page_cache_candidate", False):
        return {"csrf_token": PLACEHOLDER}
    return {}


# --- the middleware ---------------------------------------------------------------------------------------------
def _eligible(request: HttpRequest) -> bool:
    cookies = request.COOKIES
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in cookies
        and "messages" not in cookies  # django.contrib.messages' cookie: a notice waiting for this visitor
        and "HTTP_AUTHORIZATION" not in request.META
    )


def _scopes(request: HttpRequest) -> list[str] | None:
    """The tokens a page is kept under: ``SITE`` for the home page and the list of démarches; under
    ``/demarches/<slug>/``, ``SITE``, the démarche's slug (every act on the démarche renews it) and the token of the
    part of the démarche the page shows — its own pages, a module's pages, or an item's own page (a view marked
    :func:`item_page`) — which supports and comments renew (:func:`interacted`), then the same part's grace token
    (last: not in the key, see :func:`_split`); ``SITE`` and ``SEARCH`` for the search page; None for every other
    address (not kept)."""
    try:
        match = resolve(request.path_info)
    except Resolver404:
        return None
    if getattr(match.func, "page_cache_exempt", False):
        return None
    if not match.namespaces:
        return [SITE] if match.url_name == "home" else None
    if match.namespaces[0] == "search" and match.url_name == "search":
        return [SITE, SEARCH, SEARCH + GRACE]
    if match.namespaces[0] != "spaces":
        return None
    slug, module_slug, pk = match.kwargs.get("slug"), match.kwargs.get("module_slug"), match.kwargs.get("pk")
    if not slug:
        return [SITE]
    if not module_slug:  # the démarche's own pages (its page, its news)
        part = _overview_scope(str(slug))
    elif getattr(match.func, "page_cache_item", False) and isinstance(pk, int):
        part = _item_scope(str(slug), str(module_slug), pk)
    else:
        part = _module_scope(str(slug), str(module_slug))
    return [SITE, str(slug), part, part + GRACE]


def _split(scopes: list[str], tokens: list[str]) -> tuple[list[str], str]:
    """The tokens that go into the key, and the grace token (kept in the entry) or ""."""
    if scopes[-1].endswith(GRACE):
        return tokens[:-1], tokens[-1]
    return tokens, ""


def tokens_of(request: HttpRequest) -> tuple[list[str], str] | None:
    """The tokens of the page at ``request``'s address, whoever asks: those its key holds and its grace token ("" if
    it has none); None for an address whose pages are not kept. For what keeps parts of pages under the same tokens
    (``participe.core.shared``)."""
    scopes = _scopes(request)
    return None if scopes is None else _split(scopes, _tokens(scopes))


def item_tokens(obj: Any) -> list[str] | None:
    """The tokens every write that changes what the item of ``obj`` shows renews — the site's, its démarche's, its
    own and its own grace token (a support or a comment: :func:`interacted`, at once here) —; None when the page
    cache is off (nothing renews them then) or ``obj`` is no démarche's item. For what is kept about an item, read
    from any address (``participe.comments.selectors``: a page of a thread)."""
    found = _item_resolver(obj) if enabled() and _item_resolver is not None else None
    if found is None:
        return None
    slug, module_slug, pk = found
    part = _item_scope(slug, module_slug, pk)
    return _tokens([SITE, slug, part, part + GRACE])


def lifetime() -> int:
    """How long what is kept now may be kept: ``PARTICIPE_PAGE_CACHE_SECONDS``, never past the next scheduled change."""
    return _timeout()


def _grace(scope: str = "") -> float:
    """The grace of a part (decision 0045). An item's own page has the shortest; the search page's may be longer (a
    result is found a little later), and so may the pages that show the counts of many items — a module's lists, maps
    and feeds, a démarche's own pages (decision 0050): any support or comment below them renews them."""
    if scope == SEARCH + GRACE:
        return float(getattr(settings, "PARTICIPE_PAGE_CACHE_SEARCH_GRACE_SECONDS", 0))
    if scope.endswith("/" + GRACE):  # ``_module_scope`` and ``_overview_scope`` end with "/"; an item's with its key
        return float(getattr(settings, "PARTICIPE_PAGE_CACHE_LIST_GRACE_SECONDS", 0))
    return float(getattr(settings, "PARTICIPE_PAGE_CACHE_GRACE_SECONDS", 0))


def _now() -> float:
    return time.time()


def _fresh(entry: Entry, grace_token: str, scope: str) -> bool:
    """A kept page is served while no support or new comment came since it was rendered, or for the grace after."""
    return entry.grace_token == grace_token or _now() - entry.rendered_at < _grace(scope)


@dataclass(frozen=True)
class Entry:
    content: bytes
    headers: tuple[tuple[str, str], ...]
    etag: str
    has_placeholder: bool
    grace_token: str = ""  # the part's grace token when the page was rendered (decision 0045)
    rendered_at: float = 0.0  # when its tokens were read, before it was rendered


def _key(request: HttpRequest, tokens: list[str]) -> str:
    meta = request.META
    parts = [
        request.scheme or "",
        meta.get("HTTP_HOST", ""),
        request.path,
        meta.get("QUERY_STRING", ""),
        get_language() or "",
        *(meta.get(h, "") for h in _HTMX_HEADERS),
        *tokens,
    ]
    return _ENTRY_PREFIX + hashlib.blake2b("\x1f".join(parts).encode(), digest_size=20).hexdigest()


def _storable(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if getattr(request, "_page_cache_forbidden", False) or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return False
    session = getattr(request, "session", None)
    if session is not None and session.modified:
        return False
    # An answer that varies on something the key does not hold is not kept.
    varies = {h.strip().lower() for h in response.get("Vary", "").split(",") if h.strip()}
    if not varies <= _VARY_KEYED:
        return False
    # ``private`` stays: it keeps shared caches away from a page that may depend on who asks, and only the page of
    # visitors without a session is kept here, for them alone.
    control = response.get("Cache-Control", "").lower()
    return not any(word in control for word in ("no-store", "no-cache", "max-age=0"))


def _timeout() -> int:
    seconds = int(getattr(settings, "PARTICIPE_PAGE_CACHE_SECONDS", 300))
    boundary = _next_boundary()
    if boundary is not None:
        seconds = min(seconds, int(boundary - time.time()) + 1)
    return max(seconds, 0)


_site_values: dict[str, tuple[str, Any]] = {}


def site_value(name: str, build: Callable[[], Any]) -> Any:
    """What every page shows of the whole site and only a change of the site alters (the organisation, its permanent
    modules): built once per process for the site's token — again after any change that renews every page —, built
    each time when the page cache is off. The value is shared by the requests of the process: read it, never change
    it (issue #12: two queries on every page rendered)."""
    if not enabled():
        return build()
    site = _tokens([SITE])[0]
    found = _site_values.get(name)
    if found is not None and found[0] == site:
        return found[1]
    value = build()
    _site_values[name] = (site, value)
    return value


def _next_boundary() -> float | None:
    """The next scheduled change, read at most once a minute per process and again after any change of the site."""
    global _next_change_memo
    if _next_change is None:
        return None
    site = _tokens([SITE])[0]
    token, at, value = _next_change_memo
    now = time.time()
    if token != site or now - at > 60 or (value is not None and value <= now):
        value = _next_change()
        _next_change_memo = (site, now, value)
    return value


def _etag(entry: Entry, request: HttpRequest) -> str:
    if not entry.has_placeholder:
        return f'"{entry.etag}"'
    # The page holds the visitor's token: the same body answers only the same CSRF secret.
    secret = request.META.get("CSRF_COOKIE", "")
    return f'"{entry.etag}-{hashlib.blake2b(secret.encode(), digest_size=6).hexdigest()}"'


def _serve(request: HttpRequest, entry: Entry, response: HttpResponse | None = None) -> HttpResponse:
    """The answer from ``entry``, the visitor's CSRF token put in; a 304 when the visitor holds this very page."""
    token = get_token(request) if entry.has_placeholder else ""
    etag = _etag(entry, request)
    if request.META.get("HTTP_IF_NONE_MATCH") == etag:
        answer: HttpResponse = HttpResponseNotModified()
        for name, value in entry.headers:
            if name.lower() == "cache-control":
                answer[name] = value
    else:
        content = entry.content.replace(_PLACEHOLDER_BYTES, token.encode()) if entry.has_placeholder else entry.content
        if response is None:
            answer = HttpResponse(content, headers=dict(entry.headers))
        else:
            answer = response
            answer.content = content
    answer["ETag"] = etag
    if "Cache-Control" not in answer:
        answer["Cache-Control"] = "no-cache"  # browsers and proxies ask again (a 304 when nothing changed)
    patch_vary_headers(answer, VARY)
    return answer


class PageCacheMiddleware:
    """Serves and keeps the public pages of visitors without a session (see the module's docstring). Placed after
    ``CsrfViewMiddleware`` (the visitor's CSRF cookie is read, and set on the way out) and before authentication:
    a page served from here costs the outer middlewares and one read of the tokens and one of the page."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        _request.tokens = {}
        try:
            return self._answer(request)
        finally:
            _request.tokens = None

    def _answer(self, request: HttpRequest) -> HttpResponse:
        if not enabled() or not _eligible(request):
            return self.get_response(request)
        scopes = _scopes(request)
        if scopes is None:
            return self.get_response(request)
        started = _now()
        keyed, grace_token = _split(scopes, _tokens(scopes))
        key = _key(request, keyed)
        pages = _pages_cache()
        entry = pages.get(key)
        if isinstance(entry, Entry) and _fresh(entry, grace_token, scopes[-1]):
            return _serve(request, entry)
        request._page_cache_candidate = True  # type: ignore[attr-defined]
        response = self.get_response(request)
        content = b"" if response.streaming else response.content
        has_placeholder = _PLACEHOLDER_BYTES in content
        if not _storable(request, response):
            if has_placeholder:
                response.content = content.replace(_PLACEHOLDER_BYTES, get_token(request).encode())
            return response
        entry = Entry(
            content=content,
            headers=tuple((k, v) for k, v in response.items() if k.lower() not in _KEPT_HEADERS_EXCLUDED),
            etag=hashlib.blake2b(content, digest_size=12).hexdigest(),
            has_placeholder=has_placeholder,
            grace_token=grace_token,
            rendered_at=started,
        )
        timeout = _timeout()
        if timeout > 0:
            pages.set(key, entry, timeout)
        return _serve(request, entry, response)
