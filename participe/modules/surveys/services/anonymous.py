"""Anonymous questionnaires: the answers are kept apart from the record that a person answered (decision 0016).

The same design as the secret ballot (docs/decisions/0013, ``participe.anonymity``):

- A draft waits in ``AnonymousDraft`` (a table of its own, a random id, the day only) and is deleted in the
  transaction that sends it; its table is vacuumed with the staging table after the next batch.
- Sending writes, in one transaction, the ``Participation`` ("has answered": one answer per person) and a
  ``StagedResponse`` holding the answers, the quartier when the questionnaire keeps it, and a random receipt — no
  person, no time, no reference. Both exist, or neither.
- After commit, once ``BATCH_SIZE`` (k) responses of the questionnaire wait, the mixer moves them in a transaction
  of its own, shuffled: each becomes a ``Response`` with a random id (out of the sequence's reach), the day as its
  only date and no participant, session, agent or draft; its ``Answer`` rows and the ``Tally`` counters are written
  in that same transaction, in the shuffled order. So the counters never carry a respondent's transaction id either.
- When the answering phase ends (the manifest's ``phase_changed`` hook), whatever waits is mixed, then every
  anonymous response is **reshuffled**: rewritten with its answers in one transaction, in a random order, under new
  random ids, so that the batches (the order of answering at a granularity of k) can no longer be told apart.

The receipt is shown in the answer to the submission only: never kept in the session (which holds the account id),
never stored beside a person.
"""

from __future__ import annotations

import datetime
import logging
import secrets
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from decimal import Decimal
from typing import Any

from django.db import IntegrityError, connection, transaction
from django.db.models import F

from participe.anonymity import mixing
from participe.core import dates
from participe.modules.surveys import answers
from participe.modules.surveys.models import (
    AnonymousDraft,
    Answer,
    Question,
    Questionnaire,
    Response,
    StagedResponse,
    Tally,
)
from participe.modules.surveys.services.drafts import PLACEHOLDER_FILE

logger = logging.getLogger(__name__)

BATCH_SIZE = mixing.DEFAULT_MINIMUM  # k: the smallest batch of responses mixed while the questionnaire is open
# Random ids of anonymous responses: above anything the table's sequence will reach, below 2**53 so that they stay
# exact in JSON read by JavaScript. 2**52 values: a collision is vanishingly rare (and refused by the primary key).
RANDOM_ID_FLOOR = 2**52


def random_response_id() -> int:
    return RANDOM_ID_FLOOR + secrets.randbelow(RANDOM_ID_FLOOR)


# --- the answers as the staging row holds them --------------------------------------------------------------------
def rows_to_json(rows: Iterable[answers.AnswerRow]) -> list[dict[str, Any]]:
    out = []
    for row in rows:
        item = asdict(row)
        item["number"] = str(row.number) if row.number is not None else None
        item["date"] = row.date.isoformat() if row.date is not None else None
        out.append(item)
    return out


def rows_from_json(items: Iterable[dict[str, Any]]) -> list[answers.AnswerRow]:
    rows = []
    for item in items:
        values = dict(item)
        values["number"] = Decimal(values["number"]) if values.get("number") is not None else None
        values["date"] = datetime.date.fromisoformat(values["date"]) if values.get("date") else None
        rows.append(answers.AnswerRow(**values))
    return rows


# --- staging, in the participation's transaction ------------------------------------------------------------------
def stage(*, questionnaire: Questionnaire, rows: Sequence[answers.AnswerRow], territory_id: int | None) -> uuid.UUID:
    """Stage a response in the caller's transaction (the one writing the participation); the batch is asked for
    after commit when k responses wait. Returns the receipt, which nothing stores beside the person."""
    receipt = uuid.uuid4()
    waiting = mixing.stage(
        RESPONSES,
        questionnaire_id=questionnaire.pk,
        answers=rows_to_json(rows),
        territory_id=territory_id,
        receipt=receipt,
    )
    if waiting >= RESPONSES.minimum:
        questionnaire_id = questionnaire.pk
        transaction.on_commit(lambda: mix_waiting(questionnaire_id))
    return receipt


def pending(questionnaire: Questionnaire | int) -> int:
    """How many anonymous responses of the questionnaire wait for the mixer (counted once mixed)."""
    return mixing.pending(RESPONSES, getattr(questionnaire, "pk", questionnaire))


