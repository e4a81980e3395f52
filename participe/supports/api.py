"""API routes of supports, mounted under /api/v1/supports/.

``GET /{content_type_id}/{object_id}``: the count, and whether the caller supports it (public).
``POST`` / ``DELETE`` on the same path: support / withdraw, signed in (session and CSRF token).
``GET /modules/{module_id}/mine``: the caller's supports in a module and what is left of its allowance.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Model
from django.http import HttpRequest, JsonResponse
from django.shortcuts import get_object_or_404
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from participe.accounts.middleware import participant
from participe.core import resources
from participe.core.schemas import ErrorOut, refusal_body
from participe.permissions.refusals import Refused
from participe.spaces.models import Module
from participe.supports import selectors, services

router = Router(tags=["supports"])


class SupportStateOut(Schema):
    content_type_id: int
    object_id: int
    supports_count: int
    supported: bool
    supports_left: int | None = None
    supports_limit: int | None = None


class SupportOut(Schema):
    content_type_id: int
    object_id: int
    title: str
    url: str
    counts_toward_limit: bool
    entered_by_agent: bool
    created_at: datetime


class MySupportsOut(Schema):
    module_id: int
    supports_limit: int | None
    supports_used: int
    supports_left: int | None
    items: list[SupportOut]


def _visible_target(request: HttpRequest, content_type_id: int, object_id: int) -> Model:
    target = selectors.supportable_target(content_type_id, object_id)
    if target is None or not request.user.has_perm("supports.view_support", target):
        raise HttpError(404, "Not found")
    return target


def _state(request: HttpRequest, target: Model, user: Any) -> dict[str, Any]:
    content_type_id, object_id = selectors.target_reference(target)
    module = resources.item(target).module
    signed_in = bool(getattr(user, "is_authenticated", False))
    return {
        "content_type_id": content_type_id,
        "object_id": object_id,
        "supports_count": resources.count(target, "supports_count"),
        "supported": selectors.has_supported(user, target),
        "supports_left": selectors.supports_left(user, module) if signed_in else None,
        "supports_limit": selectors.supports_limit(module),
    }


# Refusals about a state that may change (the allowance used up, an item waiting for moderation) answer 409; the
# others are the permission layer's 403. Both carry the reasons.
CONFLICTS = {"limit_reached", "pending_moderation"}


def _refused(refused: Refused) -> JsonResponse:
    status = 409 if CONFLICTS & set(refused.codes) else 403
    return JsonResponse(refusal_body(refused), status=status)


@router.get("/{content_type_id}/{object_id}", response=SupportStateOut)
def support_state(request: HttpRequest, content_type_id: int, object_id: int) -> dict[str, Any]:
    """How many support this resource, and whether the caller does."""
    target = _visible_target(request, content_type_id, object_id)
    return _state(request, target, participant(request)[0])


@router.post(
    "/{content_type_id}/{object_id}",
    response={200: SupportStateOut, 403: ErrorOut, 409: ErrorOut},
    auth=django_auth,
)
def support_add(request: HttpRequest, content_type_id: int, object_id: int) -> Any:
    """Support this resource (idempotent). 409 when the module's allowance is used up or the item is hidden."""
    target = _visible_target(request, content_type_id, object_id)
    resident, agent = participant(request)
    try:
        services.support_add(actor=resident, target=target, entered_by=agent)
    except Refused as refused:
        return _refused(refused)
    return _state(request, target, resident)


@router.delete(
    "/{content_type_id}/{object_id}",
    response={200: SupportStateOut, 403: ErrorOut, 409: ErrorOut},
    auth=django_auth,
)
def support_withdraw(request: HttpRequest, content_type_id: int, object_id: int) -> Any:
    """Withdraw the caller's support (idempotent), while the phase still allows supporting."""
    target = _visible_target(request, content_type_id, object_id)
    resident, agent = participant(request)
    try:
        services.support_withdraw(actor=resident, target=target, entered_by=agent)
    except Refused as refused:
        return _refused(refused)
    return _state(request, target, resident)


@router.get("/modules/{module_id}/mine", response=MySupportsOut, auth=django_auth)
def support_list_mine(request: HttpRequest, module_id: int) -> dict[str, Any]:
    """The caller's supports in a module (newest first) and what is left of the module's allowance."""
    module = get_object_or_404(Module.objects.select_related("space"), pk=module_id)
    if not request.user.has_perm("spaces.view_module", module):
        raise HttpError(404, "Not found")
    resident = participant(request)[0]
    items = []
    for support in selectors.my_supports(resident, module):
        if support.target is None:
            continue
        items.append(
            {
                "content_type_id": support.content_type_id,
                "object_id": support.object_id,
                "title": str(support.target)[:200],
                "url": request.build_absolute_uri(support.target.get_absolute_url()),
                "counts_toward_limit": support.counts_toward_limit,
                "entered_by_agent": support.entered_by_id is not None,
                "created_at": support.created_at,
            }
        )
    return {
        "module_id": module.pk,
        "supports_limit": selectors.supports_limit(module),
        "supports_used": selectors.supports_used(resident, module),
        "supports_left": selectors.supports_left(resident, module),
        "items": items,
    }
