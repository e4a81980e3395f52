"""Benchmark: what the cookie-less audience counter costs a request (``participe/audience/``, docs/statistics.md).

Usage (from the project root):

    .venv/bin/python bench/audience.py                      # a temporary SQLite file
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/audience_bench .venv/bin/python bench/audience.py

Options: --runs 20000 (middleware calls), --pages 300 (whole pages), --flush 10000 (views flushed at once).

It measures, in CPU time (``time.process_time``) and wall time per call:
1. the middleware around a view that answers at once, without the counter and with it (what the counter adds:
   deciding whether the answer counts and appending a view to the buffer);
2. the same with a storage that is slow: the background flush is stuck in a database that answers after 2 s (the
   request must not pay for it);
3. a whole page (a démarche's page through Django's test client), counter off and on;
4. one flush of --flush buffered views (hashing, the visits told apart in the cache, the sums written): the work of
   the background thread, off the request.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from unittest import mock

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

FIREFOX = "Mozilla/5.0 (X11; Linux x86_64; rv:133.0) Gecko/20100101 Firefox/133.0"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=20_000)
    parser.add_argument("--pages", type=int, default=300)
    parser.add_argument("--flush", type=int, default=10_000)
    return parser.parse_args()


def setup() -> None:
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{tempfile.mkdtemp()}/audience.sqlite3")
    os.environ.setdefault("DJANGO_DEBUG", "1")
    os.environ.setdefault("ALLOWED_HOSTS", "testserver,127.0.0.1,localhost")
    os.environ["PARTICIPE_AUDIENCE_FLUSH_SECONDS"] = "0"  # the benchmark starts the thread itself (part 2)
    os.environ["DJANGO_SETTINGS_MODULE"] = "participe.settings"
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)


def per_call(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Mean CPU and wall microseconds per call."""
    cpu, wall = time.process_time(), time.perf_counter()
    for _n in range(runs):
        fn()
    return (time.process_time() - cpu) / runs * 1e6, (time.perf_counter() - wall) / runs * 1e6


def middleware_calls(runs: int) -> None:
    from django.http import HttpResponse
    from django.test import RequestFactory

    from participe.audience import counter, middleware

    request = RequestFactory().get("/demarches/place/", HTTP_USER_AGENT=FIREFOX, REMOTE_ADDR="203.0.113.9")
    answer = HttpResponse("<p>page</p>", content_type="text/html; charset=utf-8")
    bare = lambda: answer  # noqa: E731
    counted = middleware.AudienceMiddleware(lambda _r: answer)
    local = counter.Recorder()
    with mock.patch.object(middleware, "recorder", local):
        without = per_call(lambda: bare(), runs)
        with_counter = per_call(lambda: counted(request), runs)
        local.hits.clear()
        print(f"middleware, no counter      : {without[0]:7.2f} µs CPU  {without[1]:7.2f} µs wall")
        print(f"middleware, counter         : {with_counter[0]:7.2f} µs CPU  {with_counter[1]:7.2f} µs wall")
        print(f"  the counter adds          : {with_counter[0] - without[0]:7.2f} µs CPU per request")

    # The flush stuck in a slow database: the thread waits, the requests do not.
    from django.conf import settings

    from participe.audience import services

    settings.PARTICIPE_AUDIENCE_FLUSH_SECONDS = 1
    settings.PARTICIPE_AUDIENCE_FLUSH_SIZE = 100
    slow_recorder = counter.Recorder()

    def slow(sums: object, *, timeout: int) -> int:
        time.sleep(2)
        raise TimeoutError("the database did not answer in time")

    with mock.patch.object(middleware, "recorder", slow_recorder), mock.patch.object(services, "counts_add", slow):
        stuck = per_call(lambda: counted(request), runs)
        print(f"middleware, slow storage    : {stuck[0]:7.2f} µs CPU  {stuck[1]:7.2f} µs wall "
              f"(flushes failed meanwhile: {slow_recorder.failures})")  # fmt: skip
        slow_recorder.stop()
    settings.PARTICIPE_AUDIENCE_FLUSH_SECONDS = 0


def whole_pages(pages: int) -> None:
    from django.conf import settings
    from django.test import Client

    from participe.audience.counter import recorder
    from participe.spaces.models import Space

    space = Space.objects.create(title="Place du Marché", slug="place", status="published", visibility="public")
    client = Client(HTTP_USER_AGENT=FIREFOX)
    path = space.get_absolute_url()
    assert client.get(path).status_code == 200
    for enabled in (False, True, False, True):
        settings.PARTICIPE_AUDIENCE_ENABLED = enabled
        cpu, wall = per_call(lambda: client.get(path), pages)
        label = "on " if enabled else "off"
        print(f"whole page, counter {label}     : {cpu / 1000:7.3f} ms CPU  {wall / 1000:7.3f} ms wall")
    recorder.hits.clear()


def flush(views: int) -> None:
    from participe.audience.counter import Hit, Recorder

    local = Recorder()
    now = time.time()
    for n in range(views):
        local.add(Hit(now, f"198.51.100.{n % 250}", f"{FIREFOX} {n % 40}", "https://www.qwant.com/", "x",
                      f"/demarches/place/page-{n % 50}/", "place", ""))  # fmt: skip
    cpu, wall = time.process_time(), time.perf_counter()
    written = local.flush()
    print(f"flush of {views} views       : {time.process_time() - cpu:7.3f} s CPU  "
          f"{time.perf_counter() - wall:7.3f} s wall ({written} counts written)")  # fmt: skip


def main() -> None:
    args = parse_args()
    setup()
    from django.db import connection

    print(f"database: {connection.vendor}; load average: {os.getloadavg()[0]:.2f} {os.getloadavg()[1]:.2f}")
    middleware_calls(args.runs)
    whole_pages(args.pages)
    flush(args.flush)
    print(f"load average at the end: {os.getloadavg()[0]:.2f}")


if __name__ == "__main__":
    main()