# --- mixing, in a transaction of its own --------------------------------------------------------------------------
def _write_batch(questionnaire_id: int, staged: list[dict[str, Any]], day: datetime.date) -> None:
    """The mixer's writer: the shuffled staged responses become responses, answers and counters, in that order."""
    kinds = dict(Question.objects.filter(questionnaire_id=questionnaire_id).values_list("pk", "kind"))
    midnight = dates.day_start(day)  # the only time an anonymous record keeps
    responses, rows_out, increments = [], [], []
    for entry in staged:
        response_id = random_response_id()
        responses.append(
            Response(
                id=response_id,
                questionnaire_id=questionnaire_id,
                territory_id=entry["territory_id"],
                receipt=entry["receipt"],
                submitted_at=midnight,
            )
        )
        rows = [row for row in rows_from_json(entry["answers"]) if row.question_id in kinds]
        rows_out += [answer_of(response_id, row) for row in rows]
        increments += answers.tally_increments(rows, kinds, entry["territory_id"])
    Response.objects.bulk_create(responses)
    # ``auto_now`` fields were set to the present moment by the insert: the day only is kept.
    Response.objects.filter(pk__in=[r.pk for r in responses]).update(created_at=midnight, updated_at=midnight)
    Answer.objects.bulk_create(rows_out, batch_size=2000)
    add_to_tallies(increments)


def answer_of(response_id: int, row: answers.AnswerRow) -> Answer:
    """The ``Answer`` of a row (the mixer's batches and the responses that are not anonymous alike)."""
    answer = Answer(
        response_id=response_id,
        question_id=row.question_id,
        choice_id=row.choice_id,
        row_id=row.row_id,
        rank=row.rank,
        number=row.number,
        date=row.date,
        text=row.text,
        file_name=row.file_name,
    )
    answer.file.name = row.file if row.file != PLACEHOLDER_FILE else ""
    return answer


def add_to_tallies(increments: Sequence[answers.TallyIncrement]) -> None:
    """Add increments (a mixed batch's, or one response's) to the counters, one update per counter, in (question,
    key) order so that concurrent submissions and batches lock them in the same order."""
    summed: dict[tuple[int, str], tuple[answers.TallyIncrement, int, int]] = {}
    for inc in increments:
        _first, count, rank_sum = summed.get((inc.question_id, inc.key), (inc, 0, 0))
        summed[(inc.question_id, inc.key)] = (_first, count + 1, rank_sum + inc.rank)
    for (question_id, key), (inc, count, rank_sum) in sorted(summed.items(), key=lambda item: item[0]):
        update = {"count": F("count") + count, "rank_sum": F("rank_sum") + rank_sum}
        if Tally.objects.filter(question_id=question_id, key=key).update(**update):
            continue
        territory = int(key.rsplit(":", 1)[-1]) or None
        try:
            with transaction.atomic():
                Tally.objects.create(
                    question_id=question_id,
                    key=key,
                    choice_id=inc.choice_id,
                    row_id=inc.row_id,
                    value=inc.value,
                    territory_id=territory,
                    count=count,
                    rank_sum=rank_sum,
                )
        except IntegrityError:  # a concurrent writer created it: committed now, add to it
            Tally.objects.filter(question_id=question_id, key=key).update(**update)


RESPONSES = mixing.Mix(
    staging=StagedResponse,
    target=Response,
    group="questionnaire",
    fields=("answers", "territory", "receipt"),
    minimum=BATCH_SIZE,
    write=_write_batch,
)


def mix_waiting(questionnaire_id: int) -> int:
    """Move the questionnaire's waiting responses once a batch of k is complete; then vacuum the staging and draft
    tables. A failure is logged: the responses are safe in staging, and the next submission (or the end of the
    answering phase) mixes them."""
    try:
        if mixing.pending(RESPONSES, questionnaire_id) < RESPONSES.minimum:
            return 0
        moved = mixing.mix(RESPONSES, questionnaire_id)
        if moved:
            mixing.purge(RESPONSES, AnonymousDraft)
        return moved
    except Exception:
        logger.exception("mixing the anonymous responses of questionnaire %s failed", questionnaire_id)
        return 0


