"""Back-office of a proposals module, continued: a proposal entered for a resident (received on paper, at the
counter, in a meeting), the exports of the module and the CSV import."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from participe.activity.services import audit
from participe.backoffice.decorators import staff_required
from participe.backoffice.forms.base import add_service_errors
from participe.backoffice.views.common import actor
from participe.modules.proposals import exports, imports
from participe.modules.proposals.backoffice.forms import BackofficeFilterForm, ImportForm, OnBehalfForm
from participe.modules.proposals.backoffice.views import context, get_module
from participe.modules.proposals.selectors import analysis as selectors
from participe.modules.proposals.services.analysis import proposal_enter
from participe.modules.proposals.views.proposals import map_config

IMPORT_REPORT = "proposals_import_report"


@staff_required
@require_http_methods(["GET", "POST"])
def create_on_behalf(request: HttpRequest, module_pk: int) -> HttpResponse:
    """Enter a proposal a resident handed in on paper, at the counter or in a meeting."""
    module = get_module(request, module_pk, "proposals.enter_on_behalf")
    form = OnBehalfForm(request.POST or None, module=module)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            proposal = proposal_enter(
                agent=actor(request),
                module=module,
                data=form.proposal_data(),
                origin=data["origin"],
                author=data["author"],
                name=data["name"],
                received_at=form.received_at(),
            )
        except ValidationError as exc:
            add_service_errors(form, exc)
        else:
            messages.success(
                request,
                _("La proposition n° %(ref)s « %(title)s » est enregistrée, marquée « saisie par un agent ».")
                % {"ref": proposal.reference, "title": proposal.title},
            )
            if request.POST.get("next") == "again":
                return redirect("backoffice:proposals:create_on_behalf", module_pk=module.pk)
            if request.user.has_perm("proposals.analyse_proposal", proposal):
                return redirect("backoffice:proposals:detail", pk=proposal.pk)
            return redirect("backoffice:proposals:list", module_pk=module.pk)
    return render(request, "proposals/backoffice/on_behalf.html", context(request, module, form=form, map=map_config()))


@staff_required
@require_GET
def export(request: HttpRequest, module_pk: int, fmt: str) -> StreamingHttpResponse:
    """The proposals of the list (same filters) in CSV, JSON or GeoJSON, everything but the private notes."""
    module = get_module(request, module_pk, "proposals.export_proposals")
    if fmt not in exports.FORMATS:
        raise Http404
    filters = BackofficeFilterForm(request.GET).filters()
    proposals = selectors.proposals_for_agent(module, request.user, filters)
    audit(actor=actor(request), action="proposals.export", target=module, after={"format": fmt, **filters.as_dict()})
    return _download(exports.export_stream(fmt, proposals, module, public=False), module, fmt, public=False)


def _download(stream: object, module: object, fmt: str, *, public: bool) -> StreamingHttpResponse:
    response = StreamingHttpResponse(stream, content_type=exports.CONTENT_TYPES[fmt])
    name = exports.filename(module, fmt, public=public)  # type: ignore[arg-type]
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    if not public:
        response["Cache-Control"] = "private, no-store"
    return response


@staff_required
@require_http_methods(["GET", "POST"])
def import_csv(request: HttpRequest, module_pk: int) -> HttpResponse:
    module = get_module(request, module_pk, "proposals.import_proposals")
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = imports.import_proposals(
            actor=actor(request),
            module=module,
            filename=upload.name,
            data=upload.read(),
            only_valid=form.cleaned_data["only_valid"],
        )
        request.session[IMPORT_REPORT] = {"module": module.pk, **report.as_session()}
        if report.imported:
            messages.success(request, imports.summary(report))
        else:
            messages.error(request, imports.summary(report))
        return redirect(reverse("backoffice:proposals:import", args=[module.pk]) + "#rapport")
    report = request.session.pop(IMPORT_REPORT, None) if request.method == "GET" else None
    if report and report.get("module") != module.pk:
        report = None
    return render(
        request,
        "proposals/backoffice/import.html",
        context(request, module, form=form, report=report, max_rows=imports.MAX_ROWS),
    )
