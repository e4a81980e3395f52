"""API of the budgets module, mounted under /api/v1/budgets/. Public reads follow the pages' permissions; casting a
ballot is the ballot service's ``POST /api/v1/ballots/elections/{election_id}/ballots`` (each envelope gives its
``election_id``; the ballot's content is described in ``participe/modules/budgets/schema.py``).

- ``GET /modules/{id}/envelopes``: the envelopes (amount, territory, ballot kind and limits, rule, election);
- ``GET /envelopes/{id}/projects``: the envelope's projects with their feasibility;
- ``GET /envelopes/{id}/results``: once published, the funded projects and why each project was funded or not;
- ``POST /modules/{id}/projects`` (who runs the budget: session and CSRF token): a project entered by an agent;
- ``POST /modules/{id}/envelopes/pabulib`` (the same): a Pabulib file (multipart ``file``) imported as an envelope with
  its ballots; 422 lists every bad line (``loc``: ``["body", "file", line]``), nothing written unless
  ``skip_bad_lines`` and all are ballot lines.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest
from django.shortcuts import get_object_or_404
from ninja import File, Form, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.security import django_auth

from participe.core.schemas import Id, errors
from participe.modules.budgets import selectors, services
from participe.modules.budgets.models import Envelope, Project
from participe.modules.budgets.services.pabulib_import import MAX_BYTES as MAX_PB_BYTES
from participe.permissions.refusals import Refused
from participe.spaces.models import Module

router = Router(tags=["budgets"])


class BudgetCategoryOut(Schema):
    name: str
    min_share: int


class EnvelopeOut(Schema):
    id: int
    title: str
    amount: int
    territory: str | None
    ballot_kind: str
    max_choices: int | None
    points: int
    max_points_per_project: int
    rank_points: list[int]
    rule: str
    election_id: int | None
    results_published: bool
    categories: list[BudgetCategoryOut]
    imported_from: str


class ProjectOut(Schema):
    id: int
    reference: int
    title: str
    envelope_id: int
    estimated_cost: int
    territory: str | None
    address: str
    latitude: float | None
    longitude: float | None
    feasibility: str
    answer: str
    url: str


class ProjectIn(Schema):
    envelope_id: int
    title: str
    description: str = ""
    estimated_cost: int
    address: str = ""


class ResultLineOut(Schema):
    project_id: int
    title: str
    cost: int
    votes: int
    points: int
    funded: bool
    funded_by_greedy: bool
    explanation: str


class FloorOut(Schema):
    category: str
    min_share: int
    floor: int
    funded: int
    reached: bool
    explanation: str


class EnvelopeResultsOut(Schema):
    envelope_id: int
    rule: str
    voters: int
    total_cost: int
    funded: list[int]
    projects: list[ResultLineOut]
    floors: list[FloorOut]
    funded_by_floor: list[int]


def _module(request: HttpRequest, module_id: int) -> Module:
    module = Module.objects.filter(pk=module_id, module_type="budgets").select_related("space").first()
    if module is None or not request.user.has_perm("budgets.view_budget", module):
        raise HttpError(404, "Not found")
    return module


def _envelope(request: HttpRequest, envelope_id: int) -> Envelope:
    envelope = get_object_or_404(Envelope.objects.select_related("module__space", "territory"), pk=envelope_id)
    _module(request, envelope.module_id)
    return envelope


def _envelope_out(e: Envelope) -> dict[str, Any]:
    return {
        "id": e.pk,
        "title": e.title,
        "amount": e.amount,
        "territory": e.territory.name if e.territory else None,
        "ballot_kind": e.ballot_kind,
        "max_choices": e.max_choices,
        "points": e.points,
        "max_points_per_project": e.max_points_per_project,
        "rank_points": e.rank_points_list,
        "rule": e.rule,
        "election_id": e.election_id,
        "results_published": e.is_published,
        "categories": [{"name": c.name, "min_share": c.min_share} for c in e.categories.all()],
        "imported_from": e.imported_from,
    }


def _project_out(p: Project) -> dict[str, Any]:
    return {
        "id": p.pk,
        "reference": p.reference,
        "title": p.title,
        "envelope_id": p.envelope_id,
        "estimated_cost": p.estimated_cost,
        "territory": p.territory.name if p.territory else None,
        "address": p.address,
        "latitude": float(p.latitude) if p.latitude is not None else None,
        "longitude": float(p.longitude) if p.longitude is not None else None,
        "feasibility": p.feasibility if p.answered_at else "",
        "answer": p.answer if p.answered_at else "",
        "url": p.get_absolute_url(),
    }


@router.get("/modules/{module_id}/envelopes", response={200: list[EnvelopeOut], **errors(404, 422)})
def envelope_list(request: HttpRequest, module_id: Id) -> list[dict[str, Any]]:
    return [_envelope_out(e) for e in selectors.envelopes_of(_module(request, module_id))]


@router.get("/envelopes/{envelope_id}/projects", response={200: list[ProjectOut], **errors(404, 422)})
def project_list(request: HttpRequest, envelope_id: Id) -> list[dict[str, Any]]:
    envelope = _envelope(request, envelope_id)
    return [_project_out(p) for p in selectors.projects_in(envelope.module).filter(envelope=envelope)]


@router.get("/envelopes/{envelope_id}/results", response={200: EnvelopeResultsOut, **errors(404, 409, 422)})
def results_get(request: HttpRequest, envelope_id: Id) -> dict[str, Any]:
    """The published results (409 before they are published)."""
    envelope = _envelope(request, envelope_id)
    laid_out = selectors.results(envelope) if envelope.is_published else None
    if laid_out is None:
        raise HttpError(409, "Les résultats ne sont pas encore publiés.")
    return {
        "envelope_id": envelope.pk,
        "rule": envelope.rule,
        "voters": laid_out.voters,
        "total_cost": laid_out.total_cost,
        "funded": [line.project.pk for line in laid_out.funded],
        "projects": [
            {
                "project_id": line.project.pk,
                "title": line.project.title,
                "cost": line.project.estimated_cost,
                "votes": line.votes,
                "points": line.points,
                "funded": line.selected,
                "funded_by_greedy": line.selected_by_greedy,
                "explanation": line.explanation,
            }
            for line in laid_out.lines
        ],
        "floors": [
            {
                "category": f.category,
                "min_share": f.share,
                "floor": f.floor,
                "funded": f.funded,
                "reached": f.reached,
                "explanation": f.text,
            }
            for f in laid_out.floors
        ],
        "funded_by_floor": [line.project.pk for line in laid_out.by_floor],
    }


@router.post("/modules/{module_id}/projects", response={201: ProjectOut, **errors(403, 404, 422)}, auth=django_auth)
def project_create(request: HttpRequest, module_id: Id, payload: ProjectIn) -> tuple[int, dict[str, Any]]:
    module = _module(request, module_id)
    envelope = Envelope.objects.filter(module=module, pk=payload.envelope_id).first()
    if envelope is None:
        return 422, {"detail": [{"loc": ["body", "envelope_id"], "msg": "Enveloppe inconnue.", "type": "value_error"}]}  # type: ignore[return-value]
    data = payload.dict() | {"envelope": envelope}
    data.pop("envelope_id")
    try:
        project = services.project_save(actor=request.user, module=module, project=None, data=data)
    except Refused as refused:
        raise HttpError(403, str(refused)) from refused
    except ValidationError as invalid:
        detail = [
            {"loc": ["body", field], "msg": m, "type": "value_error"}
            for field, found in invalid.message_dict.items()
            for m in found
        ]
        return 422, {"detail": detail}  # type: ignore[return-value]
    return 201, _project_out(project)


@router.post(
    "/modules/{module_id}/envelopes/pabulib",
    response={201: EnvelopeOut, **errors(403, 404, 413, 422)},
    auth=django_auth,
)
def envelope_import(
    request: HttpRequest,
    module_id: Id,
    file: UploadedFile = File(...),  # noqa: B008  (ninja's way of declaring a multipart file)
    title: str = Form(""),
    skip_bad_lines: bool = Form(False),
) -> tuple[int, dict[str, Any]]:
    """A Pabulib file as a new envelope with its projects and grouped ballots (simulation, audit)."""
    module = _module(request, module_id)
    if (file.size or 0) > MAX_PB_BYTES:
        raise HttpError(413, "Le fichier dépasse 10 Mo : importez-le avec la commande budget_import.")
    try:
        text = file.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        return 422, {
            "detail": [{"loc": ["body", "file"], "msg": "Le fichier n'est pas en UTF-8.", "type": "value_error"}]
        }  # type: ignore[return-value]
    try:
        envelope = services.envelope_import_pabulib(
            actor=request.user,
            module=module,
            text=text,
            filename=file.name or "envelope.pb",
            title=title,
            skip_bad_lines=skip_bad_lines,
        )
    except Refused as refused:
        raise HttpError(403, str(refused)) from refused
    except services.PabulibRefused as refused:
        detail = [
            {"loc": ["body", "file", *([line] if line else [])], "msg": reason, "type": "value_error"}
            for line, reason in refused.check.lines
        ]
        return 422, {"detail": detail}  # type: ignore[return-value]
    return 201, _envelope_out(envelope)