def mix_all(questionnaire_id: int) -> int:
    """Move whatever waits, however few (the answering phase ended): waits for batches in flight."""
    moved = mixing.mix(RESPONSES, questionnaire_id, minimum=0, wait=True)
    mixing.purge(RESPONSES, AnonymousDraft)
    return moved


# A random id in [2**52, 2**53), drawn by the database: PostgreSQL from 52 random bits of gen_random_uuid() (after its
# version nibble), SQLite from its randomness source (ChaCha20-based).
_NEW_ID = {
    "postgresql": "(('x' || substr(replace(gen_random_uuid()::text, '-', ''), 18, 13))::bit(52)::bigint + {floor})",
    "sqlite": "(abs(random()) % {floor} + {floor})",
}


def reshuffle(questionnaire_id: int) -> int:
    """Rewrite every anonymous response of the questionnaire and its answers in one transaction, in a random order,
    with new random ids (receipts and days kept), then vacuum: the batches share no transaction id or place in the
    pages any more. Returns the number of responses. The questionnaire's row is locked meanwhile (no batch runs).

    A response with a person (a participant, an agent) is never touched, were the questionnaire anonymous only for
    a while. (Not the id's range: on SQLite, ids given after a random one continue above it.) Done in SQL (temporary tables), as ``mixing.reshuffle``."""
    qn = connection.ops.quote_name
    response_columns = [qn(f.column) for f in Response._meta.concrete_fields if not f.primary_key]
    answer_columns = [qn(f.column) for f in Answer._meta.concrete_fields if not f.primary_key]
    answer_others = [c for c in answer_columns if c != qn("response_id")]
    new_id = _NEW_ID[connection.vendor].format(floor=RANDOM_ID_FLOOR)
    statements = [
        "DROP TABLE IF EXISTS surveys_reshuffle_map",
        "DROP TABLE IF EXISTS surveys_reshuffle_responses",
        "DROP TABLE IF EXISTS surveys_reshuffle_answers",
        f"CREATE TEMPORARY TABLE surveys_reshuffle_map AS SELECT id AS old_id, {new_id} AS new_id "  # noqa: S608
        "FROM surveys_response WHERE questionnaire_id = %s AND submitted_at IS NOT NULL AND NOT is_test "
        "AND participant_id IS NULL AND entered_by_id IS NULL",
        "CREATE TEMPORARY TABLE surveys_reshuffle_responses AS SELECT * FROM surveys_response "
        "WHERE id IN (SELECT old_id FROM surveys_reshuffle_map)",
        "CREATE TEMPORARY TABLE surveys_reshuffle_answers AS SELECT * FROM surveys_answer "
        "WHERE response_id IN (SELECT old_id FROM surveys_reshuffle_map)",
        "DELETE FROM surveys_answer WHERE response_id IN (SELECT old_id FROM surveys_reshuffle_map)",
        "DELETE FROM surveys_response WHERE id IN (SELECT old_id FROM surveys_reshuffle_map)",
        f"INSERT INTO surveys_response (id, {', '.join(response_columns)}) "  # noqa: S608
        f"SELECT m.new_id, {', '.join('r.' + c for c in response_columns)} FROM surveys_reshuffle_responses r "
        "JOIN surveys_reshuffle_map m ON m.old_id = r.id ORDER BY m.new_id",
        f"INSERT INTO surveys_answer ({qn('response_id')}, {', '.join(answer_others)}) "  # noqa: S608
        f"SELECT m.new_id, {', '.join('a.' + c for c in answer_others)} FROM surveys_reshuffle_answers a "
        "JOIN surveys_reshuffle_map m ON m.old_id = a.response_id ORDER BY m.new_id, a.id",
    ]
    with transaction.atomic(), connection.cursor() as cursor:
        Questionnaire.objects.select_for_update().filter(pk=questionnaire_id).values_list("pk").first()
        for sql in statements:
            cursor.execute(sql, [questionnaire_id] if "%s" in sql else None)
        cursor.execute("SELECT count(*) FROM surveys_reshuffle_map")
        moved = int(cursor.fetchone()[0])
        for table in ("map", "responses", "answers"):
            cursor.execute(f"DROP TABLE surveys_reshuffle_{table}")
    mixing.purge(RESPONSES, AnonymousDraft, Response, Answer)
    return moved
