"""Read endpoints of the proposals module, under /api/v1/proposals/ (public data, no authentication needed).

- ``GET /modules/{module_id}``: the module, its public settings and how many proposals it shows;
- ``GET /modules/{module_id}/proposals``: the list with the filters and sorts of the public page, by keyset pages;
- ``GET /modules/{module_id}/geojson``: the same filtered set as a GeoJSON FeatureCollection (located proposals only),
  by keyset pages too, optionally inside a bounding box;
- ``GET /{proposal_id}``: one proposal with its counts, the official answer and its public history.

A signed-in caller (session) also sees their own drafts and waiting proposals, and may filter on ``mine``.
"""

from __future__ import annotations

import datetime
from dataclasses import replace
from decimal import Decimal
from typing import Any, Literal

from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError

from participe.core.schemas import Id, errors
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.selectors import proposals as selectors
from participe.modules.proposals.selectors.proposals import SEED_MAX, Filters
from participe.spaces.models import Module

router = Router(tags=["proposals"])

MAX_LIMIT = 100
MAX_FEATURES = 1000


class RefOut(Schema):
    id: int
    name: str
    slug: str


class LocationOut(Schema):
    latitude: float
    longitude: float
    address: str


class CountsOut(Schema):
    supports: int
    comments: int
    favorable: int
    neutral: int
    unfavorable: int
    followers: int


class ProposalOut(Schema):
    id: int
    module_id: int
    reference: int = Field(description="Numéro de la proposition dans le module (1, 2, 3…).")
    title: str
    url: str
    status: str = Field(description="draft, published ou withdrawn (draft : visible de son seul auteur).")
    moderation_status: str
    theme: RefOut | None
    territory: RefOut | None
    location: LocationOut | None
    author: str | None = Field(description="Nom public de l'auteur.")
    origin: str = Field(description="online, paper, meeting ou counter.")
    entered_by_agent: bool = Field(description="Saisie par un agent pour le compte de l'auteur.")
    published_at: datetime.datetime | None
    withdrawn_at: datetime.datetime | None
    retained_at: datetime.datetime | None = Field(description="Seuil de soutiens atteint : retenue pour analyse.")
    answer_status: str = Field(description="'' (sans réponse), analysis, selected, rejected ou done.")
    counts: CountsOut


class AnswerOut(Schema):
    status: str
    label: str
    text: str = Field(description="Réponse argumentée (HTML nettoyé).")
    answered_at: datetime.datetime


class HistoryOut(Schema):
    kind: str
    label: str
    answer_status: str
    date: datetime.datetime


class ProposalDetailOut(ProposalOut):
    body: str = Field(description="Description (HTML nettoyé).")
    answer: AnswerOut | None
    history: list[HistoryOut]


class ProposalPage(Schema):
    items: list[ProposalOut]
    next_cursor: str | None = Field(description="À passer en paramètre cursor pour la page suivante.")
    sort: str
    seed: int | None = Field(description="Graine de l'ordre aléatoire : la repasser garde le même ordre.")


class ModuleSettingsOut(Schema):
    support_limit: int | None
    support_threshold: int | None
    location_required: bool
    theme_required: bool
    open_data: bool


class ProposalModuleOut(Schema):
    id: int
    space: str
    title: str
    url: str
    settings: ModuleSettingsOut
    proposals_count: int
    sorts: list[str]
    answer_statuses: list[str]


class PointOut(Schema):
    type: Literal["Point"]
    coordinates: list[float] = Field(description="[longitude, latitude] (WGS 84).")


class FeaturePropertiesOut(Schema):
    reference: int
    title: str
    url: str
    theme_id: int | None
    territory_id: int | None
    answer_status: str
    supports_count: int
    comments_count: int


class FeatureOut(Schema):
    type: Literal["Feature"]
    id: int
    geometry: PointOut
    properties: FeaturePropertiesOut


class FeatureCollectionOut(Schema):
    type: Literal["FeatureCollection"]
    features: list[FeatureOut]
    next_cursor: str | None = Field(description="À passer en paramètre cursor pour les points suivants.")


SortParam = Literal["random", "recent", "supported", "commented"]
StatusParam = Literal["none", "retained", "analysis", "selected", "rejected", "done", "withdrawn"]


