"""Benchmark: what the throttles on writes cost (``participe/core/throttle.py``, docs/security.md).

Usage (from the project root):

    .venv/bin/python bench/throttle.py                      # a temporary SQLite file, the database cache
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/throttle_bench .venv/bin/python bench/throttle.py

Options: --runs 300.

It migrates a fresh database, creates the database cache's table, and measures, as a resident under every rate:
one ``throttle(user, "write")`` (two rates for the account, two for the address: four counters) with the database
cache and with the local-memory cache (what Redis costs is close to the latter plus a round trip per command), then a
whole POST through Django's test client (marking the notifications read) with the default throttles and with none.
It prints the median and the 95th percentile of each, and the queries of one call.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=300)
    return parser.parse_args()


def setup() -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/throttle.sqlite3")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("PARTICIPE_TASKS_IMMEDIATE", "1")
    os.environ["DJANGO_SETTINGS_MODULE"] = "participe.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _n in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[int(len(samples) * 0.95) - 1]


def queries_of(fn: Callable[[], object]) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        fn()
    return len(captured)


def main() -> None:
    args = parse_args()
    setup()
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client, override_settings

    from participe.accounts.models import User
    from participe.core import throttle as module

    user = User.objects.create_user("banc@example.org", "un-mot-de-passe-robuste", pseudonym="banc")
    rates = {
        "write": {"account": "1000000/m,1000000/h", "address": "1000000/m,1000000/h"},
        "content": settings.PARTICIPE_THROTTLES["content"],
    }
    print(f"database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}, runs: {args.runs}")
    for label, backend in (
        ("database cache", {"BACKEND": "django.core.cache.backends.db.DatabaseCache", "LOCATION": "participe_cache"}),
        ("local-memory cache", {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}),
    ):
        with override_settings(CACHES={"default": backend, "throttles": backend}, PARTICIPE_THROTTLES=rates):
            caches["throttles"].clear()

            def call() -> None:
                module.throttle(user, "write")

            call()
            median, p95 = timed(call, args.runs)
            print(f"throttle(), {label}: median {median:.2f} ms, p95 {p95:.2f} ms, {queries_of(call)} queries")
    client = Client(REMOTE_ADDR="203.0.113.9", HTTP_HOST="localhost")
    client.force_login(user)
    url = "/notifications/tout-marquer-comme-lu/"
    for label, throttles in (("with the throttles", rates), ("without", {})):
        with override_settings(PARTICIPE_THROTTLES=throttles):
            client.post(url)
            median, p95 = timed(lambda: client.post(url), args.runs)
            count = queries_of(lambda: client.post(url))
            print(f"POST {url}, {label}: median {median:.2f} ms, p95 {p95:.2f} ms, {count} queries")


if __name__ == "__main__":
    main()
