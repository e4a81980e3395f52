"""The anonymity mixer: what a person gave is kept apart from the record that they took part, with nothing linking
the two for someone who reads the whole database afterwards, backups taken after the batch included.

Why a mixer, and not just "no user column": in PostgreSQL every row written by one transaction carries that
transaction's id (``xmin``), and rows land in the table's pages (``ctid``) and in the write-ahead log in the order they
were written. A ballot (or an anonymous answer) written in the same transaction as the émargement (the record that
its author took part) is therefore linked to it without any column saying so. Yet both must be written together, so
that a crash never leaves one without the other.

The design, for a consumer that declares two tables (abstract bases in ``participe.anonymity.models``):

1. **Stage** (:func:`stage`), in the participation's transaction: the entry goes to the *staging* table, with the
   participation record. Both or neither exist. The staging row holds no time, no person, no reference.
2. **Mix** (:func:`mix`), in a separate transaction, once at least ``minimum`` (k) entries of one group wait: they
   are locked (``SKIP LOCKED``: concurrent mixers take disjoint sets), shuffled with the system's cryptographic random
   generator, written to the *target* table in that shuffled order with random ids (UUID4) and the day of the batch
   as their only date, and deleted from the staging table. Every row of a batch shares the mixer's transaction id;
   their order in the pages is the shuffle's. Mixing with ``minimum=0`` moves whatever waits (at closing).
3. **Purge** (:func:`purge`), after the mixing transaction: ``VACUUM`` of the staging table, so that the deleted rows
   (which still carried the participation's transaction id) are removed from its pages; a table left empty is
   truncated to nothing.
4. **Reshuffle** (:func:`reshuffle`), once a group is complete (a closed election): every row of the group is
   rewritten in one transaction, in a random order, with new random ids, so that the batches themselves (and
   therefore the order of participation at a granularity of k) can no longer be told apart.

Entries written without any participation record in the same transaction (paper ballots typed in a batch after the
émargements) go straight to the target table in a shuffled order (:func:`place`).

What remains (see docs/services/ballots.md, "Threat model"): while an entry waits in staging (until k-1 others
arrive, or the closing), a copy of the database links it to its author; the write-ahead log (and any archive of it, a
base backup plus its WAL) keeps the staging insert with the participation's transaction id for as long as it is kept;
an index on a staging column would keep its values with their insertion positions (declare none). Before the final
reshuffle, the day of the batch and the batch's position split the entries into sets of at least k.
"""

from __future__ import annotations

import secrets
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.db import connection, models, transaction
from django.utils import timezone

# The shuffle's source: the operating system's cryptographic generator (tests may replace it to observe it).
_random = secrets.SystemRandom()

DEFAULT_MINIMUM = 10


@dataclass(frozen=True)
class Mix:
    """One staging table and the target table its entries end up in.

    ``group`` is the foreign key both tables carry (an election, a questionnaire): entries are mixed within a group.
    ``fields`` are copied from a staged row to its mixed row (the group is copied too). ``minimum`` is k, the size
    of the smallest batch moved while the group is open.

    ``write``, when given, replaces the copy to ``target``: it is called in the mixing transaction with the group, the
    staged rows (dicts of ``fields``' attributes) already shuffled, and the day, and writes them in that order. A
    consumer whose entries become several rows (a questionnaire's response and its answers, its counters) uses it;
    the target's ids and dates are then its own concern (random ids, the day: see ``MixedEntry``).
    """

    staging: type[models.Model]
    target: type[models.Model]
    group: str
    fields: tuple[str, ...]
    minimum: int = DEFAULT_MINIMUM
    write: Callable[[Any, list[dict[str, Any]], Any], None] | None = None

    @property
    def group_attname(self) -> str:
        return _attname(self.staging, self.group)

    def attnames(self) -> list[str]:
        return [_attname(self.staging, name) for name in self.fields]


def _attname(model: type[models.Model], name: str) -> str:
    """The column attribute of a field (``election_id`` for ``election``)."""
    return str(getattr(model._meta.get_field(name), "attname", name))


def stage(spec: Mix, **values: Any) -> int:
    """Write an entry to the staging table, inside the caller's transaction (the one recording participation).

    Returns how many entries of its group wait now, as this transaction sees them (itself included): the caller asks
    for a batch after commit when there are enough (on PostgreSQL the same statement counts them)."""
    entry = spec.staging(**values)
    if connection.vendor != "postgresql":
        entry.save(force_insert=True)
        return pending(spec, getattr(entry, spec.group_attname))
    insert, params = staging_insert(spec, **values)
    count, count_params = waiting_after_insert(spec, getattr(entry, spec.group_attname))
    with connection.cursor() as cursor:
        cursor.execute(f"WITH staged AS ({insert}) {count}", [*params, *count_params])
        return int(cursor.fetchone()[0])


def staging_insert(spec: Mix, **values: Any) -> tuple[str, list[Any]]:
    """The ``INSERT`` of an entry into the staging table and its parameters (PostgreSQL), for a caller that stages it
    within a statement of its own: a data-modifying ``WITH`` writing the participation with it."""
    entry = spec.staging(**values)
    qn = connection.ops.quote_name
    meta = spec.staging._meta
    fields = [f for f in meta.concrete_fields if not f.primary_key]
    columns = ", ".join(qn(f.column) for f in fields)
    marks = ", ".join(["%s"] * len(fields))
    params = [f.get_db_prep_save(getattr(entry, f.attname), connection) for f in fields]
    return f"INSERT INTO {qn(meta.db_table)} ({columns}) VALUES ({marks})", params  # noqa: S608


