from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from participe.verifications import handlers, services
from participe.verifications.forms import CensusVerifyForm
from participe.verifications.models import CensusImport, Verification


@login_required
def index(request: HttpRequest) -> HttpResponse:
    active = Verification.objects.active().filter(user=request.user).select_related("territory")
    return render(
        request,
        "verifications/index.html",
        {
            "handlers": handlers.HANDLERS.values(),
            "active": active,
            "census_open": CensusImport.objects.filter(is_active=True).exists(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def census(request: HttpRequest) -> HttpResponse:
    form = CensusVerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            verification = services.census_verify(user=request.user, **form.cleaned_data)  # type: ignore[arg-type]
        except ValidationError as exc:
            form.add_error(None, exc)
        except PermissionDenied as exc:
            form.add_error(None, str(exc))
        else:
            where = verification.territory.name if verification.territory else _("la commune")
            messages.success(
                request, _("C'est confirmé : vous êtes vérifié comme habitant de %(where)s.") % {"where": where}
            )
            return redirect("accounts:profile")
    return render(request, "verifications/census.html", {"form": form})


def account_section(request: HttpRequest) -> dict[str, Any]:
    """The person's current verifications, for their section of "Mon compte" (``accounts.hooks.register_section``)."""
    verifications = Verification.objects.active().filter(user=request.user).select_related("territory")
    return {"verifications": verifications, "handlers": handlers.HANDLERS}
