"""The authorization matrix (``python -m audit --only authz``) over notifications: which objects fill the URLs and
the outcomes the rules (``participe/notifications/rules.py``) give each role. See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from typing import Any

from audit.expectations import row


def _notification() -> dict[str, Any] | None:
    from participe.notifications.models import Notification

    found = Notification.objects.filter(recipient__email="camille@example.org").order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _message() -> dict[str, Any] | None:
    from participe.notifications.models import FollowerMessage

    found = FollowerMessage.objects.filter(space__slug="budget-participatif-2027").order_by("pk").first()
    return None if found is None else {"pk": found.pk}


def _unsubscribe() -> dict[str, Any] | None:
    from participe.accounts.models import User
    from participe.notifications.tokens import make_token

    user = User.objects.filter(email="camille@example.org").first()
    return None if user is None else {"token": make_token(user.pk)}


PARAMS = {
    # camille's notification: hers only.
    "notifications:open": _notification,
    "api:notification_read": lambda: (
        {"notification_id": (_notification() or {}).get("pk")} if _notification() else None
    ),
    "notifications_backoffice:detail": _message,
    # A genuine signed link (GET shows the confirmation page; nothing changes before the POST).
    "notifications:unsubscribe": _unsubscribe,
}


EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "notifications_backoffice:index": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "notifications_backoffice:space": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "notifications_backoffice:compose": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "notifications_backoffice:detail": row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "notifications:list": row("login", "ok", "ok", "ok", "ok", "ok"),
    "notifications:open": row("login", "method", "method", "method", "method", "method"),
    "notifications:mark_all_read": row("login", "method", "method", "method", "method", "method"),
    "notifications:preferences": row("login", "ok", "ok", "ok", "ok", "ok"),
    "notifications:follow": {"*": {"method"}},
    "notifications:unsubscribe": {"*": {"ok"}},
    "api:notification_list": row("401", "ok", "ok", "ok", "ok", "ok"),
    "api:notification_unread": row("401", "ok", "ok", "ok", "ok", "ok"),
    "api:notification_read": {"*": {"method"}},
    "api:notification_read_all": {"*": {"method"}},
    "api:follow_create": {"*": {"method"}},
    "api:follow_delete": {"*": {"method"}},
}
