"""The person's volunteering for a citizens' jury, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.modules.juries.models import Volunteer


def personal_data(user: Any) -> Tables:
    volunteers = Volunteer.objects.filter(user=user).select_related("panel").order_by("pk")
    return {
        "candidatures": rows(
            volunteers,
            ("created_at", "panel", "reference", "name", "email", "profile", "get_status_display", "name_public"),
        )
    }
