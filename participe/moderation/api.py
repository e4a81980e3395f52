"""API routes of moderation, mounted under /api/v1/moderation/: report a content, the moderators' queue."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest
from ninja import Header, Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from participe.core import idempotency
from participe.core.pagination import keyset_paginate
from participe.core.schemas import errors
from participe.core.schemas import idempotency_key as idempotency_key_checked
from participe.moderation import selectors
from participe.moderation.models import Reason
from participe.moderation.services import AlreadyReported, report_create

router = Router(tags=["moderation"])


class ReportReasonOut(Schema):
    value: str
    label: str


class ReportIn(Schema):
    content_type: int
    object_id: int
    reason: str
    details: str = ""


class ReportOut(Schema):
    id: int
    reason: str
    created_at: datetime.datetime


class CaseOut(Schema):
    id: int
    content_type: str
    object_id: int
    title: str
    content_status: str
    is_open: bool
    reports_count: int
    space: int | None
    updated_at: datetime.datetime


class CasePage(Schema):
    items: list[CaseOut]
    next_cursor: str | None


class QueueFilters(Schema):
    status: str = "a-traiter"
    space: int | None = None
    reason: str = ""
    cursor: str | None = None


@router.get("/reasons", response=list[ReportReasonOut], auth=None)
def reasons_list(request: HttpRequest) -> list[dict[str, str]]:
    """The reasons a participant may give when reporting a content."""
    return [{"value": value, "label": str(label)} for value, label in Reason.choices]


@router.post("/reports", response={201: ReportOut, 200: ReportOut, **errors(400, 403, 404, 409)}, auth=django_auth)
def report_create_api(
    request: HttpRequest,
    payload: ReportIn,
    idempotency_key: str | None = Header(None, alias=idempotency.HEADER),  # type: ignore[assignment]
) -> tuple[int, Any]:
    """Report a content (``content_type`` is the id of its type, as in the report links). One report per person.

    With an ``Idempotency-Key`` header, the same request sent again answers 200 with the first report."""
    key = idempotency_key_checked(idempotency_key)
    target = selectors.reportable_target(payload.content_type, payload.object_id)
    user = request.user
    if target is None:
        raise HttpError(404, "Contenu introuvable ou qui ne peut pas être signalé.")
    if not user.has_perm("spaces.view_item", target):  # a draft, a hidden item: as a missing id
        raise HttpError(404, "Contenu introuvable ou qui ne peut pas être signalé.")
    if user.blocked_at is not None:  # type: ignore[union-attr]
        raise HttpError(403, "Votre compte est bloqué : vous ne pouvez pas signaler de contenu.")
    try:
        report, created = idempotency.once(
            actor=user,
            key=key,
            scope="moderation.report_create",
            write=lambda: report_create(actor=user, target=target, reason=payload.reason, details=payload.details),  # type: ignore[arg-type]
        )
    except AlreadyReported as exc:
        raise HttpError(409, " ".join(exc.messages)) from None
    except PermissionDenied:
        raise HttpError(404, "Contenu introuvable ou qui ne peut pas être signalé.") from None
    except ValidationError as exc:
        raise HttpError(400, " ".join(exc.messages)) from None
    return (201 if created else 200), report


@router.get("/queue", response=CasePage, auth=django_auth)
def queue_list(request: HttpRequest, filters: Query[QueueFilters]) -> dict[str, Any]:
    """The moderation queue of the signed-in moderator (their spaces' contents; every content for an org admin)."""
    if not request.user.has_perm("moderation.access_queue"):
        raise HttpError(403, "Réservé aux modérateurs.")
    cases = selectors.queue_cases(
        user=request.user, status=filters.status, space_id=filters.space, reason=filters.reason
    )
    page = keyset_paginate(cases, ordering=("-updated_at", "-pk"), cursor=filters.cursor, size=50)
    items = [
        {
            "id": case.pk,
            "content_type": f"{case.content_type.app_label}.{case.content_type.model}",
            "object_id": case.object_id,
            "title": case.title,
            "content_status": case.content_status,
            "is_open": case.is_open,
            "reports_count": case.reports_count,
            "space": case.space_id,
            "updated_at": case.updated_at,
        }
        for case in page.items
    ]
    return {"items": items, "next_cursor": page.next_cursor}
