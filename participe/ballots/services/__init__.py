"""The secret-ballot service: every write (see docs/services/ballots.md).

- ``casting``: an online ballot — the émargement and the staged ballot in one transaction, then the mixer;
- ``paper``: polling stations, the émargement of a person found by an agent, batches of paper ballots typed twice;
- ``elections``: creating, closing (the roll is sealed), counting (the box is sealed, the tally file published),
  annulling;
- ``counting``: totals, results and the tally file of a sealed box.
"""

from participe.ballots.services.casting import Cast, ballot_cast, checked_content, mix_waiting, receipt_for
from participe.ballots.services.elections import (
    election_annul,
    election_close,
    election_count,
    election_create,
    election_update,
    elections_close_due,
)
from participe.ballots.services.paper import BatchOutcome, batch_enter, parse_codes, roll_sign_paper, station_save

__all__ = [
    "BatchOutcome",
    "Cast",
    "ballot_cast",
    "batch_enter",
    "checked_content",
    "election_annul",
    "election_close",
    "election_count",
    "election_create",
    "election_update",
    "elections_close_due",
    "mix_waiting",
    "parse_codes",
    "receipt_for",
    "roll_sign_paper",
    "station_save",
]
