"""The budget's turning points (``ModuleManifest.hooks``)."""

from __future__ import annotations

from typing import Any

from participe.ballots.services import elections_close_due


def phase_changed(module: Any, previous: str | None, current: str | None) -> None:
    """When the vote phase ends, the envelopes' elections close (no émargement, no online ballot any more)."""
    if previous == "vote" and current != "vote":
        elections_close_due(module)
