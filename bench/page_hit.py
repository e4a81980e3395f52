"""CPU of one request through Django's WSGI handler, in this process: no server, no network, no client.

    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/participe_bench REDIS_URL=redis://127.0.0.1:6379/1 \\
        .venv/bin/python bench/page_hit.py --path /demarches/…/propositions/1/ [--runs 3000] [--profile]

The production settings of the benchmarks (bench/settings.py, as ``bench/run.py`` serves them), the page asked for
``--runs`` times by a visitor without a session after 50 unmeasured requests; prints the CPU time of this process per
request (``time.process_time``). With the page cache on (the default of production) every measured request is a hit:
what the middlewares and the page cache cost, without what gunicorn and the kernel add (``bench/cpu_per_page.py``
measures through gunicorn). ``PARTICIPE_PAGE_CACHE=0``: every request renders the page. ``--path`` defaults to the
first published proposal of the database.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402


def environ(path: str, query: str) -> dict[str, Any]:
    return {
        "REQUEST_METHOD": "GET",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "HTTP_HOST": "127.0.0.1",
        "HTTP_ACCEPT_LANGUAGE": "fr",
        "HTTP_USER_AGENT": "bench/page_hit",
        "REMOTE_ADDR": "127.0.0.1",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(b""),
        "wsgi.errors": sys.stderr,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--path", default="")
    parser.add_argument("--runs", type=int, default=3000)
    parser.add_argument("--profile", action="store_true", help="print the cProfile of 500 more requests")
    args = parser.parse_args()
    url = os.environ.get("BENCH_DATABASE_URL", "")
    if not url:
        raise SystemExit("BENCH_DATABASE_URL: the database seeded by seed_volume (see docs/benchmarks.md)")
    os.environ.update(run.server_env(url))
    from django.core.wsgi import get_wsgi_application

    application = get_wsgi_application()
    path = args.path
    if not path:
        from participe.modules.proposals.models import Proposal

        first = Proposal.objects.filter(moderation_status="published").order_by("pk").first()
        if first is None:
            raise SystemExit("No published proposal in the database: give --path.")
        path = first.get_absolute_url()
    path, _sep, query = path.partition("?")
    statuses: list[str] = []

    def start(status: str, headers: Any, exc_info: Any = None, /) -> Callable[[bytes], object]:
        statuses.append(status)
        return lambda data: None

    def ask() -> None:
        response = application(environ(path, query), start)
        b"".join(response)
        response.close()

    for _ in range(50):
        ask()
    statuses.clear()
    began = time.process_time()
    for _ in range(args.runs):
        ask()
    cpu = (time.process_time() - began) / args.runs * 1000
    load = os.getloadavg()
    print(
        f"{path}: {cpu:.3f} ms of CPU per request over {args.runs}, statuses {sorted(set(statuses))}, "
        f"page cache {os.environ.get('PARTICIPE_PAGE_CACHE', 'on')}, load average {load[0]:.2f}"
    )
    if args.profile:
        profile = cProfile.Profile()
        profile.enable()
        for _ in range(500):
            ask()
        profile.disable()
        pstats.Stats(profile).sort_stats("cumulative").print_stats(40)


if __name__ == "__main__":
    main()
