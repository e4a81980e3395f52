"""Bulk inserts for volume seeding: COPY on PostgreSQL, batched INSERTs elsewhere, and a progress bar."""

from __future__ import annotations

import itertools
import sys
import time
from collections.abc import Iterable, Iterator
from operator import itemgetter
from typing import Any, TextIO

from django.core.management.color import no_style
from django.db import DatabaseError, connection, models, transaction
from django.utils import timezone


class Progress:
    """A one-line progress bar on stderr (rows written out of rows planned, and the rate)."""

    def __init__(self, total: int = 0, stream: TextIO | None = None, enabled: bool = True) -> None:
        self.total, self.done, self.label = total, 0, ""
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.started = time.monotonic()
        self._drawn = 0.0

    def add_total(self, rows: int) -> None:
        self.total += rows

    def advance(self, rows: int, label: str = "") -> None:
        self.done += rows
        self.label = label or self.label
        now = time.monotonic()
        if self.enabled and now - self._drawn > 0.25:
            self._drawn = now
            self.draw()

    @property
    def rate(self) -> float:
        return self.done / max(time.monotonic() - self.started, 1e-6)

    def draw(self, end: str = "") -> None:
        total = max(self.total, self.done, 1)
        filled = int(30 * self.done / total)
        bar = "#" * filled + "." * (30 - filled)
        self.stream.write(
            f"\r[{bar}] {100 * self.done / total:5.1f}% {self.done:>11,} rows {self.rate:>9,.0f} rows/s  {self.label[:30]:<30}{end}"
        )
        self.stream.flush()

    def close(self) -> None:
        if self.enabled:
            self.draw(end="\n")


