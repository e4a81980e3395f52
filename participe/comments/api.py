"""API routes of comments, mounted under /api/v1/comments/.

Reading is public (what the caller may see); writing uses the signed-in session and its CSRF token.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Header, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from participe.accounts.middleware import participant
from participe.comments import selectors, services
from participe.comments.models import Comment
from participe.core import idempotency, schemas
from participe.core.schemas import errors

router = Router(tags=["comments"])


class CommentOut(Schema):
    id: int
    parent_id: int | None
    author: str
    stance: str
    body: str
    created_at: datetime.datetime
    edited_at: datetime.datetime | None
    deleted: bool
    entered_by_agent: bool
    official_role: str
    official_label: str
    moderation_status: str
    supports_count: int
    replies_count: int
    url: str


class ThreadComment(CommentOut):
    replies: list[CommentOut]
    more_replies: int


class StanceCounts(Schema):
    total: int
    favorable: int
    neutral: int
    unfavorable: int


class ThreadOut(Schema):
    counts: StanceCounts
    items: list[ThreadComment]
    next_cursor: str | None


class RepliesOut(Schema):
    items: list[CommentOut]
    next_cursor: str | None


class ThreadQuery(Schema):
    sort: str = selectors.DEFAULT_SORT
    cursor: str | None = None
    limit: int = 20


class CommentIn(Schema):
    body: str
    stance: str = ""
    parent_id: int | None = None


def _out(request: HttpRequest, comment: Comment, url: str) -> dict[str, Any]:
    return {
        "id": comment.pk,
        "parent_id": comment.parent_id,
        "author": comment.author_name,
        "stance": comment.stance,
        "body": comment.body,
        "created_at": comment.created_at,
        "edited_at": comment.edited_at,
        "deleted": comment.deleted_at is not None,
        "entered_by_agent": comment.entered_by_id is not None,
        "official_role": comment.official_role,
        "official_label": comment.official_label,
        "moderation_status": comment.moderation_status,
        "supports_count": comment.supports_count,
        "replies_count": comment.replies_count,
        "url": request.build_absolute_uri(f"{url}#commentaire-{comment.pk}"),
    }


def _target(request: HttpRequest, content_type_id: int, object_id: int) -> Any:
    target = selectors.commentable_target(content_type_id, object_id)
    if target is None or not request.user.has_perm("comments.view_comment", target):
        raise HttpError(404, "Not found")
    return target


@router.get("/{content_type_id}/{object_id}", response={200: ThreadOut, **errors(400, 404)})
def comment_list(
    request: HttpRequest, content_type_id: int, object_id: int, query: Query[ThreadQuery]
) -> dict[str, Any]:
    """Top-level comments of a resource by keyset pages (follow ``next_cursor``), each with its first replies.

    ``sort``: ``anciens`` (oldest first), ``recents`` (newest first) or ``soutenus`` (most supported first).
    """
    if query.sort not in selectors.SORTS:
        raise HttpError(400, "sort must be one of: " + ", ".join(selectors.SORTS))
    if not 1 <= query.limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100")
    target = _target(request, content_type_id, object_id)
    url = target.get_absolute_url().split("#", 1)[0]
    thread = selectors.thread_page(
        target=target, user=request.user, sort=query.sort, cursor=query.cursor, size=query.limit
    )
    items = [
        _out(request, c, url)
        | {
            "replies": [_out(request, r, url) for r in c.shown_replies],  # type: ignore[attr-defined]
            "more_replies": thread.more_replies.get(c.pk, 0),
        }
        for c in thread.comments
    ]
    counts = {
        "total": target.comments_count,
        "favorable": target.comments_favorable_count,
        "neutral": target.comments_neutral_count,
        "unfavorable": target.comments_unfavorable_count,
    }
    return {"counts": counts, "items": items, "next_cursor": thread.page.next_cursor}


@router.get("/comment/{comment_id}/replies", response=RepliesOut)
def comment_replies(request: HttpRequest, comment_id: int, cursor: str | None = None) -> dict[str, Any]:
    """Every reply to a comment, oldest first, by keyset pages."""
    comment = get_object_or_404(Comment.objects.select_related("module__space"), pk=comment_id, parent__isnull=True)
    if not request.user.has_perm("comments.view_comment", comment):
        raise HttpError(404, "Not found")
    target = comment.target
    url = target.get_absolute_url().split("#", 1)[0] if target is not None else ""
    page = selectors.replies_page(comment=comment, user=request.user, cursor=cursor)
    return {"items": [_out(request, r, url) for r in page.items], "next_cursor": page.next_cursor}


@router.post(
    "/{content_type_id}/{object_id}",
    response={201: CommentOut, 200: CommentOut, **errors(400, 403, 404)},
    auth=django_auth,
)
def comment_create(
    request: HttpRequest,
    content_type_id: int,
    object_id: int,
    data: CommentIn,
    idempotency_key: str | None = Header(None, alias=idempotency.HEADER),  # type: ignore[assignment]
) -> tuple[int, Any]:
    """Post a comment (``stance``: favorable, neutral or unfavorable) or, with ``parent_id``, a reply.

    Uses the signed-in session: send the CSRF token in the ``X-CSRFToken`` header. Send an ``Idempotency-Key``
    header (16 to 200 random ASCII characters, a UUID) to retry safely: the same key answers 200 with the first
    comment instead of posting it twice.
    """
    key = schemas.idempotency_key(idempotency_key)
    target = _target(request, content_type_id, object_id)
    parent = None
    if data.parent_id is not None:
        parent = Comment.objects.filter(pk=data.parent_id).first()
        if parent is None:
            raise HttpError(400, "parent_id: no such comment")
    actor, entered_by = participant(request)
    try:
        comment, created = idempotency.once(
            actor=request.user,
            key=key,
            scope="comments.comment_create",
            write=lambda: services.comment_create(
                actor=actor, target=target, body=data.body, stance=data.stance, parent=parent, entered_by=entered_by
            ),
        )
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from error
    return (201 if created else 200), _out(request, comment, target.get_absolute_url().split("#", 1)[0])
