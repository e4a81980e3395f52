"""The person's proposals (drafts included) and the status changes they made, for « Mes données » (decision 0035)."""

from __future__ import annotations

from typing import Any

from participe.core.personal_data import Tables, rows
from participe.modules.proposals.models import Proposal


def personal_data(user: Any) -> Tables:
    proposals = Proposal.objects.filter(author=user).select_related("module", "theme", "territory").order_by("pk")
    return {
        "propositions": rows(
            proposals,
            (
                "reference",
                "created_at",
                "module",
                "title",
                "body",
                "theme",
                "territory",
                "address",
                "latitude",
                "longitude",
                "get_status_display",
                "published_at",
                "withdrawn_at",
                "answer_status",
                "answer",
                "answered_at",
                "get_absolute_url",
            ),
        )
    }