class ListParams(Schema):
    """The filters and sorts of the public list, under English names (the page uses French ones)."""

    theme: str | None = Field(None, description="Identifiant (slug) d'un thème.")
    territory: str | None = Field(None, description="Identifiant (slug) d'un territoire (ses quartiers compris).")
    status: StatusParam | None = Field(
        None,
        description="none (sans réponse), retained (seuil de soutiens atteint), analysis, selected, rejected, done, "
        "withdrawn (retirées par leur auteur).",
    )
    q: str | None = Field(None, description="Recherche dans le titre, la description, l'adresse et la réponse.")
    mine: bool = Field(False, description="Seulement mes propositions (session ouverte).")
    sort: SortParam = Field("recent", description="random (graine stable, voir seed), recent, supported, commented.")
    seed: int | None = Field(
        None, ge=0, lt=SEED_MAX, description="Graine de l'ordre random ; sans elle, une graine est tirée et renvoyée."
    )
    cursor: str | None = Field(None, description="Le next_cursor de la page précédente.")
    limit: int = Field(20, ge=1, le=MAX_LIMIT)


class MapParams(ListParams):
    bbox: str | None = Field(None, description="Ouest,sud,est,nord en degrés décimaux (WGS 84).")
    limit: int = Field(500, ge=1, le=MAX_FEATURES)


# API parameter -> the public page's parameter, as ``Filters.from_query`` reads it.
QUERY_NAMES = {
    "theme": "theme",
    "territory": "territoire",
    "status": "statut",
    "q": "q",
    "sort": "tri",
    "seed": "graine",
    "bbox": "zone",
}
ERROR_NAMES = {page: api for api, page in QUERY_NAMES.items()}
ERROR_MESSAGES = {
    "theme": "no theme has this slug",
    "territoire": "no territory has this slug",
    "statut": "unknown status",
    "tri": "unknown sort",
    "graine": "the seed is a whole number from 0 to 2147483646",
    "zone": "four numbers: west,south,east,north (longitudes from -180 to 180, latitudes from -90 to 90)",
}


ERRORS: dict[int, Any] = errors(400, 404, 422)


def _ref(obj: Any) -> dict[str, Any] | None:
    return {"id": obj.pk, "name": obj.name, "slug": obj.slug} if obj is not None else None


