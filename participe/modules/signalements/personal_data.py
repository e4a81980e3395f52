"""The person's reports (signalements) and what they added to them, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.modules.signalements.models import Report, Update


def personal_data(user: Any) -> Tables:
    reports = Report.objects.filter(author=user).select_related("category", "territory").order_by("pk")
    updates = Update.objects.filter(author=user).select_related("report").order_by("created_at", "pk")
    return {
        "signalements": rows(
            reports,
            (
                "id",
                "created_at",
                "category",
                "title",
                "description",
                "answers",
                "address",
                "lat",
                "lon",
                "territory",
                "status",
                "reporter_name",
                "reporter_email",
                "acknowledged_at",
                "resolved_at",
            ),
        ),
        "suivis": rows(updates, ("created_at", "report_id", "status_before", "status_after", "text", "is_public")),
    }
