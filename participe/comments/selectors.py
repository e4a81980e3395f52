"""Reading comment threads: keyset pages of top-level comments, their first replies in one query."""

from __future__ import annotations

import datetime
import hashlib
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.cache import caches
from django.db.models import Count, F, Model, Q, QuerySet, Window
from django.db.models.functions import RowNumber

from participe.comments.models import STANCE_COUNTERS, Comment, Stance
from participe.core import pagecache, resources
from participe.core.models import ModerationStatus
from participe.core.pagination import KeysetPage, keyset_paginate
from participe.core.registry import registry


def edit_window() -> datetime.timedelta:
    """How long after posting the author may still change a comment (setting PARTICIPE_COMMENT_EDIT_MINUTES)."""
    return datetime.timedelta(minutes=int(getattr(settings, "PARTICIPE_COMMENT_EDIT_MINUTES", 15)))


SORTS: dict[str, tuple[str, ...]] = {
    "anciens": ("created_at", "pk"),
    "recents": ("-created_at", "-pk"),
    "soutenus": ("-supports_count", "-created_at", "-pk"),
}
DEFAULT_SORT = "anciens"
PAGE_SIZE = 20
REPLIES_SHOWN = 3


def commentable_target(content_type_id: int, object_id: int) -> Model | None:
    """The resource ``(content_type_id, object_id)`` if it exists and its manifest makes it commentable."""
    try:
        content_type = ContentType.objects.get_for_id(content_type_id)
    except ContentType.DoesNotExist:
        return None
    model = content_type.model_class()
    resource = registry.resource(model._meta.label) if model is not None else None
    if model is None or resource is None or not resource.commentable:
        return None
    # The phases once: the permission, the moderation setting and the form ask for the current phase (issue #12).
    queryset = model._default_manager.select_related("module__space").prefetch_related("module__phases")
    return queryset.filter(pk=object_id).first()  # type: ignore[no-any-return]


def can_moderate(user: Any, target: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.has_perm("comments.moderate_comment", target))