def _float(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def _out(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    located = proposal.has_location
    return {
        "id": proposal.pk,
        "module_id": proposal.module_id,
        "reference": proposal.reference,
        "title": proposal.title,
        "url": request.build_absolute_uri(proposal.get_absolute_url()),
        "status": proposal.status,
        "moderation_status": proposal.moderation_status,
        "theme": _ref(proposal.theme),
        "territory": _ref(proposal.territory),
        "location": {
            "latitude": _float(proposal.latitude),
            "longitude": _float(proposal.longitude),
            "address": proposal.address,
        }
        if located
        else None,
        "author": proposal.author.display_name if proposal.author is not None else None,
        "origin": proposal.origin,
        "entered_by_agent": proposal.entered_by_id is not None,
        "published_at": proposal.published_at,
        "withdrawn_at": proposal.withdrawn_at,
        "retained_at": proposal.retained_at,
        "answer_status": proposal.answer_status,
        "counts": {
            "supports": proposal.supports_count,
            "comments": proposal.comments_count,
            "favorable": proposal.comments_favorable_count,
            "neutral": proposal.comments_neutral_count,
            "unfavorable": proposal.comments_unfavorable_count,
            "followers": proposal.followers_count,
        },
    }


def _public_settings(settings: dict[str, Any]) -> dict[str, Any]:
    limit = settings.get("supports_limit", settings.get("support_limit"))
    threshold = settings.get("support_threshold")
    return {
        "support_limit": limit if isinstance(limit, int) and limit > 0 else None,
        "support_threshold": threshold if isinstance(threshold, int) and threshold > 0 else None,
        "location_required": bool(settings.get("location_required")),
        "theme_required": bool(settings.get("theme_required")),
        "open_data": bool(settings.get("open_data")),
    }


def _visible(request: HttpRequest, proposal: Proposal) -> bool:
    """As the proposal's page (``proposals.view_proposal``), but a draft only for its author."""
    user = request.user
    if proposal.status == Proposal.Status.DRAFT and not (user.is_authenticated and proposal.author_id == user.pk):
        return False
    return bool(user.has_perm("proposals.view_proposal", proposal))


def _feature(request: HttpRequest, proposal: Proposal) -> dict[str, Any]:
    return {
        "type": "Feature",
        "id": proposal.pk,
        "geometry": {"type": "Point", "coordinates": [_float(proposal.longitude), _float(proposal.latitude)]},
        "properties": {
            "reference": proposal.reference,
            "title": proposal.title,
            "url": request.build_absolute_uri(proposal.get_absolute_url()),
            "theme_id": proposal.theme_id,
            "territory_id": proposal.territory_id,
            "answer_status": proposal.answer_status,
            "supports_count": proposal.supports_count,
            "comments_count": proposal.comments_count,
        },
    }


def _module(request: HttpRequest, module_id: int) -> Module:
    module = get_object_or_404(
        Module.objects.select_related("space").prefetch_related("phases"), pk=module_id, module_type="proposals"
    )
    if not request.user.has_perm("spaces.view_module", module):
        raise HttpError(404, "Not found")
    return module


def _filters(params: ListParams) -> Filters:
    """The page's filters from the API's parameters; a value the page would drop is a 400 here."""
    query = {page: getattr(params, api) for api, page in QUERY_NAMES.items() if getattr(params, api, None) is not None}
    if params.mine:
        query["mes"] = "1"
    filters = Filters.from_query(query)
    if filters.errors:
        name = next(iter(filters.errors))
        raise HttpError(400, f"{ERROR_NAMES.get(name, name)}: {ERROR_MESSAGES.get(name, filters.errors[name])}")
    if params.sort == "random" and filters.seed is None:
        # A cursor of the random order holds its seed (``proposals_page`` takes it from there); without one, a
        # new order starts.
        filters = filters.with_seed(selectors.new_seed())
    return replace(filters, cursor=params.cursor or None)


@router.get("/modules/{module_id}", response={200: ProposalModuleOut, **errors(404, 422)})
def proposal_module_detail(request: HttpRequest, module_id: Id) -> dict[str, Any]:
    """A proposals module: its public settings, how many proposals it shows, the sorts and statuses to filter on."""
    module = _module(request, module_id)
    settings = module.effective_settings(module.current_phase())
    count = selectors.public_proposals(module, request.user, Filters()).count()
    return {
        "id": module.pk,
        "space": module.space.slug,
        "title": module.title,
        "url": request.build_absolute_uri(module.get_absolute_url()),
        "settings": _public_settings(settings),
        "proposals_count": count,
        "sorts": list(selectors.SORT_PARAMS),
        "answer_statuses": [s for s in Proposal.AnswerStatus.values if s],
    }


@router.get("/modules/{module_id}/proposals", response={200: ProposalPage, **ERRORS})
def proposal_list(request: HttpRequest, module_id: Id, params: Query[ListParams]) -> dict[str, Any]:
    """The proposals a visitor sees in a module's list, filtered and sorted as on the page, by keyset pages
    (follow ``next_cursor``). The random order is stable for a given ``seed``."""
    module = _module(request, module_id)
    filters = _filters(params)
    qs = selectors.public_proposals(module, request.user, filters)
    page = selectors.proposals_page(qs, filters, size=params.limit, module=module)
    return {
        "items": [_out(request, p) for p in page.items],
        "next_cursor": page.next_cursor,
        "sort": page.sort,
        "seed": page.seed,
    }


@router.get(
    "/modules/{module_id}/geojson",
    response={200: FeatureCollectionOut, **ERRORS},
    openapi_extra={"responses": {200: {"description": "GeoJSON (RFC 7946) FeatureCollection"}}},
)
def proposal_geojson(request: HttpRequest, module_id: Id, params: Query[MapParams]) -> dict[str, Any]:
    """The located proposals of the same filtered set, as GeoJSON points, by keyset pages (``next_cursor``),
    optionally inside ``bbox``."""
    module = _module(request, module_id)
    filters = replace(_filters(params), located=True)
    qs = selectors.public_proposals(module, request.user, filters).select_related(None)
    page = selectors.proposals_page(qs, filters, size=params.limit, module=module)
    return {
        "type": "FeatureCollection",
        "features": [_feature(request, p) for p in page.items],
        "next_cursor": page.next_cursor,
    }


@router.get("/{proposal_id}", response={200: ProposalDetailOut, **errors(404, 422)})
def proposal_detail(request: HttpRequest, proposal_id: Id) -> dict[str, Any]:
    """A proposal: its description, counts, location, the official answer once published and its public history."""
    proposal = get_object_or_404(
        Proposal.objects.select_related("module__space", "theme", "territory", "author"), pk=proposal_id
    )
    if not _visible(request, proposal):
        raise HttpError(404, "Not found")
    answered = proposal.answered_at is not None and bool(proposal.answer_status)
    return _out(request, proposal) | {
        "body": proposal.body,
        "answer": {
            "status": proposal.answer_status,
            "label": proposal.get_answer_status_display(),
            "text": proposal.answer,
            "answered_at": proposal.answered_at,
        }
        if answered
        else None,
        "history": [
            {
                "kind": step.kind,
                "label": step.get_kind_display(),
                "answer_status": step.answer_status,
                "date": step.created_at,
            }
            for step in selectors.history_of(proposal)
        ],
    }
