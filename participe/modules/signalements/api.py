"""The signalements' REST API, under /api/v1/signalements/: categories, reports (list with filters, one with its
public timeline), reporting (session or API token), duplicates near a point."""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from participe.core.schemas import errors
from participe.modules.signalements import selectors, services
from participe.modules.signalements.models import Category, Report
from participe.permissions.refusals import Refused
from participe.spaces.models import Module

router = Router(tags=["signalements"])


class CategoryOut(Schema):
    id: int
    code: str
    name: str
    icon: str
    hint: str
    is_private: bool
    questions: list[dict[str, object]]
    acknowledge_days: int
    resolve_days: int


class SignalementUpdateOut(Schema):
    created_at: datetime.datetime
    status_before: str
    status_after: str
    text: str


class SignalementOut(Schema):
    id: int
    title: str
    description: str
    category: str
    status: str
    lat: float
    lon: float
    address: str
    territory: str | None
    created_at: datetime.datetime
    acknowledged_at: datetime.datetime | None
    resolved_at: datetime.datetime | None
    supports_count: int
    url: str

    @staticmethod
    def resolve_category(obj: Report) -> str:
        return obj.category.code

    @staticmethod
    def resolve_territory(obj: Report) -> str | None:
        return obj.territory.name if obj.territory else None

    @staticmethod
    def resolve_url(obj: Report) -> str:
        return obj.get_absolute_url()


class ReportDetailOut(SignalementOut):
    updates: list[SignalementUpdateOut]

    @staticmethod
    def resolve_updates(obj: Report) -> list[object]:
        return list(selectors.timeline(obj))


class SignalementIn(Schema):
    category: str
    title: str
    description: str = ""
    lat: float
    lon: float
    address: str = ""
    answers: dict[str, str] = {}


class FieldErrors(Schema):
    detail: str
    errors: dict[str, list[str]]


def _module() -> Module:
    module = Module.objects.select_related("space").filter(module_type="signalements").first()
    if module is None:
        raise HttpError(404, "Not found")
    return module


def _visible_module(request: HttpRequest) -> Module:
    module = _module()
    if not request.user.has_perm("spaces.view_module", module):
        raise HttpError(404, "Not found")
    return module


@router.get("/categories", response={200: list[CategoryOut], **errors(404)})
def category_list(request: HttpRequest) -> list[Category]:
    return list(selectors.categories(_visible_module(request)))


@router.get("/reports", response={200: list[SignalementOut], **errors(404)})
def report_list(
    request: HttpRequest,
    category: int | None = None,
    status: str = "",
    territory: int | None = None,
    before: int | None = None,
) -> list[Report]:
    """Newest first, 50 per page (``before``: the last id of the previous page)."""
    module = _visible_module(request)
    filters = selectors.Filters.from_query({"category": category or "", "status": status, "territory": territory or ""})
    return selectors.report_list(request.user, module, filters, before=before)


@router.get("/reports/{report_id}", response={200: ReportDetailOut, **errors(404)})
def report_get(request: HttpRequest, report_id: int) -> Report:
    module = _visible_module(request)
    report = selectors.report_for_page(module, report_id)
    if report is None or not request.user.has_perm("signalements.view_report", report):
        raise HttpError(404, "Not found")
    return report


@router.get("/duplicates", response={200: list[SignalementOut], **errors(404, 422)})
def duplicate_list(
    request: HttpRequest,
    lat: float = Query(..., ge=-90, le=90),
    lon: float = Query(..., ge=-180, le=180),
    category: str = "",
) -> list[Report]:
    """Open public reports near a point (a latitude from -90 to 90, a longitude from -180 to 180: 422 otherwise)."""
    module = _visible_module(request)
    found = selectors.categories(module).filter(code=category).first() if category else None
    radius = int((module.settings or {}).get("duplicate_radius") or 50)
    return selectors.duplicates(module, found, lat, lon, radius)


def _invalid(messages: dict[str, list[str]]) -> tuple[int, dict[str, Any]]:
    """422 in the platform's validation shape (the one the payload's own validation answers), a message per field."""
    detail = [
        {"type": "value_error", "loc": ["body", "payload", f], "msg": str(m)} for f, ms in messages.items() for m in ms
    ]
    return 422, {"detail": detail}


@router.post("/reports", response={201: ReportDetailOut, 403: FieldErrors, **errors(404, 422)})
def report_create(request: HttpRequest, payload: SignalementIn) -> tuple[int, object]:
    """Report as the signed-in user (a session or an API token); a one-off report without account goes through
    the site's form (it is confirmed by email)."""
    module = _visible_module(request)
    if not request.user.is_authenticated:
        return 403, {"detail": "Sign in or use an API token.", "errors": {}}
    category = selectors.categories(module).filter(code=payload.category).first()
    if category is None:
        return _invalid({"category": ["Unknown category."]})
    data = payload.dict()
    data["category"] = category
    try:
        report = services.report_create(actor=request.user, module=module, data=data, source="api")
    except ValidationError as exc:
        return _invalid(exc.message_dict)
    except Refused as exc:
        return 403, {"detail": str(exc), "errors": {}}
    return 201, selectors.report_for_page(module, report.pk)
