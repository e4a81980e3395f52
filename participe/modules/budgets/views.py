"""Public pages of a budget participatif: the envelopes and their projects, a project, the ballot of an envelope
(checked by the server with « Vérifier » — the « reste à dépenser » bar works without JavaScript — reviewed, then
cast through the ballot service with a receipt), the results with their explanations.

Casting is three steps, as for a votation: the ballot (GET, or POST « Vérifier »: nothing is written), the review
(POST: nothing is written; the ballot is carried with a one-time token), the confirmation (POST: the ballot service
casts it and the receipt is shown in the answer; sending it again answers with the same receipt).
"""

from __future__ import annotations

import json
import secrets
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.ballots import selectors as ballots
from participe.ballots.services import ballot_cast
from participe.core.capabilities import Cap
from participe.links.selectors import origins_of
from participe.modules.budgets import selectors
from participe.modules.budgets.models import Envelope, Project
from participe.modules.budgets.open_data import pabulib_text
from participe.modules.budgets.schema import check, points_of, projects_of
from participe.organisation.geography import map_config
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused
from participe.spaces.models import Module
from participe.verifications.eligibility import rule_for

MAX_BALLOT_BYTES = 20_000


def module_page(request: HttpRequest, module: Module) -> HttpResponse:
    """The envelopes, each with its projects, and what the visitor may do now (vote, read the results)."""
    envelopes = selectors.envelopes_of(module)
    projects = list(selectors.projects_in(module))
    for envelope in envelopes:
        envelope.listed = [p for p in projects if p.envelope_id == envelope.pk]  # type: ignore[attr-defined]
    rule = rule_for(module, Cap.VOTE)
    context = {
        "module": module,
        "space": module.space,
        "envelopes": envelopes,
        "eligibility": rule.describe() if rule is not None else "",
    }
    return render(request, "budgets/module_page.html", context)


def _module(request: HttpRequest, slug: str, module_slug: str) -> Module:
    module = get_object_or_404(
        Module.objects.select_related("space").prefetch_related("phases"),
        space__slug=slug,
        slug=module_slug,
        module_type="budgets",
    )
    if not request.user.has_perm("budgets.view_budget", module):
        raise Http404
    return module


def _envelope(request: HttpRequest, slug: str, module_slug: str, pk: int) -> tuple[Module, Envelope]:
    module = _module(request, slug, module_slug)
    envelope = selectors.envelope_in(module, pk)
    if envelope is None:
        raise Http404
    return module, envelope


def _base(module: Module, envelope: Envelope | None = None, **extra: Any) -> dict[str, Any]:
    return {"module": module, "space": module.space, "envelope": envelope, **extra}


