"""What moderation holds about the person, for « Mes données » (decision 0035): the contents they reported, and the
blocks of their account."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.moderation.models import AccountBlock, Report


def personal_data(user: Any) -> Tables:
    reports = Report.objects.filter(reporter=user).select_related("content_type").order_by("created_at", "pk")
    return {
        "signalements_de_contenus": rows(
            reports,
            ("created_at", "content_type", "object_id", "get_reason_display", "details", "resolved_at", "resolution"),
        ),
        "blocage_du_compte": rows(AccountBlock.objects.filter(user=user), ("blocked_at", "reason")),
    }
