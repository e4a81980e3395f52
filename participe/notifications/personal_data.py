"""What notifications hold about the person, for « Mes données » (decision 0035): follows, preferences, notifications
(the rhythm of emails is a field of the account)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.notifications.models import Follow, Notification, NotificationPreference


def personal_data(user: Any) -> Tables:
    follows = Follow.objects.filter(user=user).select_related("content_type").order_by("created_at", "pk")
    notifications = Notification.objects.filter(recipient=user).order_by("created_at", "pk")
    return {
        "abonnements": rows(follows.prefetch_related("target"), ("created_at", "content_type", "object_id", "target")),
        "preferences": rows(
            NotificationPreference.objects.filter(user=user).order_by("event"), ("event", "in_app", "email")
        ),
        "notifications": rows(
            notifications, ("created_at", "event", "target_repr", "url", "in_app", "read_at", "emailed_at")
        ),
    }
