"""The home page's « ouvert en ce moment » query: its plan and its time, for a visitor.

    DATABASE_URL=postgres://…/participe_bench DJANGO_DEBUG=1 .venv/bin/python bench/home_phases.py [--runs 50]

Run from a checkout (the code of the current directory is measured: run it from another checkout to compare).
Prints the number of queries of ``open_actions``, the median and p95 of its wall and CPU time, and the plan of its
query (EXPLAIN ANALYZE on PostgreSQL, EXPLAIN QUERY PLAN on SQLite).
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time

sys.path.insert(0, os.getcwd())
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    import django

    django.setup()
    from django.contrib.auth.models import AnonymousUser
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from participe.spaces import selectors

    visitor = AnonymousUser()
    selectors.open_actions(visitor)
    walls, cpus = [], []
    for _ in range(args.runs):
        wall, cpu = time.perf_counter(), time.process_time()
        selectors.open_actions(visitor)
        walls.append(1000 * (time.perf_counter() - wall))
        cpus.append(1000 * (time.process_time() - cpu))
    with CaptureQueriesContext(connection) as captured:
        selectors.open_actions(visitor)
    sql = [q["sql"] for q in captured.captured_queries if "spaces_phase" in q["sql"]]
    p95 = sorted(walls)[int(0.95 * (len(walls) - 1))]
    print(f"open_actions (visitor): {len(captured.captured_queries)} query(ies), {len(sql)} on phases")
    print(
        f"wall median {statistics.median(walls):.2f} ms, p95 {p95:.2f} ms; client CPU median {statistics.median(cpus):.2f} ms;"
        f" load average {os.getloadavg()[0]:.2f}"
    )
    explain = "EXPLAIN (ANALYZE, BUFFERS) " if connection.vendor == "postgresql" else "EXPLAIN QUERY PLAN "
    with connection.cursor() as cursor:
        for query in sql:
            cursor.execute(explain + query)
            print("\n".join(str(row[-1]) for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
