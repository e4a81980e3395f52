"""Public pages: « Suivi des engagements » across every démarche (filters and progress overview), a démarche's
commitments, a commitment's page with its timeline, and the open-data export. Reads only."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from participe.commitments import exports, selectors
from participe.commitments.forms import FollowUpFilterForm
from participe.commitments.models import Commitment
from participe.spaces.http import require_visible
from participe.spaces.models import Space

PAGE_SIZE = 30


def _list(request: HttpRequest, space: Space | None) -> HttpResponse:
    form = FollowUpFilterForm(request.GET or None, user=request.user, space=space)
    filters = form.filters()
    visible = selectors.filtered(selectors.visible_to(request.user), filters)
    page = selectors.page(request.user, filters, cursor=request.GET.get("apres"), size=PAGE_SIZE)
    context = {"form": form, "page": page, "overview": selectors.overview(visible), "space": space}
    template = "commitments/partials/_results.html" if request.htmx else "commitments/follow_up.html"  # type: ignore[attr-defined]
    return render(request, template, context)


@require_safe
def follow_up(request: HttpRequest) -> HttpResponse:
    return _list(request, None)


@require_safe
def space_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(Space, slug=slug)
    require_visible(request, "spaces.view_space", space)
    return _list(request, space)


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    commitment = get_object_or_404(Commitment.objects.select_related("space", "service", "territory"), pk=pk)
    require_visible(request, "commitments.view_commitment", commitment)
    return render(
        request,
        "commitments/commitment_detail.html",
        {
            "commitment": commitment,
            "updates": selectors.timeline(commitment),
            "sources": selectors.sources_of(commitment, request.user),
            "may_carry": request.user.has_perm("commitments.add_update", commitment),
        },
    )


@require_safe
def export(request: HttpRequest, fmt: str) -> StreamingHttpResponse:
    """Every published commitment of the public démarches (open data: no personal data), CSV or JSON."""
    if fmt not in exports.FORMATS:
        raise Http404
    response = StreamingHttpResponse(exports.stream(fmt), content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = f'attachment; filename="engagements-{timezone.localdate():%Y-%m-%d}.{fmt}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def bilan_moved(request: HttpRequest, slug: str, suffix: str = "") -> HttpResponse:
    """The bilan moved to /bilans/ (participe.restitution): old links lead there."""
    return redirect(
        reverse("restitution:bilan_pdf" if suffix else "restitution:bilan", kwargs={"slug": slug}), permanent=True
    )