def waiting_after_insert(spec: Mix, group_id: Any) -> tuple[str, list[Any]]:
    """The ``SELECT`` that ends a statement staging one entry of the group: how many entries wait, that one included
    (a data-modifying ``WITH``'s row is not visible to its statement's own ``SELECT``: hence the + 1)."""
    qn = connection.ops.quote_name
    table, group = qn(spec.staging._meta.db_table), qn(spec.group_attname)
    return f"SELECT count(*) + 1 FROM {table} WHERE {group} = %s", [group_id]  # noqa: S608


def pending(spec: Mix, group_id: Any) -> int:
    """How many entries of the group wait in the staging table."""
    return int(spec.staging._default_manager.filter(**{spec.group_attname: group_id}).count())


def mix(spec: Mix, group_id: Any, *, minimum: int | None = None, limit: int = 10_000, wait: bool = False) -> int:
    """Move the waiting entries of a group (up to ``limit``) to the target table, shuffled, in a transaction of its
    own; nothing when fewer than ``minimum`` wait (default: ``spec.minimum``; 0 moves whatever waits).

    Concurrent mixers skip the entries another one holds; with ``wait`` (the closing, which must leave nothing
    behind) it waits for them instead, and moves what they left. Returns how many were moved. Call it after the
    participation's transaction committed (``on_commit``), never inside it: rows written in one transaction share its
    id."""
    threshold = spec.minimum if minimum is None else minimum
    attnames = spec.attnames()
    with transaction.atomic():
        rows = list(
            spec.staging._default_manager.select_for_update(skip_locked=not wait)
            .filter(**{spec.group_attname: group_id})
            .order_by()
            .values("pk", *attnames)[:limit]
        )
        if not rows or len(rows) < threshold:
            return 0
        _write_shuffled(spec, group_id, rows)
        spec.staging._default_manager.filter(pk__in=[row["pk"] for row in rows]).delete()
    return len(rows)


def place(spec: Mix, group_id: Any, entries: list[dict[str, Any]]) -> int:
    """Write entries that were never staged straight to the target table, shuffled (a batch of paper ballots typed
    after the émargements). The caller's transaction must write no participation record."""
    rows = [dict(entry) for entry in entries]
    _write_shuffled(spec, group_id, rows)
    return len(rows)


def _write_shuffled(spec: Mix, group_id: Any, rows: list[dict[str, Any]]) -> None:
    _random.shuffle(rows)
    day = timezone.localdate()
    if spec.write is not None:
        spec.write(group_id, rows, day)
        return
    attnames = spec.attnames()
    # One INSERT whose VALUES follow the shuffle: the rows land in the pages in that order.
    spec.target._default_manager.bulk_create(
        [
            spec.target(id=uuid.uuid4(), day=day, **{spec.group_attname: group_id}, **{a: row[a] for a in attnames})
            for row in rows
        ],
        batch_size=5000,
    )


def purge(spec: Mix, *also: type[models.Model]) -> None:
    """Remove the deleted staging rows from the table's pages (PostgreSQL ``VACUUM``; a no-op inside a transaction,
    where VACUUM cannot run, and on SQLite). Rows a concurrent transaction may still see stay until the next purge.

    ``also``: other tables whose deleted rows held a link between a person and what they gave (the drafts of an
    anonymous questionnaire, deleted when it is sent), vacuumed the same way."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        for model in (spec.staging, *also):
            cursor.execute(f"VACUUM (SKIP_LOCKED) {connection.ops.quote_name(model._meta.db_table)}")


def reshuffle(spec: Mix, group_id: Any) -> int:
    """Rewrite every mixed row of a complete group in one transaction, in a random order, with new random ids, so
    that the batches can no longer be told apart (by their transaction id or their place in the pages). Run
    :func:`purge_target` afterwards to remove the old versions. Returns the number of rows."""
    qn = connection.ops.quote_name
    target = spec.target._meta
    table = qn(target.db_table)
    group_column = qn(_attname(spec.target, spec.group))
    columns = ", ".join(qn(str(f.column)) for f in target.concrete_fields if not f.primary_key)
    # Both are drawn from a cryptographic generator (pg_strong_random; SQLite's ChaCha20-based randomness).
    new_id = "gen_random_uuid()" if connection.vendor == "postgresql" else "lower(hex(randomblob(16)))"
    # Names come from the models' metadata, quoted; the group's value is a parameter.
    copy = f"CREATE TEMPORARY TABLE anonymity_reshuffle AS SELECT {columns} FROM {table} WHERE {group_column} = %s"  # noqa: S608
    delete = f"DELETE FROM {table} WHERE {group_column} = %s"  # noqa: S608
    insert = (
        f"INSERT INTO {table} ({qn(str(target.pk.column))}, {columns}) "  # noqa: S608
        f"SELECT {new_id} AS new_id, {columns} FROM anonymity_reshuffle ORDER BY new_id"
    )
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DROP TABLE IF EXISTS anonymity_reshuffle")
        cursor.execute(copy, [group_id])
        cursor.execute(delete, [group_id])
        cursor.execute(insert)
        moved = int(cursor.rowcount)
        cursor.execute("DROP TABLE anonymity_reshuffle")
    return moved


def purge_target(spec: Mix) -> None:
    """``VACUUM`` of the target table after :func:`reshuffle` (PostgreSQL, outside a transaction)."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM {connection.ops.quote_name(spec.target._meta.db_table)}")
