"""The person's supports, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.supports.models import Support


def personal_data(user: Any) -> Tables:
    supports = Support.objects.filter(user=user).select_related("content_type", "module").order_by("created_at", "pk")
    return {
        "soutiens": rows(
            supports.prefetch_related("target"), ("created_at", "content_type", "object_id", "target", "module")
        )
    }
