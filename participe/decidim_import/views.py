"""The back-office's Decidim import (``/gestion/import-decidim/``): upload an archive, read the report of what its
import would do (nothing is written yet), then confirm or drop it. Without JavaScript: a form, a page, a button.
Each write goes through a service; the organisation's administrators only, anyone else is told why."""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.backoffice.decorators import staff_required
from participe.backoffice.views.common import actor
from participe.decidim_import import services
from participe.decidim_import.forms import ArchiveForm
from participe.decidim_import.models import ArchiveImport
from participe.decidim_import.reader import ArchiveError
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused


def _allowed(request: HttpRequest) -> None:
    verdict = explain(request.user, "decidim_import.import_archive")
    if not verdict:
        raise Refused(verdict.reasons)


@staff_required
def index(request: HttpRequest) -> HttpResponse:
    _allowed(request)
    form = ArchiveForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["archive"]
        data = upload.read()
        try:
            report = services.archive_check(actor=actor(request), data=data, filename=upload.name)
        except ArchiveError as error:
            form.add_error("archive", _("%(error)s Rien n'est importé.") % {"error": error})
        else:
            pending = services.archive_keep(actor=actor(request), data=data, filename=upload.name, report=report)
            return redirect("decidim_import:report", pk=pending.pk)
    done = ArchiveImport.objects.filter(status=ArchiveImport.Status.DONE).select_related("created_by")[:20]
    status = 400 if form.errors else 200
    return render(request, "decidim_import/index.html", {"form": form, "done": done}, status=status)


@staff_required
def report(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    record = get_object_or_404(ArchiveImport, pk=pk)
    context = {"record": record, "report": services.Report.from_json(record.report)}
    return render(request, "decidim_import/report.html", context)


@staff_required
@require_POST
def confirm(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    record = get_object_or_404(ArchiveImport, pk=pk)
    try:
        result = services.archive_confirm(actor=actor(request), pending=record)
    except ArchiveError as error:
        messages.error(request, str(error))
        return redirect("decidim_import:report", pk=pk)
    messages.success(
        request,
        _("L'archive est importée : %(n)s contributions, dans %(spaces)s espace(s) en brouillon à relire et publier.")
        % {"n": result.total, "spaces": len(result.spaces)},
    )
    return redirect("decidim_import:report", pk=pk)


@staff_required
@require_POST
def drop(request: HttpRequest, pk: int) -> HttpResponse:
    _allowed(request)
    record = get_object_or_404(ArchiveImport, pk=pk)
    services.archive_drop(actor=actor(request), pending=record)
    messages.success(request, _("L'archive est abandonnée : rien n'a été importé."))
    return redirect("decidim_import:index")
