"""The back-office tells staff whose session has not passed the second factor what to do: activate an authenticator
(TOTP) when they have none, else type its code. Until then their roles count nowhere
(participe.permissions.second_factor): this is where they learn why, rather than meeting a refusal."""

from collections.abc import Callable
from urllib.parse import quote

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

from participe.permissions.second_factor import roles_count
from participe.spaces.predicates import holds_a_staff_role

BACKOFFICE_PREFIX = "/gestion/"


def has_mfa(user: object) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def second_factor_step(request: HttpRequest) -> tuple[str, str] | None:
    """Where the signed-in staff member of ``request`` passes the second factor before coming back to this page, and
    what to tell them; None when their roles already count, or they hold none."""
    user = request.user
    if not settings.PARTICIPE_STAFF_MFA_REQUIRED or not user.is_authenticated or roles_count(user):
        return None
    if not holds_a_staff_role(user):
        return None
    back = f"?next={quote(request.get_full_path(), safe='/')}"
    if has_mfa(user):
        message = _(
            "Pour accéder au back-office, saisissez le code de votre application d'authentification "
            "(double authentification)."
        )
        return reverse("mfa_reauthenticate") + back, message
    message = _(
        "Pour accéder au back-office, protégez votre compte avec une application d'authentification (double authentification)."
    )
    return reverse("mfa_activate_totp") + back, message


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        step = second_factor_step(request) if request.path.startswith(BACKOFFICE_PREFIX) else None
        if step is not None:
            url, message = step
            messages.warning(request, message)
            return redirect(url)
        return self.get_response(request)
