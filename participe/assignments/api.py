"""API routes of routing to services, mounted under /api/v1/assignments/: the queue of the caller's services across
every module, and the figures of each service. For agents (and organisation administrators, who read every
service's queue); a session is required."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from participe.assignments import selectors
from participe.assignments.models import Assignment
from participe.core.schemas import errors

router = Router(tags=["assignments"])
STATUSES = (selectors.OPEN, selectors.DONE, selectors.ALL)


class ItemOut(Schema):
    type: str  # "app_label.Model"
    id: int
    title: str | None  # None: the item no longer exists
    url: str | None  # its page in the back-office
    public_url: str | None


class AssignmentOut(Schema):
    id: int
    item: ItemOut
    module_id: int
    module: str
    space: str
    service_id: int
    service: str
    assigned_at: datetime
    due_at: datetime | None
    done_at: datetime | None
    overdue: bool


class QueuePage(Schema):
    items: list[AssignmentOut]
    next_cursor: str | None


class ServiceCountsOut(Schema):
    id: int
    name: str
    open: int
    overdue: int
    done: int


class QueueQuery(Schema):
    service: int | None = None
    module: int | None = None
    status: str = selectors.OPEN
    overdue: bool = False
    older_than_days: int | None = None
    cursor: str | None = None
    limit: int = 50


def _allowed(request: HttpRequest) -> None:
    if not request.user.has_perm("assignments.view_queue"):
        raise HttpError(403, "Only the agents of a service read its queue")


def _url(request: HttpRequest, item: Any, method: str) -> str | None:
    if item is None or not hasattr(item, method):
        return None
    return request.build_absolute_uri(getattr(item, method)())


def _label(assignment: Assignment) -> str:
    model = assignment.content_type.model_class()
    return (
        model._meta.label
        if model is not None
        else f"{assignment.content_type.app_label}.{assignment.content_type.model}"
    )


def _out(request: HttpRequest, assignment: Assignment) -> dict[str, Any]:
    item = getattr(assignment, "item", None)
    return {
        "id": assignment.pk,
        "item": {
            "type": _label(assignment),
            "id": assignment.object_id,
            "title": str(item) if item is not None else None,
            "url": _url(request, item, "get_backoffice_url"),
            "public_url": _url(request, item, "get_absolute_url"),
        },
        "module_id": assignment.module_id,
        "module": assignment.module.title,
        "space": assignment.module.space.title,
        "service_id": assignment.service_id,
        "service": assignment.service.name,
        "assigned_at": assignment.assigned_at,
        "due_at": assignment.due_at,
        "done_at": assignment.done_at,
        "overdue": assignment.is_overdue,
    }


@router.get("/", response={200: QueuePage, **errors(400, 403)}, auth=django_auth)
def assignment_queue(request: HttpRequest, query: Query[QueueQuery]) -> dict[str, Any]:
    """The items given to the caller's services (every service for an organisation administrator): open ones by
    due date, overdue first; ``status=done`` the handled ones, most recent first. Keyset pages (``next_cursor``)."""
    _allowed(request)
    if query.status not in STATUSES:
        raise HttpError(400, "status must be one of: " + ", ".join(STATUSES))
    if not 1 <= query.limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100")
    if query.older_than_days is not None and not 1 <= query.older_than_days <= 3650:
        raise HttpError(400, "older_than_days must be between 1 and 3650")
    filters = selectors.QueueFilters(
        service=query.service,
        module=query.module,
        status=query.status,
        overdue=query.overdue,
        older_than_days=query.older_than_days,
    )
    page = selectors.queue_page(request.user, filters, cursor=query.cursor, size=query.limit)
    return {"items": [_out(request, a) for a in page.items], "next_cursor": page.next_cursor}


@router.get("/services", response={200: list[ServiceCountsOut], **errors(403)}, auth=django_auth)
def assignment_services(request: HttpRequest) -> list[dict[str, Any]]:
    """The caller's services (every service for an organisation administrator) and their open, overdue and handled
    items."""
    _allowed(request)
    services = list(selectors.queue_services(request.user))
    counts = selectors.counts_by_service([s.pk for s in services])
    return [{"id": s.pk, "name": s.name, **counts[s.pk]} for s in services]