def envelope_detail(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    module, envelope = _envelope(request, slug, module_slug, pk)
    election = envelope.election
    context = _base(
        module,
        envelope,
        projects=list(selectors.projects_in(module).filter(envelope=envelope)),
        verdict=explain(request.user, "ballots.vote_now", election) if election else None,
        voted=ballots.roll_entry_of(request.user, election) if election and request.user.is_authenticated else None,
        stations=ballots.stations_of(module) if election and election.paper else [],
    )
    return render(request, "budgets/envelope_detail.html", context)


def project_detail(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    module = _module(request, slug, module_slug)
    project = get_object_or_404(
        Project.objects.select_related("envelope", "territory", "category", "merged_into", "module__space"),
        pk=pk,
        module=module,
    )
    context = _base(
        module,
        project.envelope,
        project=project,
        origins=origins_of(project, request.user),
        merged=list(project.merged_projects.all()),
        result=selectors.project_result(project),
        funded=str(project.pk) in (project.envelope.outcome or {}).get("selected", []),
    )
    return render(request, "budgets/project_detail.html", context)


# --- the ballot ---------------------------------------------------------------------------------------------------
def read_form(envelope: Envelope, data: QueryDict) -> dict[str, Any]:
    """The ballot's content from the form's fields (check boxes, points, ranks)."""
    if envelope.ballot_kind == Envelope.BallotKind.CUMULATIVE:
        return {"points": {k.removeprefix("points_"): v for k, v in data.items() if k.startswith("points_") and v}}
    if envelope.ballot_kind == Envelope.BallotKind.RANKING:
        return {"ranks": {k.removeprefix("rang_"): v for k, v in data.items() if k.startswith("rang_") and v}}
    return {"projects": data.getlist("projet")}


def read_ballot(raw: str) -> dict[str, Any] | None:
    """The reviewed ballot carried in the confirmation form (JSON), or None when it is not one."""
    if len(raw) > MAX_BALLOT_BYTES:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None


def _values(envelope: Envelope, content: dict[str, Any]) -> dict[int, int]:
    """What the ballot gives each project, for the form (checked boxes, points, ranks), even when it is invalid."""
    if "ranks" in content:
        return {int(k): int(v) for k, v in content["ranks"].items() if str(k).isdigit() and str(v).isdigit()}
    if "ranking" in content:
        return {int(p): n for n, p in enumerate(content["ranking"], start=1) if str(p).isdigit()}
    if "points" in content:
        return {int(k): int(v) for k, v in content["points"].items() if str(k).isdigit() and str(v).isdigit()}
    return {int(p): 1 for p in content.get("projects", []) if str(p).isdigit()}


def ballot_context(envelope: Envelope, content: dict[str, Any], errors: list[str]) -> dict[str, Any]:
    projects = projects_of(envelope)
    values = _values(envelope, content)
    chosen_cost = sum(p.estimated_cost for p in projects if values.get(p.pk))
    points_given = sum(values.values()) if envelope.ballot_kind == Envelope.BallotKind.CUMULATIVE else 0
    left = envelope.amount - chosen_cost
    return {
        "projects": [(n, p, values.get(p.pk, 0)) for n, p in enumerate(projects, start=1)],
        "errors": errors,
        "spent": chosen_cost,
        "left": left,
        "over": left < 0,
        "percent": min(100, round(100 * chosen_cost / envelope.amount)) if envelope.amount else 0,
        "points_given": points_given,
        "points_left": envelope.points - points_given,
        "chosen": len([v for v in values.values() if v]),
        "point_choices": range(envelope.max_points_per_project + 1),
        "rank_choices": range(1, len(envelope.rank_points_list) + 1),
    }


def _messages_of(error: ValidationError) -> list[str]:
    if hasattr(error, "error_dict"):
        return [m for ms in error.message_dict.values() for m in ms]
    return list(error.messages)


def _may_vote(request: HttpRequest, envelope: Envelope) -> str:
    if envelope.election is None:
        return _("Le vote de cette enveloppe n'est pas ouvert.")
    if getattr(request, "acting_for", None) is not None:
        return _("Le vote est personnel : l'habitant vote lui-même, en ligne ou au bureau de vote.")
    verdict = explain(request.user, "ballots.vote_now", envelope.election)
    return "" if verdict.allowed else verdict.message


def ballot(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """GET: the ballot. POST « verifier »: the ballot again with its totals and what is wrong (nothing written).
    POST « modifier »: the reviewed ballot again, to change it. Other POST: the review when the ballot is valid."""
    module, envelope = _envelope(request, slug, module_slug, pk)
    refusal = _may_vote(request, envelope)
    if refusal:
        messages.error(request, refusal)
        return redirect(envelope.get_absolute_url())
    errors: list[str] = []
    content: dict[str, Any] = {}
    if request.method == "POST" and "modifier" in request.POST:
        content = read_ballot(request.POST.get("bulletin", "")) or {}
    elif request.method == "POST":
        content = read_form(envelope, request.POST)
        try:
            valid = check(envelope, content)
        except ValidationError as error:
            errors = _messages_of(error)
        else:
            if "verifier" not in request.POST:
                return _review(request, module, envelope, valid)
    context = _base(module, envelope, checked="verifier" in request.POST) | ballot_context(envelope, content, errors)
    template = "budgets/partials/_summary.html" if request.headers.get("HX-Request") else "budgets/ballot.html"
    return render(request, template, context)


def _review(request: HttpRequest, module: Module, envelope: Envelope, content: dict[str, Any]) -> HttpResponse:
    projects = {p.pk: p for p in projects_of(envelope)}
    given = points_of(envelope, content)
    lines = [(projects[p], given[p]) for p in (content.get("ranking") or sorted(given)) if p in projects]
    context = _base(
        module,
        envelope,
        lines=lines,
        spent=sum(p.estimated_cost for p, _points in lines),
        ballot_json=json.dumps(content),
        token=secrets.token_urlsafe(24),
    )
    return render(request, "budgets/review.html", context)


@require_POST
def confirm(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """Cast the reviewed ballot and show the receipt (the same receipt if this confirmation is sent again)."""
    module, envelope = _envelope(request, slug, module_slug, pk)
    content = read_ballot(request.POST.get("bulletin", ""))
    if envelope.election is None or content is None or getattr(request, "acting_for", None) is not None:
        return redirect(envelope.get_absolute_url())
    try:
        cast = ballot_cast(
            actor=request.user,
            election=envelope.election,
            content=content,
            idempotency_key=request.POST.get("jeton", "")[:200] or None,
            email_receipt=request.POST.get("recu_courriel") == "1",
        )
    except Refused as refused:
        messages.error(request, str(refused))
        return redirect(envelope.get_absolute_url())
    except ValidationError as invalid:
        context = _base(module, envelope) | ballot_context(envelope, content, _messages_of(invalid))
        return render(request, "budgets/ballot.html", context)
    return render(request, "budgets/receipt.html", _base(module, envelope, cast=cast, election=envelope.election))


def results(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """The envelope's published results: funded projects (map and list), votes, costs, turnout per quartier and
    channel, why each project was funded or not, the comparison with greedy, the tally file."""
    module, envelope = _envelope(request, slug, module_slug, pk)
    staff = request.user.has_perm("budgets.manage_budget", module)
    laid_out = selectors.results(envelope) if (envelope.is_published or staff) else None
    context = _base(module, envelope, results=laid_out, map=map_config())
    return render(request, "budgets/results.html", context)


def pabulib_file(request: HttpRequest, slug: str, module_slug: str, pk: int) -> HttpResponse:
    """The envelope's counted vote as a Pabulib file, once its results are published."""
    _module_found, envelope = _envelope(request, slug, module_slug, pk)
    if not envelope.is_published or envelope.election is None or not envelope.election.is_counted:
        raise Http404
    response = HttpResponse(pabulib_text(envelope), content_type="text/plain; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{module_slug}-enveloppe-{envelope.pk}.pb"'
    return response
