"""The REST API, /api/v1/ (OpenAPI 3 schema at /api/v1/openapi.json). Public data needs no authentication."""

from __future__ import annotations

from typing import Any

from csp.decorators import csp_update
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.module_loading import import_string
from ninja import NinjaAPI, Query, Schema
from ninja.errors import HttpError

from participe.api.schemas import (
    ModuleOut,
    OrganisationOut,
    PhaseOut,
    SpaceDetailOut,
    SpacePage,
    TerritoryOut,
    ThemeOut,
)
from participe.assignments import api as assignments_api
from participe.attachments import api as attachments_api
from participe.ballots import api as ballots_api
from participe.comments import api as comments_api
from participe.commitments import api as commitments_api
from participe.core.pagination import INVALID_CURSOR_MESSAGE, InvalidCursor, keyset_paginate
from participe.core.registry import registry, statistics_of
from participe.core.schemas import ErrorOut, Id, ThrottledOut, ValidationErrorOut, errors, refusal_body
from participe.core.throttle import Throttled, too_many
from participe.links import api as links_api
from participe.moderation import api as moderation_api
from participe.notifications import api as notifications_api
from participe.opendata import api as opendata_api
from participe.organisation.models import Organisation, Territory, Theme
from participe.permissions.refusals import Refused
from participe.restitution import api as restitution_api
from participe.search import api as search_api
from participe.spaces import selectors
from participe.spaces.models import Module, Space
from participe.supports import api as supports_api
from participe.synthesis import api as synthesis_api

# The interactive documentation (Swagger UI, served from django-ninja's own static files) sets inline styles.
_docs_csp = csp_update({"style-src": ["'unsafe-inline'"]})

UNSAFE_METHODS = {"post", "put", "patch", "delete"}


def _response(description: str, schema: type[Schema]) -> dict[str, Any]:
    ref = f"#/components/schemas/{schema.__name__}"
    return {"description": description, "content": {"application/json": {"schema": {"$ref": ref}}}}


def framework_errors(operation: dict[str, Any], method: str) -> dict[int, dict[str, Any]]:
    """The error answers django-ninja and the HTTP server give an operation whatever its code does: 422 when a
    parameter or the body does not validate, 400 when the body cannot be parsed, 404 for a path that resolves to nothing, 401 without a session and
    403 when the CSRF check fails (or the role is missing) behind authentication, 414 for an over-long request
    line (the HTTP server's page, before the application: no JSON body)."""
    parameters = operation.get("parameters", [])
    found: dict[int, dict[str, Any]] = {}
    if parameters or "requestBody" in operation:
        found[422] = _response("Invalid parameters or body", ValidationErrorOut)
        found[414] = {"description": "Request line too long (refused by the HTTP server)"}
    if "requestBody" in operation:
        found[400] = _response("Body that cannot be parsed", ErrorOut)
    if any(p.get("in") == "path" for p in parameters):
        found[404] = _response("Not found", ErrorOut)
    if operation.get("security"):
        found[401] = _response("Not signed in", ErrorOut)
        found[403] = _response("Refused (role, or CSRF check)", ErrorOut)
    elif method in UNSAFE_METHODS:
        found[403] = _response("Refused", ErrorOut)
    if method in UNSAFE_METHODS:
        found[413] = _response("Body too large (PARTICIPE_MAX_BODY_BYTES)", ErrorOut)
        found[429] = _response("Too many writes: retry after the seconds of the Retry-After header", ThrottledOut)
    return found


class ParticipeAPI(NinjaAPI):
    """NinjaAPI whose schema documents, on every operation, the error answers the framework returns (see
    ``framework_errors``): the routers of the platform and of the modules declare only their own."""

    def get_openapi_schema(self, *, path_prefix: str | None = None, path_params: Any = None) -> Any:
        schema = super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        components = schema.setdefault("components", {}).setdefault("schemas", {})
        for model in (ErrorOut, ThrottledOut, ValidationErrorOut):
            components.setdefault(model.__name__, model.model_json_schema())
        for item in schema["paths"].values():
            for method, operation in item.items():
                responses = operation.setdefault("responses", {})
                for code, response in framework_errors(operation, method).items():
                    if code not in responses and str(code) not in responses:
                        responses[code] = response
        return schema


api = ParticipeAPI(
    docs_decorator=_docs_csp,
    title="Participe API",
    version="1",
    description="Données publiques de la plateforme de participation : espaces, modules, étapes, territoires, thèmes.",
    urls_namespace="api",
)


@api.exception_handler(Throttled)
def throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    """Too many writes (``participe.core.throttle``): 429 with ``Retry-After`` and when to retry."""
    return too_many(request, exc)


@api.exception_handler(InvalidCursor)
def invalid_cursor(request: HttpRequest, exc: InvalidCursor) -> HttpResponse:
    """A cursor no list made (tampered, truncated, of another list): 400, for every list of the API alike."""
    return api.create_response(request, {"detail": INVALID_CURSOR_MESSAGE}, status=400)


@api.exception_handler(Refused)
def refused(request: HttpRequest, exc: Refused) -> HttpResponse:
    """A write refused by the permission layer (the services check their actor): 403 with its reasons."""
    return api.create_response(request, refusal_body(exc), status=403)


def _space_out(request: HttpRequest, space: Space) -> dict[str, Any]:
    return {
        "id": space.pk,
        "kind": space.kind,
        "title": space.title,
        "slug": space.slug,
        "summary": space.summary,
        "status": space.status,
        "start_date": space.start_date,
        "end_date": space.end_date,
        "territories": [t.pk for t in space.territories.all()],
        "themes": [t.pk for t in space.themes.all()],
        "url": request.build_absolute_uri(space.get_absolute_url()),
    }


