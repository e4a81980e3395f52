"""The organisation-wide modules (decision 0010): which module types the collectivité runs permanently, outside any
démarche (signalements, agenda, pétitions…), and the button that turns one on."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.backoffice.views.common import actor
from participe.core.registry import registry
from participe.spaces import services
from participe.spaces.models import Module, Space

PERM = "spaces.manage_organisation_modules"


@staff_required
def permanent_modules(request: HttpRequest) -> HttpResponse:
    require_perm(request, PERM)
    enabled = {
        m.module_type: m for m in Module.objects.filter(space__kind=Space.Kind.ORGANISATION).select_related("space")
    }
    rows = [(manifest, enabled.get(manifest.key)) for manifest in registry.organisation_wide()]
    return render(request, "backoffice/permanent_modules.html", {"rows": rows})


@staff_required
@require_POST
def permanent_module_enable(request: HttpRequest, key: str) -> HttpResponse:
    require_perm(request, PERM)
    try:
        module = services.organisation_module_enable(actor=actor(request), module_type=key)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
        return redirect("backoffice:permanent_modules")
    messages.success(request, _("« %(title)s » est ouvert aux habitants.") % {"title": module.title})
    return redirect("backoffice:module_edit", pk=module.pk)
