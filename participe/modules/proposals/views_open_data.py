"""The public export of a proposals module (open data), when its "open_data" setting is on.

Anybody may download, in CSV, JSON or GeoJSON, the published proposals a visitor sees (the list's filters apply:
theme, territory, status, text), without personal data. Only for a module of a published public space.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.http import Http404, HttpRequest, StreamingHttpResponse
from django.views.decorators.http import require_GET

from participe.modules.proposals import exports
from participe.modules.proposals.selectors import Filters, public_proposals
from participe.spaces.models import Module


def open_module(slug: str, module_slug: str) -> Module | None:
    """The module, when a visitor may see it and its proposals are open data."""
    module = (
        Module.objects.select_related("space")
        .filter(space__slug=slug, slug=module_slug, module_type="proposals")
        .first()
    )
    if module is None or not exports.is_open_data(module):
        return None
    if not AnonymousUser().has_perm("spaces.view_module", module):
        return None
    return module


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
