from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from participe.activity.models import AuditEntry
from participe.backoffice.decorators import staff_required
from participe.backoffice.views.common import actor
from participe.spaces.selectors import backoffice_counts
from participe.verifications.models import Verification
from participe.verifications.services import acting_for_stop


@staff_required
def dashboard(request: HttpRequest) -> HttpResponse:
    user = actor(request)
    month_start = timezone.localtime().replace(day=1, hour=0, minute=0, second=0, microsecond=0)
    context = backoffice_counts(user) | {
        "verifications_this_month": Verification.objects.filter(created_at__gte=month_start).count(),
        "recent_audit": None,
    }
    if user.has_perm("activity.view_audit"):
        context["recent_audit"] = list(AuditEntry.objects.select_related("actor", "on_behalf_of")[:10])
    return render(request, "backoffice/dashboard.html", context)


@staff_required
@require_POST
def acting_stop(request: HttpRequest) -> HttpResponse:
    acting_for_stop(agent=actor(request), session=request.session)
    return redirect("backoffice:dashboard")
