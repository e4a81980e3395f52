"""The ballot box as the anonymity mixer sees it: staged ballots, moved into ``Ballot`` by election."""

from __future__ import annotations

from participe.anonymity.mixing import Mix
from participe.ballots.models import Ballot, StagedBallot

FIELDS = ("content", "kind", "channel", "station", "territory", "receipt")


def spec(minimum: int) -> Mix:
    """The mixer's description of the box, with ``minimum`` (the election's batch size) as k."""
    return Mix(staging=StagedBallot, target=Ballot, group="election", fields=FIELDS, minimum=minimum)


BALLOTS = spec(10)
