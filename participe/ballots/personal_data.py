"""The person's émargements (the roll says they voted), for « Mes données » (decision 0035): the election, the
channel and the day — never a ballot, which nothing links to anyone (decision 0013)."""

from __future__ import annotations

from typing import Any

from participe.ballots.models import RollEntry
from participe.core.personal_data import Tables


def personal_data(user: Any) -> Tables:
    entries = RollEntry.objects.filter(voter=user).select_related("election").order_by("at", "pk")
    return {
        "emargements": [
            {"scrutin": str(entry.election), "canal": entry.get_channel_display(), "jour": entry.at.date().isoformat()}
            for entry in entries
        ]
    }
