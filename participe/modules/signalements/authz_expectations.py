"""The authorization matrix (``python -m audit --only authz``) over the signalements, filled from the demo's seeds:
a public report given to « Voirie et propreté » (the demo's agent is in that service), the report still waiting for
its confirmation link, a category, a key. Only the organisation admin configures the module. Not yet run by the
audit (written with the module): where an outcome was not certain, both are allowed."""

from __future__ import annotations

from typing import Any

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {role: {o} if isinstance(o, str) else o for role, o in zip(ROLES, outcomes, strict=True)}


def _voirie_report() -> dict[str, Any] | None:
    from participe.assignments.selectors import with_assignment
    from participe.modules.signalements.models import Report

    report = (
        with_assignment(Report.objects.filter(confirmed_at__isnull=False, category__is_private=False))
        .filter(assignment_service_name="Voirie et propreté")
        .order_by("pk")
        .first()
    )
    return None if report is None else {"pk": report.pk}


def _waiting() -> dict[str, Any] | None:
    from participe.modules.signalements.models import Report

    report = Report.objects.filter(confirmed_at__isnull=True).exclude(confirmation_token="").first()
    return None if report is None else {"token": report.confirmation_token}


def _category() -> dict[str, Any] | None:
    from participe.modules.signalements.models import Category

    category = Category.objects.order_by("pk").first()
    return None if category is None else {"pk": category.pk}


def _key() -> dict[str, Any] | None:
    """A third party's Open311 key (the demo issues none: the sweep issues one, as the back-office would)."""
    import hashlib

    from participe.modules.signalements.models import ApiKey
    from participe.spaces.models import Module

    key = ApiKey.objects.order_by("pk").first()
    module = Module.objects.filter(module_type="signalements").order_by("pk").first()
    if key is None and module is not None:
        digest = hashlib.sha256(b"audit-open311-key").hexdigest()
        key = ApiKey.objects.create(module=module, name="Audit", prefix=digest[:8], digest=digest)
    return None if key is None else {"pk": key.pk}


def _module_page() -> dict[str, Any] | None:
    from participe.spaces.models import Module

    module = Module.objects.select_related("space").filter(module_type="signalements").order_by("pk").first()
    return None if module is None else {"slug": module.space.slug, "module_slug": module.slug}


def _report_id() -> dict[str, Any] | None:
    found = _voirie_report()
    return None if found is None else {"report_id": found["pk"]}


def _fmt(**extra: Any) -> Any:
    return lambda: {"fmt": "json", **extra}


def _open311_request() -> dict[str, Any] | None:
    found = _voirie_report()
    return None if found is None else {"fmt": "xml", "request_id": str(found["pk"])}


PARAMS = {
    "signalements:report": _voirie_report,
    "signalements:me_too": _voirie_report,
    "signalements:reopen": _voirie_report,
    "signalements:confirm": _waiting,
    "signalements:geocode": _module_page,  # without a query: refused before asking the geocoder (no network)
    "api:report_get": _report_id,
    "backoffice:signalements:report": _voirie_report,
    "backoffice:signalements:update": _voirie_report,
    "backoffice:signalements:reassign": _voirie_report,
    "backoffice:signalements:note": _voirie_report,
    "backoffice:signalements:photo": _voirie_report,
    "backoffice:signalements:forward_retry": _voirie_report,
    "backoffice:signalements:category": _category,
    "backoffice:signalements:route": _category,
    "backoffice:signalements:forwarding": _category,
    "backoffice:signalements:api_key_revoke": _key,
    "open311_discovery": _fmt(),
    "open311_services": _fmt(),
    "open311_service": _fmt(code="nid-de-poule"),
    "open311_requests": _fmt(),
    "open311_request": _open311_request,
    "open311_token": lambda: {"fmt": "json", "token": "inconnu"},
}

ALL = {"*": {"ok"}}
POST_ONLY = {"*": {"method"}}
HANDLE = _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok")
HANDLE_POST = _row("login", "forbidden", "forbidden", {"forbidden", "method"}, "method", "method")
MANAGE = _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok")
MANAGE_POST = _row("login", "forbidden", "forbidden", {"forbidden", "method"}, {"forbidden", "method"}, "method")

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "organisation_module_signalements": ALL,
    "signalements:create": ALL,
    "signalements:feed": ALL,
    "signalements:duplicates": ALL,
    "signalements:statistics": ALL,
    "signalements:confirm": ALL,
    "signalements:report": ALL,
    "signalements:me_too": POST_ONLY,
    "signalements:reopen": POST_ONLY,
    "backoffice:signalements:index": HANDLE,
    "backoffice:signalements:feed": HANDLE,
    "backoffice:signalements:statistics": HANDLE,
    "backoffice:signalements:report": HANDLE,
    "backoffice:signalements:update": HANDLE_POST,
    "backoffice:signalements:reassign": HANDLE_POST,
    "backoffice:signalements:note": HANDLE_POST,
    "backoffice:signalements:photo": HANDLE_POST,
    "backoffice:signalements:bulk": HANDLE_POST,
    "backoffice:signalements:forward_retry": HANDLE_POST,
    "backoffice:signalements:categories": MANAGE,
    "backoffice:signalements:category_add": MANAGE,
    "backoffice:signalements:category": MANAGE,
    "backoffice:signalements:templates": MANAGE,
    "backoffice:signalements:api_keys": MANAGE,
    "backoffice:signalements:route": MANAGE_POST,
    "backoffice:signalements:forwarding": MANAGE_POST,
    "backoffice:signalements:api_key_revoke": MANAGE_POST,
    "open311_discovery": ALL,
    "open311_services": ALL,
    "open311_service": ALL,
    "open311_requests": ALL,
    "open311_request": ALL,
    "open311_token": {"*": {"notfound"}},
    "signalements:geocode": {"*": {"400"}},
    "api:category_list": ALL,
    "api:report_list": ALL,
    "api:report_get": ALL,
    "api:duplicate_list": {"*": {"422"}},  # lat and lon are required
    "api:report_create": ALL,  # the same address as the list: the sweep's GET lists
}