def _module_out(request: HttpRequest, module: Module) -> dict[str, Any]:
    now = timezone.now()
    return {
        "id": module.pk,
        "module_type": module.module_type,
        "title": module.title,
        "slug": module.slug,
        "description": module.description,
        "url": request.build_absolute_uri(module.get_absolute_url()),
        "phases": [
            {
                "id": p.pk,
                "name": p.name,
                "phase_type": p.phase_type,
                "start": p.start,
                "end": p.end,
                "capabilities": sorted(str(c) for c in p.capabilities),
                "is_active": p.is_active(now),
            }
            for p in module.phases.all()
        ],
    }


@api.get("/organisation", response=OrganisationOut, tags=["organisation"])
def organisation_detail(request: HttpRequest) -> Organisation:
    return Organisation.get()


@api.get("/territories", response=list[TerritoryOut], tags=["organisation"])
def territory_list(request: HttpRequest) -> Any:
    return Territory.objects.all()


@api.get("/themes", response=list[ThemeOut], tags=["organisation"])
def theme_list(request: HttpRequest) -> Any:
    return Theme.objects.all()


class SpaceFilters(Schema):
    timing: str | None = None
    territory: str | None = None
    theme: str | None = None
    kind: str | None = None
    cursor: str | None = None
    limit: int = 20


@api.get("/spaces", response={200: SpacePage, **errors(400, 422)}, tags=["spaces"])
def space_list(request: HttpRequest, filters: Query[SpaceFilters]) -> dict[str, Any]:
    """Published spaces visible to the caller, filtered, by keyset pages (follow ``next_cursor``)."""
    if filters.timing and filters.timing not in selectors.TIMINGS:
        raise HttpError(400, "timing must be one of: ongoing, upcoming, finished")
    if not 1 <= filters.limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100")
    territory = Territory.objects.filter(slug=filters.territory).first() if filters.territory else None
    qs = selectors.filter_spaces(
        selectors.spaces_visible_to(request.user),
        timing=filters.timing,
        territory=territory,
        theme_slug=filters.theme,
        kind=filters.kind,
    )
    page = keyset_paginate(
        selectors.with_list_data(qs), ordering=("-start_date", "-pk"), cursor=filters.cursor, size=filters.limit
    )
    return {"items": [_space_out(request, s) for s in page.items], "next_cursor": page.next_cursor}


def _visible_space(request: HttpRequest, slug: str) -> Space:
    space = get_object_or_404(Space.objects.prefetch_related("territories", "themes"), slug=slug)
    if not request.user.has_perm("spaces.view_space", space):
        raise HttpError(404, "Not found")
    return space


@api.get("/spaces/{slug}", response={200: SpaceDetailOut, **errors(404)}, tags=["spaces"])
def space_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    space = _visible_space(request, slug)
    modules = space.modules.filter(is_published=True).prefetch_related("phases")
    return _space_out(request, space) | {
        "description": space.description,
        "modules": [_module_out(request, m) for m in modules],
    }


@api.get("/spaces/{slug}/modules", response={200: list[ModuleOut], **errors(404)}, tags=["spaces"])
def module_list(request: HttpRequest, slug: str) -> list[dict[str, Any]]:
    space = _visible_space(request, slug)
    return [_module_out(request, m) for m in space.modules.filter(is_published=True).prefetch_related("phases")]


@api.get("/modules/{module_id}/phases", response={200: list[PhaseOut], **errors(404, 422)}, tags=["spaces"])
def phase_list(request: HttpRequest, module_id: Id) -> list[dict[str, Any]]:
    module = get_object_or_404(Module.objects.select_related("space").prefetch_related("phases"), pk=module_id)
    if not request.user.has_perm("spaces.view_module", module):
        raise HttpError(404, "Not found")
    return _module_out(request, module)["phases"]  # type: ignore[no-any-return]


class StatisticOut(Schema):
    key: str
    label: str
    value: int


@api.get("/modules/{module_id}/statistics", response={200: list[StatisticOut], **errors(404, 422)}, tags=["spaces"])
def module_statistics(request: HttpRequest, module_id: Id) -> list[dict[str, Any]]:
    """The figures the module's type declares (``contributions`` and ``participants`` mean the same for every type)."""
    module = get_object_or_404(Module.objects.select_related("space").prefetch_related("phases"), pk=module_id)
    if not request.user.has_perm("spaces.view_module", module):
        raise HttpError(404, "Not found")
    return [{"key": s.key, "label": str(s.label), "value": s.value} for s in statistics_of(module)]


# The shared participation services of the platform, named here so that the layers contract sees them.
for _label, _router in (
    ("comments", comments_api.router),
    ("supports", supports_api.router),
    ("notifications", notifications_api.router),
    ("moderation", moderation_api.router),
    ("search", search_api.router),
    ("attachments", attachments_api.router),
    ("links", links_api.router),
    ("assignments", assignments_api.router),
    ("ballots", ballots_api.router),
    ("commitments", commitments_api.router),
    ("syntheses", synthesis_api.router),
    ("bilans", restitution_api.router),
):
    api.add_router(f"/{_label}", _router)
api.add_router("/open-data", opendata_api.router)

# Each module adds its routes through its manifest.
for _manifest in registry.all():
    if _manifest.api_router:
        api.add_router(f"/{_manifest.key}", import_string(_manifest.api_router))
