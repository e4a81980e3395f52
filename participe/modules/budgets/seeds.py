"""Demo data of a budget participatif (written next)."""

from __future__ import annotations

from participe.spaces.models import Module


def seed(module: Module) -> None:
    """Two envelopes, projects from the idea box, a closed vote with online and paper ballots, results."""
