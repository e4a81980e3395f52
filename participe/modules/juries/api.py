"""The jury's API (/api/v1/juries/): its quotas and composition, its draws with their commitments and results.
Public like the page; names are never served."""

from __future__ import annotations

import datetime

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from participe.core.schemas import Id, errors
from participe.modules.juries import selectors
from participe.modules.juries.models import Panel
from participe.spaces.models import Module

router = Router(tags=["juries"])


class QuotaOut(Schema):
    feature: str
    value: str
    minimum: int
    maximum: int
    volunteers: int
    members: int


class DrawOut(Schema):
    number: int
    size: int
    source: str
    source_date: datetime.date
    commitment_sha256: str
    pool_sha256: str
    quotas_sha256: str
    lottery_sha256: str
    software_version: str
    min_probability: float
    max_probability: float
    seed: str
    drawn_at: datetime.datetime | None
    result: list[str]


class RecommendationOut(Schema):
    id: int
    title: str
    text: str
    decision: str
    answer: str
    commitment_id: int | None


class PanelOut(Schema):
    module_id: int
    size: int
    registration_open: bool
    volunteers: int
    quotas: list[QuotaOut]
    draws: list[DrawOut]
    recommendations: list[RecommendationOut]


@router.get("/modules/{module_id}/panel", response={200: PanelOut, **errors(404, 422)})
def panel_detail(request: HttpRequest, module_id: Id) -> dict[str, object]:
    module = Module.objects.filter(pk=module_id, module_type="juries").select_related("space").first()
    panel = Panel.objects.filter(module=module).first() if module else None
    if module is None or panel is None or not request.user.has_perm("juries.view_panel", module):
        raise HttpError(404, "Not found")
    quotas = [
        {
            "feature": r.feature,
            "value": r.value,
            "minimum": r.minimum,
            "maximum": r.maximum,
            "volunteers": r.pool,
            "members": r.panel,
        }
        for r in selectors.composition(panel)
    ]
    return {
        "module_id": module.pk,
        "size": panel.size,
        "registration_open": panel.registration_open,
        "volunteers": panel.volunteers.count(),
        "quotas": quotas,
        "draws": list(panel.draws.all()),
        "recommendations": list(panel.recommendations.all()),
    }