def comments_visible_to(user: Any, *, moderator: bool = False) -> QuerySet[Comment]:
    """Comments ``user`` may read: published ones, their own waiting or hidden ones (shown marked, decision 0006),
    and everything for a moderator."""
    comments = Comment.objects.select_related("author", "entered_by")
    if moderator:
        return comments
    visible = Q(moderation_status=ModerationStatus.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        visible |= Q(moderation_status__in=OWN_ONLY, author=user)
    return comments.filter(visible)


OWN_ONLY = (ModerationStatus.PENDING, ModerationStatus.HIDDEN)  # shown to their author (and moderators) only


def thread_of(target: Model) -> Q:
    return Q(content_type=ContentType.objects.get_for_model(target), object_id=target.pk)


@dataclass
class ThreadPage:
    """One page of a thread: top-level comments, and for each its first replies and how many more there are."""

    page: KeysetPage[Comment]
    sort: str
    more_replies: dict[int, int] = field(default_factory=dict)

    @property
    def comments(self) -> list[Comment]:
        return self.page.items


def thread_page(
    *,
    target: Model,
    user: Any,
    sort: str = DEFAULT_SORT,
    cursor: str | None = None,
    size: int = PAGE_SIZE,
    replies_shown: int = REPLIES_SHOWN,
) -> ThreadPage:
    """A page of top-level comments on ``target`` and their first ``replies_shown`` replies.

    What the page holds for every reader who sees only published comments — which comments, in which order, the
    next cursor, how many replies are not shown — is kept (``kept_key``): such a reader's page is then one query,
    the comments read again by their keys (with the reader's own waiting or hidden comments of the thread: found
    one, the page is read for them as before). A moderator's page, or any page with the page cache off, is read in
    three queries (issue #12)."""
    sort = sort if sort in SORTS else DEFAULT_SORT
    moderator = can_moderate(user, target)
    key = None if moderator else kept_key(target, sort=sort, cursor=cursor, size=size, replies_shown=replies_shown)
    if key is None:
        return _read(target, comments_visible_to(user, moderator=moderator), sort, cursor, size, replies_shown)
    store = caches[getattr(settings, "PARTICIPE_COMMENT_FRAGMENTS_STORE", "fragments")]
    kept = store.get(key)
    if not isinstance(kept, dict):
        everyone = _read(target, comments_visible_to(None), sort, cursor, size, replies_shown)
        kept = _kept(everyone)
        timeout = pagecache.lifetime()
        if timeout > 0:
            store.set(key, kept, timeout)
        if not getattr(user, "is_authenticated", False) or not _own_unpublished(target, user).exists():
            return everyone
    else:
        found = _from_kept(kept, target=target, user=user, sort=sort)
        if found is not None:
            return found
    return _read(target, comments_visible_to(user), sort, cursor, size, replies_shown)


KEPT_FORMAT = "1"  # bumped when what a kept page holds changes


def kept_key(target: Model, *, sort: str, cursor: str | None, size: int, replies_shown: int) -> str | None:
    """The key of a thread's page kept for every reader, under the tokens every write that changes the item's page
    renews (a comment, an edit, a withdrawal, a support, a moderation act: ``pagecache.item_tokens``); None when
    nothing may be kept (the page cache off, a target that is no démarche's item)."""
    tokens = pagecache.item_tokens(target)
    if tokens is None:
        return None
    content_type = ContentType.objects.get_for_model(target)
    parts = [KEPT_FORMAT, content_type.pk, target.pk, sort, cursor or "", size, replies_shown, *tokens]
    return "thread:" + hashlib.blake2b(repr(parts).encode(), digest_size=20).hexdigest()


def _kept(thread: ThreadPage) -> dict[str, Any]:
    """What is kept of a page read for every reader: keys only, never a comment's text or an account."""
    return {
        "items": [c.pk for c in thread.comments],
        "next": thread.page.next_cursor,
        "replies": {c.pk: [r.pk for r in c.shown_replies] for c in thread.comments},  # type: ignore[attr-defined]
        "more": dict(thread.more_replies),
    }


def _from_kept(kept: dict[str, Any], *, target: Model, user: Any, sort: str) -> ThreadPage | None:
    """The kept page with its comments read again (one query); None when it is not the reader's page: they have
    waiting or hidden comments in the thread, or a kept comment is gone or no longer published (read it anew)."""
    replies: dict[int, list[int]] = kept["replies"]
    wanted = [*kept["items"], *(pk for shown in replies.values() for pk in shown)]
    rows: dict[int, Comment] = {}
    condition = Q(pk__in=wanted)
    if getattr(user, "is_authenticated", False):
        condition |= _own_unpublished_of(target, user)
    if wanted or getattr(user, "is_authenticated", False):
        # The author's name is shown; of the agent who entered a comment, only that one did (``entered_by_id``).
        rows = {c.pk: c for c in Comment.objects.select_related("author").filter(condition)}
    if rows.keys() != set(wanted) or any(c.moderation_status != ModerationStatus.PUBLISHED for c in rows.values()):
        return None
    module = resources.module_of(target)
    items = [rows[pk] for pk in kept["items"]]
    more: dict[int, int] = kept["more"]
    for comment in items:
        _share_module(comment, module)
        comment.shown_replies = [rows[pk] for pk in replies.get(comment.pk, ())]  # type: ignore[attr-defined]
        for reply in comment.shown_replies:  # type: ignore[attr-defined]
            _share_module(reply, module)
        comment.more_replies = more.get(comment.pk, 0)  # type: ignore[attr-defined]
    return ThreadPage(page=KeysetPage(items=items, next_cursor=kept["next"]), sort=sort, more_replies=dict(more))


def _own_unpublished_of(target: Model, user: Any) -> Q:
    """The reader's own comments of the thread that only they see (waiting for a moderator, or hidden)."""
    return thread_of(target) & Q(author=user, moderation_status__in=OWN_ONLY)


def _own_unpublished(target: Model, user: Any) -> QuerySet[Comment]:
    return Comment.objects.filter(_own_unpublished_of(target, user))


def _read(
    target: Model, visible: QuerySet[Comment], sort: str, cursor: str | None, size: int, replies_shown: int
) -> ThreadPage:
    """The page read from the database, in three queries: the comments, their replies' keys, the replies shown."""
    page = keyset_paginate(
        visible.filter(thread_of(target), parent__isnull=True), ordering=SORTS[sort], cursor=cursor, size=size
    )
    result = ThreadPage(page=page, sort=sort)
    parents = {c.pk: c for c in page.items}
    module = resources.module_of(target)
    for comment in page.items:
        comment.shown_replies = []  # type: ignore[attr-defined]
        comment.more_replies = 0  # type: ignore[attr-defined]
        _share_module(comment, module)
    if not parents or replies_shown <= 0:
        return result
    shown, result.more_replies = _first_replies(visible, list(parents), replies_shown)
    for reply in shown:
        _share_module(reply, module)
        parents[reply.parent_id].shown_replies.append(reply)  # type: ignore[index, attr-defined]
    for pk, comment in parents.items():
        comment.more_replies = result.more_replies.get(pk, 0)  # type: ignore[attr-defined]
    return result


REPLIES_LISTED = 1000  # replies under a page's comments read as keys at most; more: the database picks the first


def _first_replies(visible: QuerySet[Comment], parents: list[int], shown: int) -> tuple[list[Comment], dict[int, int]]:
    """The first ``shown`` replies (oldest first) to each of ``parents`` visible to the reader, and how many more each
    has. The replies' keys are listed in one light query and the shown ones read by their keys — cheaper to build
    than a window function (issue #12); beyond ``REPLIES_LISTED`` replies under the page, the database numbers them
    (``ROW_NUMBER``) and counts them itself."""
    listed = list(
        visible.filter(parent_id__in=parents)
        .order_by("parent_id", "created_at", "pk")
        .values_list("pk", "parent_id")[: REPLIES_LISTED + 1]
    )
    if len(listed) <= REPLIES_LISTED:
        per_parent: dict[int, list[int]] = {}
        for pk, parent_id in listed:
            per_parent.setdefault(parent_id, []).append(pk)
        wanted = [pk for pks in per_parent.values() for pk in pks[:shown]]
        more = {parent_id: len(pks) - shown for parent_id, pks in per_parent.items() if len(pks) > shown}
        replies = list(visible.filter(pk__in=wanted).order_by("parent_id", "created_at", "pk")) if wanted else []
        return replies, more
    numbered = visible.filter(parent_id__in=parents).annotate(
        position=Window(RowNumber(), partition_by=[F("parent_id")], order_by=[F("created_at").asc(), F("pk").asc()])
    )
    replies = list(numbered.filter(position__lte=shown).order_by("parent_id", "created_at", "pk"))
    with_more = [parent_id for parent_id in parents if sum(r.parent_id == parent_id for r in replies) == shown]
    totals = (
        visible.filter(parent_id__in=with_more)
        .order_by()
        .values("parent_id")
        .annotate(n=Count("pk"))
        .values_list("parent_id", "n")
        if with_more
        else []
    )
    return replies, {pk: n - shown for pk, n in totals if n > shown}


def _share_module(comment: Comment, module: Any) -> None:
    """Every comment of a thread belongs to the module of its resource: reuse that instance, not one query each."""
    if module is not None and comment.module_id == module.pk:
        comment.module = module


def replies_page(*, comment: Comment, user: Any, cursor: str | None = None, size: int = 50) -> KeysetPage[Comment]:
    """Every reply to ``comment`` visible to ``user``, oldest first, by keyset pages."""
    visible = comments_visible_to(user, moderator=can_moderate(user, comment))
    page = keyset_paginate(visible.filter(parent=comment), ordering=("created_at", "pk"), cursor=cursor, size=size)
    for reply in page.items:
        _share_module(reply, comment.module)
    return page


def stance_summary(target: Any) -> list[dict[str, Any]]:
    """The counts per stance of ``target`` (from its denormalised counters), with their share in percent."""
    counts = [(stance, resources.count(target, STANCE_COUNTERS[stance])) for stance in Stance]
    total = sum(n for _stance, n in counts)
    return [
        {"stance": stance.value, "label": stance.label, "count": n, "percent": round(100 * n / total) if total else 0}
        for stance, n in counts
    ]
