"""Public pages of the bilans: a démarche's bilan once published (its staff see the draft, marked as a preview)
and its PDF, built by the worker and served once ready (decision 0042). Reads only, but for asking again for a
document whose build failed (a POST, through the service)."""

from __future__ import annotations

import time
from typing import Any

from django.http import FileResponse, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.views.decorators.http import require_http_methods, require_safe

from participe.restitution import selectors, services
from participe.restitution.documents import builds
from participe.restitution.models import Bilan, BilanDocument
from participe.spaces.http import require_visible
from participe.spaces.models import Space


def _visible(request: HttpRequest, slug: str) -> tuple[Space, Bilan]:
    """The space and its bilan, if the person asking may read it: a draft is its staff's (404 for anyone else, as
    for a missing démarche)."""
    space = get_object_or_404(Space, slug=slug)
    require_visible(request, "spaces.view_space", space)
    edition = selectors.edition_of(space)
    require_visible(request, "restitution.view_bilan", edition)
    return space, edition


@require_safe
def bilan(request: HttpRequest, slug: str) -> HttpResponse:
    """The « Bilan » of a démarche: figures, phases, syntheses, every contribution with its answer or none,
    decisions, commitments."""
    space, edition = _visible(request, slug)
    report = selectors.bilan_of(space, request.user, edition=edition)
    unanswered_only = request.GET.get("sans-reponse") == "1"
    context = {
        "bilan": report,
        "space": space,
        "edition": edition,
        "unanswered_only": unanswered_only,
        "may_edit": request.user.has_perm("restitution.change_bilan", space),
    }
    return render(request, "restitution/bilan.html", context)


POLL_SECONDS = 2


def _file(document: BilanDocument, space: Any) -> FileResponse:
    day = timezone.localtime(document.built_at).date()
    response = FileResponse(
        document.file.open("rb"),
        as_attachment=True,
        filename=f"bilan-{space.slug}-{day:%Y-%m-%d}.{document.kind}",
        content_type=builds.CONTENT_TYPES[document.kind],  # type: ignore[index]
    )
    response["Cache-Control"] = "private, no-cache"  # what it shows depends on who asks
    return response


def document(request: HttpRequest, space: Any, edition: Bilan, kind: str) -> HttpResponse:
    """The bilan's ``kind`` document for the person asking, whose right to it the caller checked: the file once
    built (the same file for everyone who would be shown the same); else a page whose form asks for it (a POST:
    a GET never writes; htmx sends it as the page loads), then says it is being prepared and refreshes
    (``POLL_SECONDS``; without JavaScript, a link); a failed build: the page saying so, and the POST asks again."""
    reader = builds.Reader.of(request)
    if request.method == "POST":
        services.document_retry(actor=request.user, space=space, kind=kind, reader=reader)
        if not request.htmx:  # type: ignore[attr-defined]
            return redirect(request.path)
    report = selectors.bilan_of(space, request.user, edition=edition)
    state, _rendered = builds.prepare(space, kind, report, reader)
    if request.method == "POST" and state.waiting and not state.asked:
        state = builds.State(None, time.time())  # just asked (the queue entry is written once the POST commits)
    if state.ready and not request.htmx:  # type: ignore[attr-defined]
        return _file(state.document, space)  # type: ignore[arg-type]
    context = {
        "space": space,
        "state": state,
        "kind": kind,
        "url": request.path,
        "poll_seconds": POLL_SECONDS,
        "may_edit": request.user.has_perm("restitution.change_bilan", space),
    }
    template = "restitution/partials/_document.html" if request.htmx else "restitution/document.html"  # type: ignore[attr-defined]
    response = render(request, template, context, status=202 if state.asked else 200)
    patch_vary_headers(response, ["HX-Request"])
    response["Cache-Control"] = "no-store"
    return response


@require_http_methods(["GET", "HEAD", "POST"])
def bilan_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The bilan as a PDF file, in the organisation's colours (built by the worker)."""
    space, edition = _visible(request, slug)
    return document(request, space, edition, BilanDocument.Kind.PDF)
