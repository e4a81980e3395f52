"""API routes of the commitments, mounted under /api/v1/commitments/: the follow-up (public, with its filters and
overview), a commitment with its steps; for the staff and the service in charge (session): create, add a step,
set the status."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from participe.commitments import selectors, services
from participe.commitments.models import Commitment, CommitmentUpdate, Status
from participe.core.schemas import Id, errors
from participe.organisation.models import Service, Territory
from participe.spaces.models import Space

router = Router(tags=["commitments"])


class StatusCountOut(Schema):
    status: str
    label: str
    count: int


class OverviewOut(Schema):
    total: int
    overdue: int
    done: int
    mean_progress: int
    by_status: list[StatusCountOut]


class CommitmentOut(Schema):
    id: int
    title: str
    space_id: int
    space: str
    status: str
    status_label: str
    progress: int
    planned_date: datetime.date | None
    done_on: datetime.date | None
    overdue: bool
    budget: Decimal | None
    service: str | None
    territory: str | None
    reference: str
    updates_count: int
    last_update_on: datetime.date | None
    url: str


class CommitmentUpdateOut(Schema):
    id: int
    date: datetime.date
    text: str
    status: str | None
    progress: int | None


class SourceOut(Schema):
    type: str
    id: int
    title: str
    url: str


class CommitmentDetailOut(CommitmentOut):
    description: str
    status_reason: str
    updates: list[CommitmentUpdateOut]
    sources: list[SourceOut]


class CommitmentPage(Schema):
    items: list[CommitmentOut]
    next_cursor: str | None
    overview: OverviewOut


class FollowUpQuery(Schema):
    space: int | None = None
    status: str | None = None
    service: int | None = None
    territory: int | None = None
    overdue: bool = False
    cursor: str | None = None
    limit: int = 30


class CommitmentIn(Schema):
    space: int
    title: str
    description: str = ""
    service: int | None = None
    territory: int | None = None
    planned_date: datetime.date | None = None
    budget: Decimal | None = None
    status: str = Status.STUDY
    status_reason: str = ""
    progress: int = 0
    reference: str = ""
    is_published: bool = True


class UpdateIn(Schema):
    text: str
    date: datetime.date | None = None
    status: str | None = None
    status_reason: str = ""
    progress: int | None = None


class StatusIn(Schema):
    status: str
    reason: str = ""
    progress: int | None = None
    text: str = ""


def _out(request: HttpRequest, c: Commitment) -> dict[str, Any]:
    return {
        "id": c.pk,
        "title": c.title,
        "space_id": c.space_id,
        "space": c.space.title,
        "status": c.status,
        "status_label": str(c.get_status_display()),
        "progress": c.progress,
        "planned_date": c.planned_date,
        "done_on": c.done_on,
        "overdue": c.is_overdue,
        "budget": c.budget,
        "service": c.service.name if c.service else None,
        "territory": c.territory.name if c.territory else None,
        "reference": c.reference,
        "updates_count": c.updates_count,
        "last_update_on": c.last_update_on,
        "url": request.build_absolute_uri(c.get_absolute_url()),
    }


def _update_out(u: CommitmentUpdate) -> dict[str, Any]:
    return {"id": u.pk, "date": u.date, "text": u.text, "status": u.status or None, "progress": u.progress}


def _detail(request: HttpRequest, c: Commitment) -> dict[str, Any]:
    sources = [
        {
            "type": item._meta.label_lower,
            "id": item.pk,
            "title": str(item),
            "url": request.build_absolute_uri(item.get_absolute_url()),  # type: ignore[attr-defined]
        }
        for item in selectors.sources_of(c, request.user)
    ]
    return {
        **_out(request, c),
        "description": c.description,
        "status_reason": c.status_reason,
        "updates": [_update_out(u) for u in c.updates.order_by("-date", "-pk")],
        "sources": sources,
    }


def _invalid(exc: ValidationError) -> HttpError:
    if hasattr(exc, "error_dict"):
        text = "; ".join(f"{name}: {' '.join(m)}" for name, m in exc.message_dict.items())
    else:
        text = " ".join(exc.messages)
    return HttpError(400, text)


def _visible(request: HttpRequest, pk: int) -> Commitment:
    c = Commitment.objects.select_related("space", "service", "territory").filter(pk=pk).first()
    if c is None or not request.user.has_perm("commitments.view_commitment", c):
        raise HttpError(404, "Not found")
    return c


@router.get("/", response={200: CommitmentPage, **errors(400)})
def commitment_list(request: HttpRequest, query: Query[FollowUpQuery]) -> dict[str, Any]:
    """The commitments you may see across every démarche (by planned date), filtered, with the overview of the
    whole filtered set. Keyset pages (``next_cursor``)."""
    if not 1 <= query.limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100")
    if query.status and query.status not in Status.values:
        raise HttpError(400, "status must be one of: " + ", ".join(Status.values))
    filters = selectors.Filters(
        space=Space.objects.filter(pk=query.space).first() if query.space else None,
        status=query.status or "",
        service_id=query.service,
        territory_id=query.territory,
        overdue=query.overdue,
    )
    if query.space and filters.space is None:
        raise HttpError(400, "unknown space")
    page = selectors.page(request.user, filters, cursor=query.cursor, size=query.limit)
    figures = selectors.overview(selectors.filtered(selectors.visible_to(request.user), filters))
    return {
        "items": [_out(request, c) for c in page.items],
        "next_cursor": page.next_cursor,
        "overview": {
            "total": figures.total,
            "overdue": figures.overdue,
            "done": figures.done,
            "mean_progress": figures.mean_progress,
            "by_status": [{"status": v, "label": label, "count": n} for v, label, n in figures.by_status],
        },
    }


@router.get("/{commitment_id}", response={200: CommitmentDetailOut, **errors(404)})
def commitment_detail(request: HttpRequest, commitment_id: Id) -> dict[str, Any]:
    """A commitment with its steps (newest first) and what it answers (what you may see)."""
    return _detail(request, _visible(request, commitment_id))


@router.post("/", response={201: CommitmentDetailOut, **errors(400, 403, 404)}, auth=django_auth)
def commitment_create(request: HttpRequest, body: CommitmentIn) -> tuple[int, dict[str, Any]]:
    """Create a commitment in a space you administer."""
    space = get_object_or_404(Space, pk=body.space)
    values = body.dict(exclude={"space", "status", "status_reason", "progress", "service", "territory", "title"})
    try:
        service = get_object_or_404(Service, pk=body.service) if body.service else None
        territory = get_object_or_404(Territory, pk=body.territory) if body.territory else None
        c = services.commitment_create(
            request.user,  # type: ignore[arg-type]
            space=space,
            title=body.title,
            status=body.status,
            status_reason=body.status_reason,
            progress=body.progress,
            service=service,
            territory=territory,
            **values,
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return 201, _detail(request, _visible(request, c.pk))


@router.post("/{commitment_id}/updates", response={201: CommitmentUpdateOut, **errors(400, 403, 404)}, auth=django_auth)
def commitment_update_add(request: HttpRequest, commitment_id: Id, body: UpdateIn) -> tuple[int, dict[str, Any]]:
    """Add a dated step (optionally a new status and progress); the followers are told. Photos: through the
    attachments API on the step (``commitments.commitmentupdate``)."""
    c = _visible(request, commitment_id)
    try:
        update = services.commitment_update_add(
            request.user,  # type: ignore[arg-type]
            c,
            text=body.text,
            date=body.date,
            status=body.status,
            status_reason=body.status_reason,
            progress=body.progress,
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return 201, _update_out(update)


@router.post("/{commitment_id}/status", response={201: CommitmentUpdateOut, **errors(400, 403, 404)}, auth=django_auth)
def commitment_set_status(request: HttpRequest, commitment_id: Id, body: StatusIn) -> tuple[int, dict[str, Any]]:
    """Move a commitment to a status (abandoned: with a reason); a step says so."""
    c = _visible(request, commitment_id)
    try:
        update = services.commitment_set_status(
            request.user,  # type: ignore[arg-type]
            c,
            status=body.status,
            reason=body.reason,
            progress=body.progress,
            text=body.text,
        )
    except ValidationError as exc:
        raise _invalid(exc) from exc
    return 201, _update_out(update)
