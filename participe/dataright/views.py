"""« Mes données »: the page, its progress (htmx polling, or a link to refresh it), the download."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from participe.dataright import selectors, services

POLL_SECONDS = 2


def _context(request: HttpRequest) -> dict[str, object]:
    export = selectors.latest_export(request.user)
    ready = export is not None and export.status == export.Status.READY
    return {
        "export": export,
        "poll_seconds": POLL_SECONDS,
        "retention_days": settings.PARTICIPE_RETENTION["data_export"],
        "token": services.download_token(export) if ready else "",  # type: ignore[arg-type]
    }


@login_required
@require_http_methods(["GET", "POST"])
def my_data(request: HttpRequest) -> HttpResponse:
    if request.method == "POST":
        export = services.export_request(actor=request.user)
        if export.is_working:
            messages.success(request, _("Votre demande est enregistrée : l'archive se prépare."))
        return redirect("dataright:index")
    return render(request, "dataright/my_data.html", _context(request))


@login_required
@require_GET
def status(request: HttpRequest) -> HttpResponse:
    """The state of the latest request: the fragment htmx polls, or the whole page without JavaScript."""
    if not request.htmx:  # type: ignore[attr-defined]
        return redirect("dataright:index")
    return render(request, "dataright/partials/_status.html", _context(request))


@login_required
@require_GET
def download(request: HttpRequest, token: str) -> HttpResponse:
    try:
        export = services.export_for_link(token=token, user=request.user)
    except services.LinkRefused as refusal:
        return render(request, "dataright/link_refused.html", {"message": refusal.message}, status=refusal.status)
    name = f"mes-donnees-{export.finished_at:%Y-%m-%d}.zip" if export.finished_at else "mes-donnees.zip"
    response = FileResponse(export.file.open("rb"), as_attachment=True, filename=name, content_type="application/zip")
    response["Cache-Control"] = "private, no-store"
    return response
