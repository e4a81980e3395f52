"""Profile of one ballot cast through the API, in process, on PostgreSQL: its queries, its CPU against the bare-view
floor's, and where the time goes (cProfile, CPU time).

Usage (from the project root; the database is dropped and created again):

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/ballots_profile .venv/bin/python bench/ballots_profile.py

Options: --casts 200 (half measured plainly, half under the profiler), --top 40.

The same data as ``bench/ballots.py`` (verified voters with real sessions, a votation for the commune's residents);
requests go through Django's test client with the same middleware, a session cookie and a CSRF token, one handler for
the whole run. It prints the queries of one cast and of one bare write, the CPU per request of each
(``time.process_time``: this process only, the database's work aside) and their ratio, then the functions of the
profile by cumulative CPU time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import json
import pstats
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import bench.ballots as ballots

CSRF = "c" * 32


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--casts", type=int, default=200)
    parser.add_argument("--top", type=int, default=40)
    args = parser.parse_args()
    ballots.environment()
    ballots.prepare_database()
    ballots.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    town = ballots.build_town(2 * args.casts + 10)
    question = ballots.votation(town, "profil")
    options = list(question.options.values_list("pk", flat=True))
    path = f"/api/v1/ballots/elections/{question.election_id}/ballots"
    client = Client(enforce_csrf_checks=True)

    def as_voter(voter: tuple[int, str]) -> Client:
        client.cookies["sessionid"], client.cookies["csrftoken"] = voter[1], CSRF
        return client

    def cast(voter: tuple[int, str]) -> None:
        body = json.dumps({"content": {"choices": [options[voter[0] % len(options)]]}})
        answer = as_voter(voter).post(
            path, body, content_type="application/json", HTTP_X_CSRFTOKEN=CSRF, HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4())
        )
        assert answer.status_code == 201, (answer.status_code, answer.content)

    def floor(voter: tuple[int, str]) -> None:
        answer = as_voter(voter).post(
            "/__bench__/insert/", "{}", content_type="application/json", HTTP_X_CSRFTOKEN=CSRF
        )
        assert answer.status_code == 201, answer.status_code

    voters = iter(town.voters)
    cast(next(voters))
    cast(next(voters))  # the second cast finds the question fixed: from the third on, the process keeps it
    for name, send in (("cast", cast), ("bare write", floor)):
        with CaptureQueriesContext(connection) as queries:
            send(next(voters))
        print(f"Queries of one {name}: {len(queries.captured_queries)}")
        for query in queries.captured_queries:
            print("   ", query["sql"][:160])
    half = args.casts // 2

    def cpu(send: Any, count: int) -> float:
        began = time.process_time()
        for _n in range(count):
            send(next(voters))
        return (time.process_time() - began) / count * 1000

    floor_ms, cast_ms = cpu(floor, half), cpu(cast, half)
    print(f"CPU per request: bare write {floor_ms:.2f} ms, cast {cast_ms:.2f} ms; ratio {floor_ms / cast_ms:.2f}")
    profile = cProfile.Profile(time.process_time)
    profile.enable()
    cpu(cast, half)
    profile.disable()
    out = io.StringIO()
    pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats(args.top)
    print(out.getvalue())


if __name__ == "__main__":
    main()
