"""The platform's URLs plus the "floor" view, for the benchmark server only (see bench/settings.py)."""

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.urls import include, path
from django.views.decorators.http import require_POST

from participe.activity.models import AuditEntry
from participe.core.pagination import keyset_paginate
from participe.organisation.models import Organisation, Territory, Theme
from participe.spaces import selectors


def floor(request: HttpRequest) -> HttpResponse:
    """The queries of the space list (visible spaces, filters, first keyset page of 12 with territories
    and themes, the filter choices, the organisation) without templates: the framework's limit for that page."""
    Organisation.get()
    qs = selectors.filter_spaces(selectors.spaces_visible_to(request.user))
    page = keyset_paginate(selectors.with_list_data(qs), ordering=("-start_date", "-pk"), cursor=None, size=12)
    lines = [
        f"{space.title} {[t.name for t in space.territories.all()]} {[t.name for t in space.themes.all()]}"
        for space in page.items
    ]
    lines += [t.name for t in Territory.objects.all()] + [t.name for t in Theme.objects.all()]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@require_POST
def insert_floor(request: HttpRequest) -> HttpResponse:
    """One row written for the signed-in user behind the same middleware (session, CSRF, authentication…) as any
    write: the stack's own limit for a write request (bench/ballots.py compares a ballot with it)."""
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Not signed in"}, status=401)
    AuditEntry.objects.create(actor=request.user, action="bench.floor")
    return JsonResponse({"ok": True}, status=201)


urlpatterns = [
    path("__bench__/floor/", floor),
    path("__bench__/insert/", insert_floor),
    path("", include("participe.urls")),
]
