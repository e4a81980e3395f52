"""API routes of notifications, mounted under /api/v1/notifications/: my notifications, follows."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ObjectDoesNotExist, PermissionDenied, ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from participe.core.schemas import errors
from participe.notifications import selectors, services
from participe.notifications.display import absolute, details, event_label
from participe.notifications.models import Notification

router = Router(tags=["notifications"])


class NotificationOut(Schema):
    id: int
    event: str
    label: str
    target: str
    url: str
    details: list[str]
    actor: str | None
    created_at: datetime
    read: bool


class NotificationPage(Schema):
    items: list[NotificationOut]
    next_cursor: str | None
    unread: int


class UnreadOut(Schema):
    unread: int


class FollowIn(Schema):
    content_type_id: int
    object_id: int


class FollowOut(Schema):
    following: bool
    followers: int


def _out(n: Notification) -> dict[str, Any]:
    return {
        "id": n.pk,
        "event": n.event,
        "label": event_label(n.event),
        "target": n.target_repr,
        "url": absolute(n.url),
        "details": details(n),
        "actor": n.actor.display_name if n.actor else None,
        "created_at": n.created_at,
        "read": n.read_at is not None,
    }


@router.get("/", response={200: NotificationPage, **errors(400)}, auth=django_auth)
def notification_list(request: HttpRequest, cursor: str | None = None, limit: int = 20) -> dict[str, Any]:
    """My notifications, newest first, by keyset pages (follow ``next_cursor``)."""
    if not 1 <= limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100")
    page = selectors.notification_page(request.user, cursor=cursor, size=limit)
    return {
        "items": [_out(n) for n in page.items],
        "next_cursor": page.next_cursor,
        "unread": selectors.unread_count(request.user),
    }


@router.get("/unread", response=UnreadOut, auth=django_auth)
def notification_unread(request: HttpRequest) -> dict[str, int]:
    return {"unread": selectors.unread_count(request.user)}


@router.post("/{notification_id}/read", response=NotificationOut, auth=django_auth)
def notification_read(request: HttpRequest, notification_id: int) -> dict[str, Any]:
    notification = get_object_or_404(
        Notification.objects.select_related("actor"), pk=notification_id, recipient=request.user
    )
    services.notification_mark_read(actor=request.user, notification=notification)  # type: ignore[arg-type]
    return _out(notification)


@router.post("/read-all", response=UnreadOut, auth=django_auth)
def notification_read_all(request: HttpRequest) -> dict[str, int]:
    services.notifications_mark_all_read(actor=request.user)  # type: ignore[arg-type]
    return {"unread": 0}


def _target(payload: FollowIn) -> Any:
    try:
        model = ContentType.objects.get_for_id(payload.content_type_id).model_class()
        target = model._default_manager.get(pk=payload.object_id)  # type: ignore[union-attr]
    except (ContentType.DoesNotExist, ObjectDoesNotExist, AttributeError):
        raise HttpError(404, "Not found") from None
    return target


def _follow_out(request: HttpRequest, target: Any) -> dict[str, Any]:
    return {"following": selectors.is_following(request.user, target), "followers": selectors.follower_count(target)}


@router.post("/follows", response={200: FollowOut, **errors(404)}, auth=django_auth)
def follow_create(request: HttpRequest, payload: FollowIn) -> dict[str, Any]:
    """Follow a space, a module or a followable resource (its content type id and id)."""
    target = _target(payload)
    if not selectors.is_followable(target) or not selectors.may_see(request.user, target):  # type: ignore[arg-type]
        raise HttpError(404, "Not found")
    try:
        services.follow(actor=request.user, target=target)  # type: ignore[arg-type]
    except (PermissionDenied, ValidationError) as exc:
        raise HttpError(403, "Not allowed") from exc
    return _follow_out(request, target)


@router.post("/follows/delete", response={200: FollowOut, **errors(404)}, auth=django_auth)
def follow_delete(request: HttpRequest, payload: FollowIn) -> dict[str, Any]:
    """Stop following a target (404 for what the caller may not see, unless they follow it)."""
    target = _target(payload)
    if not selectors.is_following(request.user, target) and not selectors.may_see(request.user, target):  # type: ignore[arg-type]
        raise HttpError(404, "Not found")
    services.unfollow(actor=request.user, target=target)  # type: ignore[arg-type]
    return _follow_out(request, target)
