"""The Open311 GeoReport v2 server at /open311/v2/ (docs/open311.md): discovery, services, service definitions,
requests (list, one, post with an ``api_key`` issued in the back-office: rate limited, revocable, audited),
tokens. Every answer in XML and JSON; errors in the spec's format with the right HTTP status."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.views.decorators.csrf import csrf_exempt

from participe.assignments.selectors import with_assignment
from participe.modules.signalements import selectors, services
from participe.modules.signalements.models import OPEN_STATUSES, Category, Report
from participe.modules.signalements.open311 import render
from participe.spaces.models import Module

SPEC = "http://wiki.open311.org/GeoReport_v2"
CHANGESET = "2026-12-06T00:00:00Z"
DEFAULT_DAYS = 90
MAX_REQUESTS = 1000
QUESTION_TYPES = {"text": "text", "number": "number", "string": "string", "datetime": "datetime"}


def _module() -> Module | None:
    module = Module.objects.select_related("space").filter(module_type="signalements").first()
    if module is None or not module.is_published:
        return None
    return module


def _iso(value: datetime.datetime | None) -> str | None:
    return value.astimezone(datetime.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


def _absolute(request: HttpRequest, path: str) -> str:
    return request.build_absolute_uri(path)


def discovery(request: HttpRequest, fmt: str) -> HttpResponse:
    url = _absolute(request, "/open311/v2/")
    data = {
        "changeset": CHANGESET,
        "contact": getattr(settings, "DEFAULT_FROM_EMAIL", ""),
        "key_service": _absolute(request, "/gestion/m/signalements/cles-open311/"),
        "endpoints": [
            {
                "specification": SPEC,
                "url": url,
                "changeset": CHANGESET,
                "type": "production",
                "formats": ["text/xml", "application/json"],
            }
        ],
    }
    return render.answer(fmt, "discovery", None, data)


def _service(category: Category) -> dict[str, Any]:
    return {
        "service_code": category.code,
        "service_name": category.name,
        "description": category.hint,
        "metadata": bool(category.questions),
        "type": "realtime",
        "keywords": "",
        "group": category.group,
    }


def service_list(request: HttpRequest, fmt: str) -> HttpResponse:
    module = _module()
    if module is None:
        return render.error(fmt, 404, "No service")
    data = [_service(c) for c in selectors.categories(module)]
    return render.answer(fmt, "services", "service", data)


def _attribute(question: dict[str, Any], order: int) -> dict[str, Any]:
    choices = question.get("choices") or []
    if choices:
        datatype = "multivaluelist" if question.get("multiple") else "singlevaluelist"
    else:
        datatype = QUESTION_TYPES.get(str(question.get("type") or "string"), "string")
    return {
        "variable": True,
        "code": str(question.get("code")),
        "datatype": datatype,
        "required": bool(question.get("required")),
        "datatype_description": "",
        "order": order,
        "description": str(question.get("label") or ""),
        "values": [{"key": str(k), "name": str(v)} for k, v in choices],
    }


def service_definition(request: HttpRequest, code: str, fmt: str) -> HttpResponse:
    module = _module()
    category = selectors.categories(module).filter(code=code).first() if module else None
    if category is None:
        return render.error(fmt, 404, f"Service {code} not found")
    data = {
        "service_code": category.code,
        "attributes": [_attribute(q, i) for i, q in enumerate(category.questions or [], start=1)],
    }
    return render.answer(fmt, "service_definition", None, data)


def _request(report: Report, request: HttpRequest) -> dict[str, Any]:
    return {
        "service_request_id": str(report.pk),
        "status": "open" if report.status in OPEN_STATUSES else "closed",
        "status_notes": getattr(report, "status_notes", "") or "",
        "service_name": report.category.name,
        "service_code": report.category.code,
        "description": report.description if not report.category.is_private else "",
        "agency_responsible": getattr(report, "assignment_service_name", None) or "",
        "service_notice": "",
        "requested_datetime": _iso(report.created_at),
        "updated_datetime": _iso(report.updated_at),
        "expected_datetime": _iso(getattr(report, "assignment_due_at", None)),
        "address": report.address,
        "address_id": "",
        "zipcode": "",
        "lat": round(report.lat, 6),
        "long": round(report.lon, 6),
        "media_url": report.media_url,
        # Extended attributes (docs/open311.md): the detailed status and the report's title.
        "extended_status": report.status,
        "title": report.title,
    }


def _public(module: Module) -> QuerySet[Report]:
    return with_assignment(selectors.public_reports(module)).select_related("category")


def _date(value: str) -> datetime.datetime | None:
    parsed = parse_datetime(value) if value else None
    if parsed is not None and timezone.is_naive(parsed):
        parsed = timezone.make_aware(parsed, datetime.UTC)
    return parsed


def _filter(qs: QuerySet[Report], query: Any) -> QuerySet[Report] | str:
    ids = [i.strip() for i in (query.get("service_request_id") or "").split(",") if i.strip()]
    if ids:
        return qs.filter(pk__in=[int(i) for i in ids if i.isdigit()])
    codes = [c.strip() for c in (query.get("service_code") or "").split(",") if c.strip()]
    if codes:
        qs = qs.filter(category__code__in=codes)
    status = query.get("status") or ""
    if status == "open":
        qs = qs.filter(status__in=OPEN_STATUSES)
    elif status == "closed":
        qs = qs.exclude(status__in=OPEN_STATUSES)
    elif status:
        return "status must be open or closed"
    start, end = _date(query.get("start_date") or ""), _date(query.get("end_date") or "")
    if (query.get("start_date") and start is None) or (query.get("end_date") and end is None):
        return "start_date and end_date must be ISO 8601 dates"
    end = end or timezone.now()
    start = start or end - datetime.timedelta(days=DEFAULT_DAYS)
    if end - start > datetime.timedelta(days=DEFAULT_DAYS):
        return "the date range must not exceed 90 days"
    return qs.filter(created_at__gte=start, created_at__lte=end)


def _rate_limited(key_id: int) -> bool:
    """At most ``PARTICIPE_OPEN311_RATE`` posts per minute and key (counted in the shared cache)."""
    limit = int(getattr(settings, "PARTICIPE_OPEN311_RATE", 60))
    bucket = f"open311:{key_id}:{int(timezone.now().timestamp() // 60)}"
    cache.add(bucket, 0, timeout=120)
    try:
        count = cache.incr(bucket)
    except ValueError:
        cache.set(bucket, 1, timeout=120)
        count = 1
    return count > limit


def _answers(post: Any) -> dict[str, str]:
    answers = {}
    for name in post:
        if name.startswith("attribute[") and name.endswith("]") and "][" not in name:
            answers[name[len("attribute[") : -1]] = post.get(name)
        elif name.startswith("attribute[") and name.endswith("][]"):
            answers[name[len("attribute[") : -3]] = ",".join(post.getlist(name))
    return answers


def _post(request: HttpRequest, fmt: str, module: Module) -> HttpResponse:
    post = request.POST
    key = services.apikey_check(post.get("api_key") or "")
    if key is None or key.module_id != module.pk:
        return render.error(fmt, 403, "Invalid api_key received")
    if _rate_limited(key.pk):
        return render.error(fmt, 429, "Too many requests: slow down")
    category = selectors.categories(module).filter(code=post.get("service_code") or "").first()
    if category is None:
        return render.error(fmt, 404 if post.get("service_code") else 400, "Unknown service_code")
    try:
        lat, lon = float(post.get("lat") or ""), float(post.get("long") or "")
    except ValueError:
        return render.error(fmt, 400, "lat and long are required and must be numbers")
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return render.error(fmt, 400, "lat and long out of range")
    description = post.get("description") or ""
    if len(description) > 4000:
        return render.error(fmt, 400, "description is longer than 4000 characters")
    name = " ".join(filter(None, [post.get("first_name"), post.get("last_name")]))
    data = {
        "category": category,
        "title": (description.split("\n")[0][:80] or category.name),
        "description": description,
        "lat": lat,
        "lon": lon,
        "address": post.get("address_string") or "",
        "answers": _answers(post),
        "reporter_name": name,
        "reporter_email": post.get("email") or "",
        "media_url": post.get("media_url") or "",
    }
    try:
        report = services.report_create(actor=request.user, module=module, data=data, source="open311", api_key=key)
    except ValidationError as exc:
        return render.error(fmt, 400, " ".join(f"{k}: {' '.join(v)}" for k, v in exc.message_dict.items()))
    except PermissionDenied as exc:
        return render.error(fmt, 403, str(exc))
    body = [{"service_request_id": str(report.pk), "service_notice": "", "account_id": ""}]
    return render.answer(fmt, "service_requests", "request", body, status=201)


@csrf_exempt
def requests(request: HttpRequest, fmt: str) -> HttpResponse:
    module = _module()
    if module is None:
        return render.error(fmt, 404, "No service")
    if request.method == "POST":
        return _post(request, fmt, module)
    if request.method != "GET":
        return render.error(fmt, 400, "GET or POST only")
    qs = _filter(_public(module), request.GET)
    if isinstance(qs, str):
        return render.error(fmt, 400, qs)
    rows = [_request(r, request) for r in qs.order_by("-created_at", "-pk")[:MAX_REQUESTS]]
    return render.answer(fmt, "service_requests", "request", rows)


def request_get(request: HttpRequest, request_id: str, fmt: str) -> HttpResponse:
    module = _module()
    report = _public(module).filter(pk=int(request_id)).first() if module and request_id.isdigit() else None
    if report is None:
        return render.error(fmt, 404, f"Request {request_id} not found")
    return render.answer(fmt, "service_requests", "request", [_request(report, request)])


def token(request: HttpRequest, token: str, fmt: str) -> HttpResponse:
    module = _module()
    report = Report.objects.filter(module=module, confirmation_token=token).first() if module and token else None
    if report is None:
        return render.error(fmt, 404, "Token not found")
    return render.answer(fmt, "service_requests", "request", [{"service_request_id": str(report.pk), "token": token}])
