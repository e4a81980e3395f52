"""Signed one-click unsubscribe links: no login needed, nothing stored, tampering detected."""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.urls import reverse

SALT = "participe.notifications.unsubscribe"


def make_token(user_id: int, event: str = "") -> str:
    """A token that stops the emails of ``event`` (every notification email when empty) for one user."""
    return signing.dumps({"u": user_id, "e": event}, salt=SALT, compress=True)


def read_token(token: str) -> tuple[int, str] | None:
    """The (user id, event) a token was made for, or None when it was altered or is not one of ours."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("u"), int) or not isinstance(data.get("e", ""), str):
        return None
    return data["u"], data.get("e", "")


def unsubscribe_url(user_id: int, event: str = "") -> str:
    """The absolute address of the unsubscribe page (also the RFC 8058 one-click POST target)."""
    return settings.SITE_URL + reverse("notifications:unsubscribe", args=[make_token(user_id, event)])
