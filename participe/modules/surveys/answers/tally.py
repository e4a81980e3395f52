"""What a submitted response adds to the ``Tally`` counters of its closed questions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from participe.modules.surveys.answers.specs import CLOSED_KINDS, MULTIPLE, RANKING, SCALE
from participe.modules.surveys.answers.validation import AnswerRow

ANSWERED_KINDS = (MULTIPLE, RANKING)  # several answer rows per respondent: their respondents are counted too


@dataclass(frozen=True)
class TallyIncrement:
    question_id: int
    key: str
    choice_id: int | None
    row_id: int | None
    value: int | None
    rank: int


def tally_key(*, choice_id: int | None, row_id: int | None, value: int | None, territory_id: int | None) -> str:
    return f"{choice_id or 0}:{row_id or 0}:{value if value is not None else 0}:{territory_id or 0}"


def tally_increments(
    rows: Iterable[AnswerRow], kinds: Mapping[int, str], territory_id: int | None
) -> list[TallyIncrement]:
    """What a submitted response adds to the counters of its closed questions, sorted by (question, key) so that
    concurrent submissions lock the counter rows in the same order.

    A multiple choice or a ranking has several rows per respondent: one more counter, without choice (key
    ``0:0:0:<territory>``), counts the respondents who answered it, the base of its percentages."""
    increments = []
    answered: set[int] = set()
    for row in rows:
        kind = kinds.get(row.question_id)
        if kind not in CLOSED_KINDS:
            continue
        if kind in ANSWERED_KINDS and row.question_id not in answered:
            answered.add(row.question_id)
            key = tally_key(choice_id=None, row_id=None, value=None, territory_id=territory_id)
            increments.append(TallyIncrement(row.question_id, key, None, None, None, 0))
        value = int(row.number) if kind == SCALE and row.number is not None else None
        choice_id = None if kind == SCALE else row.choice_id
        key = tally_key(choice_id=choice_id, row_id=row.row_id, value=value, territory_id=territory_id)
        increments.append(TallyIncrement(row.question_id, key, choice_id, row.row_id, value, row.rank or 0))
    return sorted(increments, key=lambda i: (i.question_id, i.key))
