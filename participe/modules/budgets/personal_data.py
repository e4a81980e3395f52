"""The projects the person proposed to a participatory budget, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.modules.budgets.models import Project


def personal_data(user: Any) -> Tables:
    projects = Project.objects.filter(author=user).select_related("module", "territory").order_by("pk")
    return {
        "projets": rows(
            projects,
            (
                "reference",
                "created_at",
                "module",
                "title",
                "description",
                "territory",
                "address",
                "estimated_cost",
                "feasibility",
                "answer",
                "answered_at",
            ),
        )
    }
