"""A comment's rendered HTML kept under the hash of everything it shows (issue #12, decision 0044).

A page of 50 comments spent most of its time in Django's template engine rendering the same comments again for
every visitor. Each comment's own part (``comments/partials/_comment_own.html``: author, date, badges, text, support
button, report link, reply form) is kept in the ``fragments`` cache under a key *computed from what it shows*: the
comment's displayed fields, its support count, the state of the visitor's support button (supported or not, allowed
or why not, supports left, the page to come back to), whether the visitor may reply, the language, the time zone and
the templates' own text. Nothing is ever invalidated: an edit, a moderation act, a support or a renamed author gives
another key, and the entry for the old state is simply never asked for again (it ages out of the cache).

A comment the visitor wrote is kept for them alone: its key adds who they are and what they may do with it (edit,
delete — the edit window closing gives another key), so their links never reach another visitor. Never kept,
rendered each time as before: any comment for a superuser, a comment moderation has touched (what it shows depends
on who looks), a reply form shown again with its errors, a comment announced with a message or to be focused.
Replies are kept one by one and put inside their parent.

A list of comments (a page of the thread, the next page, a comment's replies) reads the kept parts of all its
comments and of the replies shown under them at once (``prefetch``, ``{% prefetch_comment_fragments %}``): one round
trip to the cache (Redis in production) instead of one per comment.

What is personal in a kept fragment is a placeholder: the CSRF token (replaced by the visitor's own when it is served)
and each form's one-time token (a fresh one for each form served, so that two visitors never share one).
"""

from __future__ import annotations

import hashlib
import re
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.template import Context
from django.template.loader import get_template
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from participe.core import idempotency
from participe.core.models import ModerationStatus

OWN_TEMPLATE = "comments/partials/_comment_own.html"
REPLIES_TEMPLATE = "comments/partials/_comment_replies.html"
# Every template whose text a kept fragment holds: their sources are part of each key.
FRAGMENT_TEMPLATES = (
    OWN_TEMPLATE,
    "supports/partials/_support_button.html",
    "supports/partials/_support_count.html",
    "supports/partials/_support_action.html",
    "moderation/partials/_report_link.html",
    "moderation/partials/_mark.html",
)
FORMAT = "2"  # this module's own format: bumped when what a key holds changes
CSRF_PLACEHOLDER = "fragmentCSRFplaceholder00000000000000000000000000000000000000000"
TOKEN_PLACEHOLDER = "fragmentONETIMEplaceholder000000"
_TOKEN_FIELD = re.compile(rf'(<input type="hidden" name="{idempotency.FORM_FIELD}" value=")([^"]*)(")')
_DISPLAYED = (
    "pk",
    "parent_id",
    "official_role",
    "official_label",
    "author_id",
    "author_name",
    "created_at",
    "stance",
    "entered_by_id",
    "edited_at",
    "deleted_at",
    "moderation_status",
    "moderated_at",
    "supports_count",
    "body",
)
_templates_digest: str | None = None


def enabled() -> bool:
    return bool(getattr(settings, "PARTICIPE_COMMENT_FRAGMENTS", True))


def _template(name: str) -> Any:
    """The engine's own template (rendered with the page's ``Context``: its processors already ran)."""
    return get_template(name).template  # type: ignore[attr-defined]


def _cache() -> Any:
    return caches[getattr(settings, "PARTICIPE_COMMENT_FRAGMENTS_STORE", "fragments")]


def _templates() -> str:
    """A digest of the fragment templates' sources (read once per process): a new text never meets an old entry."""
    global _templates_digest
    if _templates_digest is None or settings.DEBUG:  # DEBUG: templates are read again at each render
        digest = hashlib.blake2b(FORMAT.encode(), digest_size=16)
        for name in FRAGMENT_TEMPLATES:
            digest.update(_template(name).source.encode())
        _templates_digest = digest.hexdigest()
    return _templates_digest


def cacheable(context: Context, comment: Any) -> bool:
    """Whether the comment's own part is the same for every visitor in the same state (see the module's text)."""
    if not enabled() or comment is None or not getattr(comment, "pk", None):
        return False
    if context.get("reply_form") or context.get("status_message") or context.get("focus_first"):
        return False
    if comment.moderated_at is not None or comment.moderation_status != ModerationStatus.PUBLISHED:
        return False
    user: Any = context.get("user")
    return not getattr(user, "is_superuser", False)


