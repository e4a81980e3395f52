"""Fill the database with a deterministic volume of data for load tests and audits (bulk inserts)."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError, connection, transaction

from participe.harness.seed_core import seed_platform
from participe.harness.volume import BulkWriter, Progress, Sizes, VolumeContext, discover_hooks


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

    def _fast_postgres(self, *, keep_fk_checks: bool) -> None:
        """Load without waiting for WAL flushes and, when allowed, without foreign-key triggers: the
        seeder writes consistent ids by construction and this is a benchmark database."""
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
            if not keep_fk_checks:
                try:
                    with transaction.atomic():
                        cursor.execute("SET session_replication_role TO replica")
                except DatabaseError:
                    self.stderr.write(
                        "Foreign-key triggers stay on (the role may not change session_replication_role)."
                    )

    def handle(self, *args: Any, **options: Any) -> None:
        sizes = Sizes(
            accounts=options["accounts"],
            spaces=options["spaces"],
            modules_per_space=options["modules_per_space"],
            items_per_module=options["items_per_module"],
            comments_per_item=options["comments_per_item"],
            supports_per_item=options["supports_per_item"],
            territories=options["territories"],
            extra=dict(_size_pair(v) for v in options["size"]),
        )
        progress = Progress(enabled=not options["no_progress"])
        ctx = VolumeContext(
            sizes=sizes,
            rng=random.Random(options["seed"]),
            writer=BulkWriter(progress, batch_size=options["batch_size"]),
            progress=progress,
        )
        started = time.monotonic()
        if connection.vendor == "postgresql":
            self._fast_postgres(keep_fk_checks=options["fk_checks"])
        per_hook = {"platform": seed_platform(ctx)}
        for _order, label, hook in discover_hooks(options["only"]):
            per_hook[label] = int(hook(ctx) or 0)
        ctx.writer.reset_sequences()
        progress.close()
        elapsed = time.monotonic() - started
        total = ctx.writer.rows_written
        for label, rows in per_hook.items():
            self.stdout.write(f"  {label:<16} {rows:>12,} rows")
        self.stdout.write(
            f"{total:,} rows in {elapsed:.1f} s: {total / max(elapsed, 1e-6):,.0f} rows/s ({connection.vendor})"
        )
        if options["manifest"]:
            path = Path(options["manifest"])
            path.parent.mkdir(parents=True, exist_ok=True)
            ctx.manifest.update(rows=total, seconds=round(elapsed, 2), vendor=connection.vendor, hooks=per_hook)
            path.write_text(json.dumps(ctx.manifest, indent=2, ensure_ascii=False))
            self.stdout.write(f"Manifest written to {path}")
