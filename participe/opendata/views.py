"""The open-data catalogue page and its downloads (no account needed; reusable from any site)."""

from __future__ import annotations

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.module_loading import import_string
from django.views.decorators.http import require_safe

from participe.opendata import selectors


@require_safe
def catalogue(request: HttpRequest) -> HttpResponse:
    found = list(selectors.datasets())
    spaces: dict[int, list[selectors.Dataset]] = {}
    for item in found:
        spaces.setdefault(item.space.pk, []).append(item)
    groups = [(items[0].space, items) for items in spaces.values()]
    return render(request, "opendata/catalogue.html", {"groups": groups, "count": len(found)})


@require_safe
def download(request: HttpRequest, slug: str, module_slug: str, export: str, fmt: str) -> StreamingHttpResponse:
    found = selectors.dataset(slug, module_slug, export)
    if found is None or fmt not in found.export.formats:
        raise Http404
    assert found.export.stream  # a published export has one (selectors.is_published)
    chunks = import_string(found.export.stream)(found.module, fmt)
    response = StreamingHttpResponse(chunks, content_type=selectors.CONTENT_TYPES.get(fmt, "application/octet-stream"))
    name = f"{found.space.slug}-{found.module.slug}-{found.export.key}-{timezone.localdate():%Y-%m-%d}.{fmt}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"  # open data: reusable from any site
    return response