def _own(context: Context, comment: Any) -> tuple[Any, ...]:
    """For the comment's author: who they are and what they may do with it (the part shows their links); else ()."""
    from participe.comments.templatetags.comments import comment_rights

    user: Any = context.get("user")
    if not getattr(user, "is_authenticated", False) or comment.author_id != user.pk:
        return ()
    rights = comment_rights(user, comment)
    return ("own", user.pk, rights["edit"], rights["delete"])


def _key(context: Context, comment: Any) -> str:
    from participe.supports.templatetags.supports import button_context

    request = context.get("request")
    supported = context.get("supported")
    button = button_context(request, comment, supported=None if supported is None else int(comment.pk) in supported)
    button.pop("target", None)
    parts = [
        _templates(),
        get_language() or "",
        timezone.get_current_timezone_name(),
        bool(context.get("can_comment")),
        context.get("max_length"),
        sorted(button.items()),
        [getattr(comment, name, None) for name in _DISPLAYED],
        _own(context, comment),
    ]
    return "comment:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


PREFETCHED = "comment_fragments_prefetched"  # in the context: comment pk → (key, kept HTML or None)


def _with_replies(comments: Any) -> list[Any]:
    found = []
    for comment in comments or ():
        found.append(comment)
        found.extend(getattr(comment, "shown_replies", None) or ())
    return found


def prefetch(context: Context, comments: Any) -> None:
    """Read at once the kept parts of ``comments`` and of the replies shown under them; ``own_part`` then finds each
    one's key and HTML in the context instead of asking the cache for it. A comment's key does not depend on what
    ``article`` pushes for the replies (the reply form, the message, the focus), so it is the one ``own_part`` would
    compute; whether the part may be kept is still decided there."""
    if not enabled():
        return
    keys = {
        comment.pk: _key(context, comment)
        for comment in _with_replies(comments)
        if getattr(comment, "pk", None) and cacheable(context, comment)
    }
    kept = _cache().get_many(list(set(keys.values()))) if keys else {}
    context[PREFETCHED] = {pk: (key, kept.get(key)) for pk, key in keys.items()}


def _render_own(context: Context, comment: Any, *, csrf: Any) -> str:
    with context.push(comment=comment, csrf_token=csrf):
        return _template(OWN_TEMPLATE).render(context)


def _personal(html: str, context: Context) -> str:
    """The visitor's CSRF token and a fresh one-time token per form, in place of the placeholders."""
    if CSRF_PLACEHOLDER in html:
        html = html.replace(CSRF_PLACEHOLDER, str(context.get("csrf_token") or ""))
    if TOKEN_PLACEHOLDER in html:
        pieces = html.split(TOKEN_PLACEHOLDER)
        html = pieces[0] + "".join(idempotency.new_token() + piece for piece in pieces[1:])
    return html


def own_part(context: Context, comment: Any) -> str:
    """The comment's own part: from the kept fragment when there is one, else rendered (and kept)."""
    if not cacheable(context, comment):
        with context.push(comment=comment):
            return _template(OWN_TEMPLATE).render(context)
    prefetched = (context.get(PREFETCHED) or {}).get(comment.pk)
    cache = _cache()
    if prefetched is not None:
        key, html = prefetched
    else:
        key = _key(context, comment)
        html = cache.get(key)
    if html is None:
        html = _render_own(context, comment, csrf=CSRF_PLACEHOLDER)
        html = _TOKEN_FIELD.sub(lambda m: m.group(1) + TOKEN_PLACEHOLDER + m.group(3), html)
        cache.set(key, html, timeout=getattr(settings, "PARTICIPE_COMMENT_FRAGMENTS_SECONDS", 3600))
    return _personal(html, context)


def article(context: Context, comment: Any) -> SafeString:
    """``<article>`` of a comment with the replies shown under it (each kept on its own)."""
    html = own_part(context, comment)
    replies = getattr(comment, "shown_replies", None)
    if replies:
        inner = []
        with context.push(reply_form=None, status_message=None, focus_first=False):
            for reply in replies:
                inner.append(article(context, reply))
        with context.push(comment=comment, replies_html=mark_safe("".join(inner))):  # noqa: S308 (rendered above)
            html += _template(REPLIES_TEMPLATE).render(context)
    return mark_safe(html + "\n</article>")  # noqa: S308 (every part rendered by a template, escaped there)
