"""Signed-in sessions for the tests: ``client.force_login(user)`` signs in as a person does, with the code of their
authenticator when they have one (the root conftest makes it so), because staff roles count only in a session that
passed the second factor (participe.permissions.second_factor)."""

from __future__ import annotations

from typing import Any

from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY, record_authentication
from allauth.mfa.models import Authenticator
from django.http import HttpRequest


def pass_second_factor(client: Any, user: Any) -> None:
    """Record in the client's session what allauth records when a TOTP code is typed (nothing when ``user`` has no
    authenticator: staff without one are residents until they activate one)."""
    authenticator = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).first()
    if authenticator is None:
        return
    session = client.session
    request = HttpRequest()
    request.session = session
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type)
    session.save()


def forget_second_factor(client: Any) -> None:
    """The client's session as if it had passed only the password (a session older than the authenticator, or a
    login that stopped at the code)."""
    session = client.session
    session.pop(AUTHENTICATION_METHODS_SESSION_KEY, None)
    session.save()


def sign_in_without_second_factor(client: Any, user: Any) -> None:
    client.force_login(user)
    forget_second_factor(client)
