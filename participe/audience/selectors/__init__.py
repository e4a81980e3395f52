"""Reads of the statistics page (nothing here writes): ``visits`` reads the counter's counts, ``participation`` the
contributions through the modules' manifests and the bilan's figures (participe.restitution)."""

from participe.audience.selectors.participation import (
    Participation,
    Representativeness,
    participation,
    participation_modules,
    representativeness,
)
from participe.audience.selectors.periods import PERIODS, Period, period_of
from participe.audience.selectors.visits import Audience, audience, space_audience

__all__ = [
    "PERIODS",
    "Audience",
    "Participation",
    "Period",
    "Representativeness",
    "audience",
    "participation",
    "participation_modules",
    "period_of",
    "representativeness",
    "space_audience",
]
