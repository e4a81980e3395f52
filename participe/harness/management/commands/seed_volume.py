"""Fill the database with a deterministic volume of data for load tests and audits (bulk inserts)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction

from participe.core.demo import require_demo_install
from participe.harness.seed_core import seed_platform
from participe.harness.volume import BulkWriter, Progress, Sizes, VolumeContext, discover_hooks

MIN_ACCOUNTS = 20
CONTRIBUTIONS = ("proposals.Proposal", "comments.Comment", "supports.Support", "surveys.Response")


def _size_pair(value: str) -> tuple[str, int]:
    name, sep, number = value.partition("=")
    if not sep or not number.isdigit():
        raise CommandError(f"--size expects name=N, not {value!r}")
    return name, int(number)


class Command(BaseCommand):
    help = "Seed a realistic, deterministic volume: accounts, territories, spaces, modules and every module's items."

    def add_arguments(self, parser: CommandParser) -> None:
        defaults = Sizes()
        parser.add_argument("--accounts", type=int, default=defaults.accounts)
        parser.add_argument("--spaces", type=int, default=defaults.spaces)
        parser.add_argument("--modules-per-space", type=int, default=defaults.modules_per_space)
        parser.add_argument("--items-per-module", type=int, default=defaults.items_per_module)
        parser.add_argument("--comments-per-item", type=int, default=defaults.comments_per_item)
        parser.add_argument("--supports-per-item", type=int, default=defaults.supports_per_item)
        parser.add_argument("--territories", type=int, default=defaults.territories, help="communes (8 quartiers each)")
        parser.add_argument(
            "--contributions",
            type=int,
            default=0,
            help="total of proposals, comments, supports and survey responses, split over the modules "
            "(replaces the per-item sizes)",
        )
        parser.add_argument("--size", action="append", default=[], metavar="NAME=N", help="a size read by one hook")
        parser.add_argument("--seed", type=int, default=1, help="random seed: same seed, same data")
        parser.add_argument("--batch-size", type=int, default=10_000)
        parser.add_argument("--only", action="append", default=[], metavar="APP_LABEL", help="run only these hooks")
        parser.add_argument(
            "--manifest", default="", help="write accounts, slugs and URLs for load tests to this JSON file"
        )
        parser.add_argument("--no-progress", action="store_true")
        parser.add_argument(
            "--fk-checks",
            action="store_true",
            help="PostgreSQL: keep foreign-key triggers on while loading (slower; off by default when the role may)",
        )

    def _check(self, options: dict[str, Any]) -> None:
        """Refuse sizes that cannot make a consistent volume, saying which and why."""
        for name in ("spaces", "modules_per_space", "items_per_module", "comments_per_item", "supports_per_item"):
            if options[name] < 0:
                raise CommandError(f"--{name.replace('_', '-')} must be 0 or more, not {options[name]}.")
        if options["accounts"] < MIN_ACCOUNTS:
            raise CommandError(
                f"--accounts must be at least {MIN_ACCOUNTS} (admins, agents and moderators come first), "
                f"not {options['accounts']}."
            )
        if options["territories"] < 1:
            raise CommandError(f"--territories must be at least 1, not {options['territories']}.")
        if options["contributions"] < 0:
            raise CommandError(f"--contributions must be 0 or more, not {options['contributions']}.")
        if options["contributions"] and not (options["spaces"] and options["modules_per_space"]):
            raise CommandError("--contributions needs modules to hold them: give --spaces and --modules-per-space.")
        if options["batch_size"] < 100:
            raise CommandError(f"--batch-size must be at least 100, not {options['batch_size']}.")
        known = {label for _order, label, _hook in discover_hooks()}
        unknown = sorted(set(options["only"]) - known)
        if unknown:
            raise CommandError(
                f"--only: no volume hook in {', '.join(unknown)}; the apps that have one: {', '.join(sorted(known))}."
            )

    def _fast_session(self, *, keep_fk_checks: bool) -> None:
        """PostgreSQL: load without waiting for WAL flushes and, when allowed, without foreign-key triggers (the
        seeder writes consistent ids by construction and this is a benchmark database). SQLite: no fsync, WAL."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if connection.in_atomic_block:
                    return  # SQLite refuses to change these inside a transaction (the test suite's)
                cursor.execute("PRAGMA synchronous = OFF")
                cursor.execute("PRAGMA journal_mode = WAL")
                return
            if connection.vendor != "postgresql":
                return
            cursor.execute("SET synchronous_commit TO off")
            if not keep_fk_checks:
                try:
                    with transaction.atomic():
                        cursor.execute("SET session_replication_role TO replica")
                except DatabaseError:
                    self.stderr.write(
                        "Foreign-key triggers stay on (the role may not change session_replication_role)."
                    )

    def _restore_session(self) -> None:
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                if not connection.in_atomic_block:
                    cursor.execute("PRAGMA synchronous = FULL")
            elif connection.vendor == "postgresql":
                cursor.execute("RESET session_replication_role")
                cursor.execute("RESET synchronous_commit")

    def handle(self, *args: Any, **options: Any) -> None:
        require_demo_install("seed_volume")  # its accounts, administrators among them, share a published password
        self._check(options)
        sizes = Sizes(
            accounts=options["accounts"],
            spaces=options["spaces"],
            modules_per_space=options["modules_per_space"],
            items_per_module=options["items_per_module"],
            comments_per_item=options["comments_per_item"],
            supports_per_item=options["supports_per_item"],
            territories=options["territories"],
            contributions=options["contributions"],
            extra=dict(_size_pair(v) for v in options["size"]),
        )
        progress = Progress(enabled=not options["no_progress"])
        ctx = VolumeContext(
            sizes=sizes,
            rng=random.Random(options["seed"]),
            writer=BulkWriter(progress, batch_size=options["batch_size"], defer_indexes=True),
            progress=progress,
        )
        started = time.monotonic()
        self._fast_session(keep_fk_checks=options["fk_checks"])
        try:
            per_hook = {"platform": seed_platform(ctx)}
            for _order, label, hook in discover_hooks(options["only"]):
                per_hook[label] = int(hook(ctx) or 0)
        finally:
            ctx.writer.finish()  # the indexes dropped while loading come back even when a hook failed
            self._restore_session()
        self._reindex(ctx)
        progress.close()
        elapsed = time.monotonic() - started
        total = ctx.writer.rows_written
        self._summary(ctx, per_hook, elapsed)
        if options["manifest"]:
            path = Path(options["manifest"])
            path.parent.mkdir(parents=True, exist_ok=True)
            ctx.manifest.update(rows=total, seconds=round(elapsed, 2), vendor=connection.vendor, hooks=per_hook)
            path.write_text(json.dumps(ctx.manifest, indent=2, ensure_ascii=False))
            self.stdout.write(f"Manifest written to {path}")

    def _reindex(self, ctx: VolumeContext) -> None:
        """Index what the hooks asked for through the search service, once the tables have their indexes back."""
        from participe.search.services import reindex

        if not ctx.reindex:
            return
        began = time.monotonic()
        ctx.progress.advance(0, "search index")
        indexed = reindex(models=[apps.get_model(label) for label in dict.fromkeys(ctx.reindex)])
        # Timed in the table, not counted in the total rows: it also refreshes the entries of earlier objects.
        ctx.writer.timings["search_searchentry (service)"] = [indexed, time.monotonic() - began, 0.0]

    def _summary(self, ctx: VolumeContext, per_hook: dict[str, int], elapsed: float) -> None:
        """Rows, seconds (writing and rebuilding indexes) and rows/s per table, rows per hook, then the total."""
        write = self.stdout.write
        write(f"{'table':<36} {'rows':>11} {'seconds':>8} {'indexes':>8} {'rows/s':>9}")
        for table, (rows, seconds, indexes) in sorted(ctx.writer.timings.items(), key=lambda item: -sum(item[1][1:])):
            spent = seconds + indexes
            rate = f"{rows / spent:>9,.0f}" if rows and spent > 0 else f"{'':>9}"
            write(f"{table:<36} {int(rows):>11,} {seconds:>8.1f} {indexes:>8.1f} {rate}")
        write("rows per hook: " + ", ".join(f"{label} {rows:,}" for label, rows in per_hook.items()))
        contributions = sum(len(ids) for label in CONTRIBUTIONS for ids in ctx.created.get(label, []))
        write(f"contributions (proposals, comments, supports, survey responses): {contributions:,}")
        total = ctx.writer.rows_written
        write(f"{total:,} rows in {elapsed:.1f} s: {total / max(elapsed, 1e-6):,.0f} rows/s ({connection.vendor})")
