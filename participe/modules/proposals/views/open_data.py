"""The public export of a proposals module (open data), when its "open_data" setting is on.

Anybody may download, in CSV, JSON or GeoJSON, the published proposals a visitor sees (the list's filters apply:
theme, territory, status, text), without personal data. Only for a module of a published public space.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_GET

from participe.modules.proposals import exports
from participe.modules.proposals.selectors.proposals import Filters, public_proposals
from participe.spaces.models import Module

# Formats offered on the module page, in this order, with what each is for.
FORMAT_LABELS = {
    "csv": _lazy("CSV (tableur)"),
    "json": _lazy("JSON"),
    "geojson": _lazy("GeoJSON (cartographie)"),
}
# Filters of the list that the export does not take (it is anonymous and has its own order).
NOT_EXPORTED = ("tri", "apres", "mes", "graine")


def is_open(module: Module) -> bool:
    """The module's proposals are open data and a visitor may see the module."""
    return exports.is_open_data(module) and AnonymousUser().has_perm("spaces.view_module", module)


def open_module(slug: str, module_slug: str) -> Module | None:
    """The module, when a visitor may see it and its proposals are open data."""
    module = (
        Module.objects.select_related("space")
        .filter(space__slug=slug, slug=module_slug, module_type="proposals")
        .first()
    )
    if module is None or not is_open(module):
        return None
    return module


def open_data_links(module: Module, filters: Filters | None = None) -> list[tuple[str, str]]:
    """(label, url) of the open-data exports of ``module`` with the list's filters, or [] when not open data."""
    if not is_open(module):
        return []
    query = {k: v for k, v in (filters or Filters()).to_query().items() if k not in NOT_EXPORTED}
    suffix = f"?{urlencode(query)}" if query else ""
    kwargs = {"slug": module.space.slug, "module_slug": module.slug}
    return [
        (str(label), reverse("spaces:proposals:open_data", kwargs={**kwargs, "fmt": fmt}) + suffix)
        for fmt, label in FORMAT_LABELS.items()
    ]


@require_GET
def open_data(request: HttpRequest, slug: str, module_slug: str, fmt: str) -> StreamingHttpResponse:
    module = open_module(slug, module_slug)
    if module is None or fmt not in exports.FORMATS:
        raise Http404
    filters = Filters.from_query(request.GET)
    proposals = public_proposals(module, AnonymousUser(), filters)
    response = StreamingHttpResponse(
        exports.export_stream(fmt, proposals, module, public=True), content_type=exports.CONTENT_TYPES[fmt]
    )
    response["Content-Disposition"] = f'attachment; filename="{exports.filename(module, fmt, public=True)}"'
    response["X-Content-Type-Options"] = "nosniff"
    response["Access-Control-Allow-Origin"] = "*"  # open data: reusable from any site
    return response
