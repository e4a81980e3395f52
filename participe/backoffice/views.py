from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST

from participe.backoffice.decorators import require_perm, staff_required
from participe.spaces.models import Module
from participe.verifications.services import acting_for_stop


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    return render(request, "backoffice/dashboard.html")


@staff_required
@require_POST
def acting_stop(request: HttpRequest) -> HttpResponse:
    acting_for_stop(agent=request.user, session=request.session)  # type: ignore[arg-type]
    return redirect("backoffice:dashboard")


@staff_required
def module_edit(request: HttpRequest, pk: int) -> HttpResponse:
    module = get_object_or_404(Module.objects.select_related("space"), pk=pk)
    require_perm(request, "spaces.change_space", module.space)
    return render(request, "backoffice/module_edit.html", {"module": module, "space": module.space})
