"""CPU per request of the public pages, through gunicorn: the app's (the worker's) and the database's.

    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/participe_bench \\
        .venv/bin/python bench/cpu_per_page.py --manifest var/bench/manifest.json [--runs 200]

One sync gunicorn worker over production settings (bench/settings.py) serves each page ``--runs`` times in a row,
after a warm-up, to a client without cookies (an anonymous visitor arriving from a link); the CPU of the worker
(``/proc``) and of the PostgreSQL backends of the database is read before and after. Run twice: page cache off
(every request renders the page) and on (every request after the first is a hit). CPU times hold on a loaded
machine where wall times do not; the load average is printed with them.

``--signed-in``: instead, the proposal pages of the mix (``bench/capacity.py``'s list, in turn) read by a signed-in
participant, with the page cache on (it serves them nothing: they have a session) — what the mix's signed-in reads
cost.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402
from bench.capacity import CpuSampler, children_of, journeys, proc_cpu  # noqa: E402


def pages(data: dict[str, Any]) -> list[tuple[str, str]]:
    first = {key: (data.get(key) or [""])[0] for key in ("proposal_lists", "proposals", "debate_subjects")}
    maps = data.get("proposal_maps") or [""]
    found = [
        ("home", "/"),
        ("list of démarches", "/demarches/"),
        ("a démarche", f"/demarches/{(data.get('spaces') or [''])[0]}/"),
        ("proposal list", first["proposal_lists"]),
        ("a proposal", first["proposals"]),
        ("debate question", first["debate_subjects"]),
        ("map feed (GeoJSON)", maps[0] + "propositions.geojson" if maps[0] else ""),
    ]
    return [(name, path) for name, path in found if path and not path.endswith("//")]


def measure(
    base: str, path: str | list[str], runs: int, master: int, sampler: CpuSampler, client: Any = None
) -> dict[str, float]:
    import requests

    client = client or requests
    paths = [path] if isinstance(path, str) else path
    for p in paths[:3] if client is requests else []:  # a signed-in client's first reads are measured
        client.get(base + p, timeout=30)
    (worker,) = children_of(master)
    app0, (_a, db0) = proc_cpu(worker), sampler.totals()
    started = time.perf_counter()
    statuses = set()
    for n in range(runs):
        statuses.add(client.get(base + paths[n % len(paths)], timeout=30).status_code)
    wall = time.perf_counter() - started
    app1, (_a, db1) = proc_cpu(worker), sampler.totals()
    return {
        "app_ms": round(1000 * (app1 - app0) / runs, 2),
        "db_ms": round(1000 * (db1 - db0) / runs, 2),
        "wall_ms": round(1000 * wall / runs, 2),
        "statuses": sorted(statuses),
    }


def serve_and_measure(env: dict[str, str], data: dict[str, Any], runs: int, cache: bool) -> dict[str, Any]:
    args = argparse.Namespace(port=0, workers=1, threads=1, max_requests=0)
    from bench.capacity import start_gunicorn

    server, base = start_gunicorn(args, env | {"PARTICIPE_PAGE_CACHE": "1" if cache else "0"})
    sampler = CpuSampler(server.pid, env["DATABASE_URL"])
    try:
        return {name: measure(base, path, runs, server.pid, sampler) | {"path": path} for name, path in pages(data)}
    finally:
        run.stop_server(server)


def signed_in_pages(env: dict[str, str], data: dict[str, Any], runs: int) -> dict[str, Any]:
    """The mix's proposal pages, in turn, read by one signed-in participant: each for the first time (the parts kept
    for every reader not yet kept, decision 0046), then again (kept)."""
    from bench.capacity import SignedIn, start_gunicorn

    args = argparse.Namespace(port=0, workers=1, threads=1, max_requests=0)
    server, base = start_gunicorn(args, env | {"PARTICIPE_PAGE_CACHE": "1"})
    sampler = CpuSampler(server.pid, env["DATABASE_URL"])
    try:
        accounts = data.get("accounts", {})
        email = ((accounts.get("verified") or []) + (accounts.get("participant") or []))[0]
        session = SignedIn(base, data).sign_in(email)
        if session is None:
            raise SystemExit(f"{email}: could not sign in")
        proposals = data.get("proposals", [])[:runs]
        first = measure(base, proposals, len(proposals), server.pid, sampler, client=session)
        again = measure(base, proposals, len(proposals), server.pid, sampler, client=session)
        return {"a proposal, signed in, first read": first, "the same, read again": again}
    finally:
        run.stop_server(server)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--manifest", type=Path, help="seed_volume's --manifest file (default: `make bench`'s)")
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--signed-in", action="store_true", help="the mix's proposal pages read signed in")
    args = parser.parse_args()
    run.VAR.mkdir(parents=True, exist_ok=True)
    url = run.database_url()
    env = run.server_env(url)
    if run.static_outdated():
        run.manage(env, "collectstatic", "--noinput", "-v", "0")
    run.manage(env, "createcachetable")
    data = journeys(env, url, args.manifest)
    load = os.getloadavg()[0]
    if args.signed_in:
        found = signed_in_pages(env, data, args.runs)
        print(
            f"CPU per request (ms), {args.runs} runs, load average {load:.2f} → {os.getloadavg()[0]:.2f}, {run.commit()}"
        )
        for name, row in found.items():
            print(f"{name}: app {row['app_ms']}, db {row['db_ms']}, wall {row['wall_ms']}, statuses {row['statuses']}")
        return
    off = serve_and_measure(env, data, args.runs, cache=False)
    on = serve_and_measure(env, data, args.runs, cache=True)
    print(f"CPU per request (ms), {args.runs} runs, load average {load:.2f} → {os.getloadavg()[0]:.2f}, {run.commit()}")
    print("| page | app, cache off | db, cache off | app, cached hit | db, cached hit |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name in off:
        a, b = off[name], on[name]
        print(f"| {name} | {a['app_ms']} | {a['db_ms']} | {b['app_ms']} | {b['db_ms']} |")
    (run.RESULTS / "cpu-per-page-latest.json").write_text(json.dumps({"off": off, "on": on}, indent=2))


if __name__ == "__main__":
    main()
