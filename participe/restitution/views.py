"""Public pages of the bilans: a démarche's bilan once published (its staff see the draft, marked as a preview)
and its PDF. Reads only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from participe.restitution import selectors
from participe.restitution.models import Bilan
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


@require_safe
def bilan_pdf(request: HttpRequest, slug: str) -> HttpResponse:
    """The bilan as a PDF file, in the organisation's colours."""
    from participe.restitution.documents.pdf import bilan_pdf as render_pdf

    space, edition = _visible(request, slug)
    report = selectors.bilan_of(space, request.user, edition=edition)
    content = render_pdf(report, base_url=request.build_absolute_uri("/"))
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="bilan-{space.slug}-{timezone.localdate():%Y-%m-%d}.pdf"'
    return response