class BulkWriter:
    """Inserts rows given as dicts (field name or attname -> value) with explicit primary keys.

    PostgreSQL: ``COPY … FROM STDIN`` in batches. Other databases: ``executemany`` INSERTs in batches.
    Fields left out get their default (``auto_now``/``auto_now_add`` fields get the current time).
    Primary keys are allocated from the table's maximum, so callers know ids before inserting.
    """

    def __init__(self, progress: Progress, batch_size: int = 10_000, defer_indexes: bool = False) -> None:
        self.progress = progress
        self.batch_size = batch_size
        self.postgres = connection.vendor == "postgresql"
        self.vendor_drops_indexes = connection.vendor in ("postgresql", "sqlite")
        self._next: dict[type[models.Model], int] = {}
        self.touched: set[type[models.Model]] = set()
        self.now = timezone.now()
        self.rows_written = 0
        # PostgreSQL: with ``defer_indexes``, a table's plain indexes are dropped once it has received more than a
        # batch and rebuilt only by ``finish()``, however many calls write into it (one rebuild per table).
        self.defer_indexes = defer_indexes
        self._dropped: dict[type[models.Model], list[str]] = {}
        self._rows_per_model: dict[type[models.Model], int] = {}
        # Per table: rows written, seconds spent writing them and rebuilding its indexes, for the summary.
        self.timings: dict[str, list[float]] = {}
        self._types: dict[tuple[type[models.Model], tuple[str, ...]], list[int]] = {}

    def next_id(self, model: type[models.Model]) -> int:
        """The primary key the next row of ``model`` will get."""
        if model not in self._next:
            top = model._default_manager.aggregate(top=models.Max("pk"))["top"] or 0
            self._next[model] = top + 1
        return self._next[model]

    def _defaults(self, model: type[models.Model]) -> dict[str, Any]:
        found: dict[str, Any] = {}
        for f in model._meta.concrete_fields:
            if f.primary_key:
                continue
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                found[f.attname] = self.now
            elif f.has_default():
                found[f.attname] = f.get_default()
            elif f.null:
                found[f.attname] = None
            elif f.empty_strings_allowed and f.blank:
                found[f.attname] = ""
        return found

    def _prep(self, f: models.Field[Any, Any], value: Any) -> Any:
        return f.get_db_prep_save(value, connection) if self._needs_prep(f) else value

    def _needs_prep(self, f: models.Field[Any, Any]) -> bool:
        kind = f.get_internal_type()
        if self.postgres:
            return kind == "JSONField"
        return kind in {"JSONField", "DateTimeField", "DateField", "TimeField", "DecimalField", "UUIDField"}

    def insert(self, model: type[models.Model], rows: Iterable[dict[str, Any]], label: str = "") -> range:
        """Write the rows (every row of one call has the same keys); return the range of their primary keys.

        Columns are written in the order: the rows' keys, then the fields left to their default (one constant
        tuple), then the primary key, so that building a row is one ``itemgetter`` and a tuple concatenation.
        """
        pk = model._meta.pk
        assert pk is not None
        by_name = {f.name: f for f in model._meta.concrete_fields} | {f.attname: f for f in model._meta.concrete_fields}
        iterator = iter(rows)
        first = next(iterator, None)
        start = self.next_id(model)
        if first is None:
            return range(start, start)
        keys = list(first)
        given = [by_name[key] for key in keys]
        defaults = self._defaults(model)
        rest = [f for f in model._meta.concrete_fields if f not in given and not f.primary_key]
        constant = tuple(self._prep(f, defaults[f.attname]) for f in rest)
        fields = [*given, *rest, pk]
        prep = [(i, f) for i, f in enumerate(given) if self._needs_prep(f)]
        getter = itemgetter(*keys)
        single = len(keys) == 1
        counter = itertools.count(start)

        def built() -> Iterator[tuple[Any, ...]]:
            for row in itertools.chain((first,), iterator):
                values = (getter(row),) if single else getter(row)
                if prep:
                    listed = list(values)
                    for i, f in prep:
                        listed[i] = f.get_db_prep_save(listed[i], connection)
                    values = tuple(listed)
                yield (*values, *constant, next(counter))

        began = time.monotonic()
        dropped = self._stream(model, fields, built(), label)
        end = next(counter)
        self._time(model, time.monotonic() - began, end - start)
        if dropped:
            self._recreate_indexes(model, dropped, label or model._meta.label)
        self._next[model] = end
        self.touched.add(model)
        return range(start, end)

    def _stream(
        self, model: type[models.Model], fields: list[Any], stream: Iterator[tuple[Any, ...]], label: str
    ) -> list[str]:
        """Write the stream batch after batch; return the definitions of the indexes to rebuild right after."""
        dropped: list[str] = []
        while True:
            written = self._write_batch(model, fields, itertools.islice(stream, self.batch_size), label)
            so_far = self._rows_per_model[model] = self._rows_per_model.get(model, 0) + written
            # More than a batch: cheaper to drop the plain indexes and rebuild them after.
            if self.vendor_drops_indexes and not dropped and model not in self._dropped:
                if self.defer_indexes and so_far >= self.batch_size:
                    self._dropped[model] = self._drop_secondary_indexes(model)
                elif not self.defer_indexes and written == self.batch_size:
                    dropped = self._drop_secondary_indexes(model)
            if written < self.batch_size:
                return dropped

    def _drop_secondary_indexes(self, model: type[models.Model]) -> list[str]:
        """Drop the table's indexes and unique constraints but its primary key (and the unique constraints a
        foreign key relies on); return the statements that recreate them.

        The seeder writes unique values by construction; if it did not, recreating a unique constraint fails
        loudly in ``finish()`` rather than the table keeping duplicates unnoticed.
        """
        table = model._meta.db_table
        quote = connection.ops.quote_name
        if not self.postgres:
            return self._drop_sqlite_indexes(table)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.relname, pg_get_indexdef(x.indexrelid) FROM pg_index x JOIN pg_class c ON c.oid = x.indexrelid "
                "WHERE x.indrelid = %s::regclass AND NOT x.indisprimary "
                "AND NOT EXISTS (SELECT 1 FROM pg_constraint k WHERE k.conindid = x.indexrelid)",
                [table],
            )
            indexes = cursor.fetchall()
            cursor.execute(
                "SELECT k.conname, pg_get_constraintdef(k.oid) FROM pg_constraint k "
                "WHERE k.conrelid = %s::regclass AND k.contype = 'u' AND NOT EXISTS "
                "(SELECT 1 FROM pg_constraint f WHERE f.contype = 'f' AND f.conindid = k.conindid)",
                [table],
            )
            constraints = cursor.fetchall()
            for name, _definition in constraints:
                cursor.execute(f"ALTER TABLE {quote(table)} DROP CONSTRAINT {quote(name)}")
            for name, _definition in indexes:
                cursor.execute(f"DROP INDEX {quote(name)}")
        return [definition for _name, definition in indexes] + [
            f"ALTER TABLE {quote(table)} ADD CONSTRAINT {quote(name)} {definition}" for name, definition in constraints
        ]

    def _drop_sqlite_indexes(self, table: str) -> list[str]:
        """SQLite: drop the indexes created by ``CREATE [UNIQUE] INDEX`` (not those inside the table's definition)."""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = %s AND sql IS NOT NULL",
                [table],
            )
            found = cursor.fetchall()
            for name, _definition in found:
                cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        return [definition for _name, definition in found]

    def _recreate_indexes(self, model: type[models.Model], definitions: list[str], label: str) -> None:
        self.progress.advance(0, f"{label} (indexes)")
        began = time.monotonic()
        with connection.cursor() as cursor:
            if self.postgres:
                cursor.execute("SET maintenance_work_mem TO '256MB'")
            for definition in definitions:
                cursor.execute(definition)
        self._time(model, 0.0, 0, indexes=time.monotonic() - began)

    def _time(self, model: type[models.Model], seconds: float, rows: int, indexes: float = 0.0) -> None:
        entry = self.timings.setdefault(model._meta.db_table, [0, 0.0, 0.0])
        entry[0] += rows
        entry[1] += seconds
        entry[2] += indexes

    def finish(self) -> None:
        """Rebuild the indexes dropped while loading, refresh the planner's statistics, move the id sequences.

        Always call it (in a ``finally``) on a writer made with ``defer_indexes``: until then the tables it
        loaded have lost their plain indexes.
        """
        dropped, self._dropped = self._dropped, {}
        failed = []
        for model, definitions in dropped.items():
            try:
                with transaction.atomic():
                    self._recreate_indexes(model, definitions, model._meta.label)
            except DatabaseError as exc:
                failed.append(f"{model._meta.db_table}: {exc}")
        if failed:
            raise DatabaseError("Indexes or constraints could not be rebuilt after loading:\n" + "\n".join(failed))
        loaded = [model for model in self.touched if self._rows_per_model.get(model, 0) >= self.batch_size]
        if loaded:
            # What autovacuum would do soon after a load; list pages need the statistics right away.
            began = time.monotonic()
            with connection.cursor() as cursor:
                for model in loaded:  # small tables: the planner's defaults do
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
            self.timings.setdefault("(analyze)", [0, 0.0, 0.0])[1] += time.monotonic() - began
        self.reset_sequences()

    def _write_batch(
        self, model: type[models.Model], fields: list[Any], batch: Iterable[tuple[Any, ...]], label: str
    ) -> int:
        """Write one batch in its own transaction; return how many rows it held (0 when the stream is over)."""
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        written = 0
        with transaction.atomic(), connection.cursor() as cursor:
            if self.postgres:
                # Rows are built while COPY streams them: Python and the server work at the same time. The binary
                # format spares the server parsing every timestamp, number and identifier from text.
                types = self._column_types(model, fields)
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN (FORMAT BINARY)") as copy:
                    copy.set_types(types)
                    for values in batch:
                        copy.write_row(values)
                        written += 1
            else:
                rows = list(batch)
                written = len(rows)
                if rows:
                    marks = ", ".join(["%s"] * len(fields))
                    cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)  # noqa: S608
        self.rows_written += written
        if written:
            self.progress.advance(written, label or model._meta.label)
        return written

    def _column_types(self, model: type[models.Model], fields: list[Any]) -> list[int]:
        """The type oids of the columns, as PostgreSQL has them (what a binary COPY must send)."""
        key = (model, tuple(f.column for f in fields))
        if key not in self._types:
            with connection.cursor() as cursor:
                cursor.execute(
                    "SELECT attname, atttypid FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0",
                    [model._meta.db_table],
                )
                oids = dict(cursor.fetchall())
            self._types[key] = [oids[f.column] for f in fields]
        return self._types[key]

    def reset_sequences(self) -> None:
        """After explicit ids, move each table's id sequence past the rows written (PostgreSQL)."""
        statements = connection.ops.sequence_reset_sql(no_style(), list(self.touched))
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
