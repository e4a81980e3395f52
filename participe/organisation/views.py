from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from participe.organisation import processing
from participe.organisation.models import Organisation


@require_GET
def legal_notice(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/legal_notice.html")


@require_GET
def privacy(request: HttpRequest) -> HttpResponse:
    context = {"activities": processing.activities(), "audience_enabled": settings.PARTICIPE_AUDIENCE_ENABLED}
    return render(request, "organisation/privacy.html", context)


@require_GET
def accessibility(request: HttpRequest) -> HttpResponse:
    return render(request, "organisation/accessibility.html")


@require_GET
@cache_control(max_age=300)
def theme_css(request: HttpRequest) -> HttpResponse:
    """The organisation's colours as CSS variables (a stylesheet, so the CSP needs no inline style)."""
    organisation = Organisation.get()
    css = f":root{{--colour-primary:{organisation.primary_colour};--colour-secondary:{organisation.secondary_colour};}}"
    return HttpResponse(css, content_type="text/css; charset=utf-8")
