"""Public pages: a published synthesis (its text with themes and quotes, the method, date and number of
contributions), a démarche's published syntheses, and an imported contribution (the source a quote links to).
Reads only."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.http import require_safe

from participe.spaces.http import require_visible
from participe.spaces.models import Space
from participe.synthesis import selectors
from participe.synthesis.models import ImportedContribution, Synthesis


@require_safe
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    synthesis = get_object_or_404(Synthesis.objects.select_related("space"), pk=pk)
    require_visible(request, "synthesis.view_synthesis", synthesis)
    themes = selectors.summaries(synthesis, quotes=5)
    return render(
        request,
        "synthesis/synthesis_detail.html",
        {"synthesis": synthesis, "themes": themes, "blocks": selectors.blocks(synthesis, themes)},
    )


@require_safe
def space_list(request: HttpRequest, slug: str) -> HttpResponse:
    space = get_object_or_404(Space, slug=slug)
    require_visible(request, "spaces.view_space", space)
    return render(request, "synthesis/space_list.html", {"space": space, "syntheses": selectors.published_of(space)})


@require_safe
def imported(request: HttpRequest, pk: int) -> HttpResponse:
    contribution = get_object_or_404(ImportedContribution.objects.select_related("space", "batch"), pk=pk)
    require_visible(request, "synthesis.view_importedcontribution", contribution)
    return render(request, "synthesis/imported_detail.html", {"contribution": contribution})
