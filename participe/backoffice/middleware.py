"""Staff must protect their account with a second factor (TOTP) before using the back-office."""

from collections.abc import Callable

from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _

BACKOFFICE_PREFIX = "/gestion/"


def has_mfa(user: object) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


class StaffMFAMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            settings.PARTICIPE_STAFF_MFA_REQUIRED
            and request.path.startswith(BACKOFFICE_PREFIX)
            and request.user.is_authenticated
            and request.user.has_perm("backoffice.access")
            and not has_mfa(request.user)
        ):
            messages.warning(
                request,
                _(
                    "Pour accéder au back-office, protégez votre compte avec une application d'authentification (double authentification)."
                ),
            )
            return redirect(f"{reverse('mfa_activate_totp')}?next={request.path}")
        return self.get_response(request)
