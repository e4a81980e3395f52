"""`make bench`: migrate and seed a benchmark database, serve it with gunicorn, drive it with Locust.

    .venv/bin/python bench/run.py [--accounts 20000 --spaces 300] [--users 14 --run-time 60s] [--port 8401]
    BENCH_DATABASE_URL=postgres://user:pass@127.0.0.1:5432/participe_bench .venv/bin/python bench/run.py

The database is BENCH_DATABASE_URL (default: a SQLite file under var/bench/); a PostgreSQL database is
created when missing. The demo is loaded (idempotent: the modules open for deposits, comments and answers)
and the volume seeded once per database (``--reseed`` to add another volume); then what the write journeys
need at this run is listed (``collect_journeys``). gunicorn serves production settings (DEBUG off, a generated
SECRET_KEY) on ``--port`` (or BENCH_PORT; default a free loopback port), with the bench urlconf that adds the
floor view. Results: bench/results/<date>-<db>.json and .md; the table is printed.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import datetime
import json
import os
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
BIN = Path(sys.executable).parent
VAR = ROOT / "var" / "bench"
RESULTS = ROOT / "bench" / "results"
PUBLIC_PAGES = ["/", "/demarches/", "/accessibilite/", "/mentions-legales/", "/compte/login/"]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Load test of the platform (gunicorn + Locust).")
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--spaces", type=int, default=300)
    parser.add_argument("--modules-per-space", type=int, default=2)
    parser.add_argument("--items-per-module", type=int, default=50)
    parser.add_argument("--reseed", action="store_true", help="seed again even when the database holds a volume")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--users", type=int, default=14, help="simultaneous Locust users (14: one per weight unit of the scenarios)"
    )
    parser.add_argument("--spawn-rate", type=float, default=4)
    parser.add_argument("--run-time", default="60s")
    parser.add_argument(
        "--think", default="0.5-2", help='seconds between requests: "0.5-2" (readers) or "0" (saturation)'
    )
    parser.add_argument(
        "--max-requests", type=int, default=0, help="stop Locust after this many requests (0: time only)"
    )
    parser.add_argument(
        "--port",
        type=int,
        default=int(os.environ.get("BENCH_PORT", "0") or 0),
        help="loopback port of gunicorn (default: BENCH_PORT, else a free port)",
    )
    # Internal: run by with_journeys() in the server's environment (Django set up).
    parser.add_argument("--collect-journeys", nargs=2, metavar=("MANIFEST", "OUT"), help=argparse.SUPPRESS)
    return parser.parse_args()


def database_url() -> str:
    return os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{VAR / 'bench.sqlite3'}"


def db_label(url: str) -> str:
    return "postgresql" if url.startswith(("postgres:", "postgresql:")) else "sqlite"


def ensure_postgres_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        if not conn.execute("select 1 from pg_database where datname = %s", [name]).fetchone():
            conn.execute(f'create database "{name}"')
            print(f"Created PostgreSQL database {name}.")


def server_env(url: str) -> dict[str, str]:
    secret = VAR / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(64))
        secret.chmod(0o600)
    return {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.settings",
        "DJANGO_DEBUG": "0",
        "SITE_URL": "http://127.0.0.1:8000",
        "SECRET_KEY": secret.read_text().strip(),
        "ALLOWED_HOSTS": "127.0.0.1",
        "DATABASE_URL": url,
        "STATIC_ROOT": str(VAR / "static"),
        "MEDIA_ROOT": str(VAR / "media"),
        "PARTICIPE_VAR_DIR": str(VAR),
        "PYTHONPATH": str(ROOT),
    }


def manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, env=env, check=True)


def static_outdated() -> bool:
    manifest = VAR / "static" / "staticfiles.json"
    if not manifest.exists():
        return True
    sources = [p for p in (ROOT / "participe").rglob("static/**/*") if p.is_file()]
    return any(p.stat().st_mtime > manifest.stat().st_mtime for p in sources)


def prepare(args: argparse.Namespace, env: dict[str, str], manifest: Path) -> None:
    manage(env, "migrate", "--noinput", "-v", "0")
    manage(env, "createcachetable")
    if static_outdated():
        manage(env, "collectstatic", "--noinput", "-v", "0")  # compressed as in production: ~1 min
    # The demo (idempotent) brings the modules in the phases the write journeys need: a Boîte à idées open for
    # deposits, a debate open for comments, a questionnaire open for answers. The volume comes on top of it.
    subprocess.run(
        [str(BIN / "python"), "manage.py", "load_demo"], cwd=ROOT, env=env, check=True, stdout=subprocess.DEVNULL
    )
    if args.reseed or not manifest.exists():
        manage(
            env,
            "seed_volume",
            f"--accounts={args.accounts}",
            f"--spaces={args.spaces}",
            f"--modules-per-space={args.modules_per_space}",
            f"--items-per-module={args.items_per_module}",
            f"--manifest={manifest}",
        )


def with_journeys(env: dict[str, str], manifest: Path, label: str) -> Path:
    """The seeding manifest plus what the journeys need at this run (see collect_journeys), as one file."""
    out = VAR / f"run-manifest-{label}.json"
    subprocess.run(
        [str(BIN / "python"), str(Path(__file__)), "--collect-journeys", str(manifest), str(out)],
        cwd=ROOT,
        env=env,
        check=True,
    )
    return out


JOURNEY_ACCOUNTS = 3000  # fresh respondents per run: a questionnaire takes one answer per account


def collect_journeys(source: Path, out: Path) -> None:
    """Write the manifest plus the addresses the write journeys need, read from the database now (phases move
    with time, respondents are used up): proposals open to supports and comments, modules open to deposits,
    debate subjects open to comments, questionnaires open to answers and accounts that have not answered them,
    proposal lists and maps, words to search."""
    import django

    django.setup()
    from django.db.models import Q

    from participe.core.capabilities import Cap
    from participe.harness.volume import EMAIL_DOMAIN
    from participe.modules.debate.models import Subject
    from participe.modules.proposals.models import Proposal
    from participe.modules.surveys.models import Participation, Questionnaire
    from participe.organisation.models import Theme
    from participe.spaces.models import Module, Space

    data = json.loads(source.read_text())
    shown = Module.objects.filter(
        is_published=True, space__status=Space.Status.PUBLISHED, space__visibility=Space.Visibility.PUBLIC
    ).select_related("space")

    def open_to(kind: str, cap: Cap, limit: int = 40) -> list[Module]:
        found = []
        for module in shown.filter(module_type=kind).prefetch_related("phases").order_by("pk"):
            phase = module.current_phase()
            if phase is not None and cap in phase.capabilities:
                found.append(module)
                if len(found) == limit:
                    break
        return found

    proposal_modules = shown.filter(module_type="proposals").order_by("pk")[:40]
    data["proposal_lists"] = [m.get_absolute_url() for m in proposal_modules]
    data["proposal_maps"] = [m.get_absolute_url() + "carte/" for m in proposal_modules[:10]]
    supportable = open_to("proposals", Cap.SUPPORT)
    data["proposals"] = [
        p.get_absolute_url()
        for p in Proposal.objects.filter(
            module__in=supportable, status=Proposal.Status.PUBLISHED, moderation_status="published"
        )
        .select_related("module__space")
        .order_by("?")[:400]
    ]
    data["proposal_deposits"] = [m.get_absolute_url() + "deposer/" for m in open_to("proposals", Cap.SUBMIT, 5)]
    debates = open_to("debate", Cap.COMMENT)
    data["debates"] = [m.get_absolute_url() for m in debates]
    data["debate_subjects"] = [
        s.get_absolute_url()
        for s in Subject.objects.filter(module__in=debates, status=Subject.Status.PUBLISHED).select_related(
            "module__space"
        )
    ]
    questionnaires = Questionnaire.objects.filter(
        module__in=open_to("surveys", Cap.ANSWER), questions__isnull=False
    ).distinct()
    data["questionnaires"] = [q.module.get_absolute_url() for q in questionnaires.select_related("module__space")]
    answered = Participation.objects.filter(questionnaire__in=questionnaires).values("user_id")
    from participe.accounts.models import User

    data["respondents"] = list(
        User.objects.filter(email__endswith=f"@{EMAIL_DOMAIN}", is_org_admin=False)
        .exclude(pk__in=answered)
        .exclude(Q(services__isnull=False) | Q(space_memberships__role__in=["admin", "moderator"]))
        .order_by("?")
        .values_list("email", flat=True)[:JOURNEY_ACCOUNTS]
    )
    data["themes"] = list(Theme.objects.values_list("slug", flat=True)[:10])
    data["agent"] = _totp_agent(proposal_modules)
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False))


def _totp_agent(proposal_modules: Any) -> dict[str, Any]:
    """The demo's agent, who signs in with a TOTP code (the demo's secret, drawn at its loading), and the
    back-office pages of the proposals modules of the spaces the agent administers."""
    from allauth.mfa.models import Authenticator

    from participe.accounts.models import User
    from participe.backoffice.demo import DEMO_PASSWORD, demo_totp_secret

    agent = User.objects.filter(email="agent@lumerac.example").first()
    if agent is None or not Authenticator.objects.filter(user=agent, type=Authenticator.Type.TOTP).exists():
        return {}
    managed = [m for m in proposal_modules if m.space.memberships.filter(user=agent, role="admin").exists()]
    return {
        "email": agent.email,
        "password": DEMO_PASSWORD,
        "totp_secret": demo_totp_secret(),
        "proposal_backoffice": [f"/gestion/m/proposals/{m.pk}/propositions/" for m in managed],
    }


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def stop_server(server: subprocess.Popen[bytes]) -> None:
    if server.poll() is None:
        os.killpg(server.pid, signal.SIGTERM)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def start_server(env: dict[str, str], workers: int, port: int = 0) -> tuple[subprocess.Popen[bytes], str]:
    port = port or free_port()
    log = open(VAR / "gunicorn.log", "ab")  # noqa: SIM115 (kept open for the server's lifetime)
    server = subprocess.Popen(
        [
            str(BIN / "gunicorn"),
            "participe.wsgi:application",
            f"--bind=127.0.0.1:{port}",
            f"--workers={workers}",
            "--worker-class=sync",
            "--log-level=warning",
            "--timeout=60",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    atexit.register(stop_server, server)
    base = f"http://127.0.0.1:{port}"
    import requests

    for _ in range(120):
        time.sleep(0.5)
        try:
            if requests.get(f"{base}/", timeout=5).status_code == 200:
                return server, base
        except requests.RequestException:  # not listening yet, or workers still booting on a busy machine
            continue
    stop_server(server)
    raise SystemExit(f"gunicorn did not answer on / within 60 s (see {VAR.relative_to(ROOT)}/gunicorn.log)")


def run_locust(args: argparse.Namespace, base: str, manifest: Path, stem: Path) -> None:
    files = ",".join(str(p) for p in sorted((ROOT / "bench" / "scenarios").glob("*.py")) if p.name != "__init__.py")
    command = [
        str(BIN / "locust"),
        "-f",
        files,
        "--headless",
        f"--host={base}",
        f"--users={args.users}",
        f"--spawn-rate={args.spawn_rate}",
        f"--run-time={args.run_time}",
        f"--csv={stem}",
        "--only-summary",
        "--stop-timeout=5",
        "--loglevel=WARNING",
    ]
    env = {**os.environ, "BENCH_MANIFEST": str(manifest), "PYTHONPATH": str(ROOT), "BENCH_THINK": args.think}
    if args.max_requests:
        env["BENCH_MAX_REQUESTS"] = str(args.max_requests)
    subprocess.run(command, cwd=ROOT, env=env, check=False, stdout=subprocess.DEVNULL)


def read_stats(stem: Path) -> list[dict[str, Any]]:
    rows = []
    with open(f"{stem}_stats.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            rows.append(
                {
                    "name": row["Name"] if row["Name"] != "Aggregated" else "TOTAL",
                    "method": row["Type"],
                    "requests": int(row["Request Count"]),
                    "failures": int(row["Failure Count"]),
                    "rps": round(float(row["Requests/s"]), 2),
                    "p50_ms": _num(row["50%"]),
                    "p95_ms": _num(row["95%"]),
                    "p99_ms": _num(row["99%"]),
                }
            )
    return rows


def _num(value: str) -> float | None:
    return None if value in ("", "N/A") else float(value)


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Load test {result['date']} — {result['database']}, {result['cpus']} cores, {result['workers']} gunicorn workers, "
        f"{result['users']} users (think time {result['think_time']} s) for {result['run_time']}, commit {result['commit']}",
        "",
        "| page | requests | failures | req/s | p50 ms | p95 ms | p99 ms |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: |",
    ]
    for row in result["requests"]:
        lines.append(
            f"| {row['name']} | {row['requests']} | {row['failures']} | {row['rps']} | {row['p50_ms']} | {row['p95_ms']} | {row['p99_ms']} |"
        )
    lines += [
        "",
        "| page weight (compressed) | HTML | CSS+JS | total | ≤ 100 KB |",
        "| --- | ---: | ---: | ---: | --- |",
    ]
    for row in result["page_weight"]:
        lines.append(
            f"| {row['path']} | {row['html_bytes']:,} | {row['asset_bytes']:,} | {row['total_bytes']:,} | "
            f"{'yes' if row['within_budget'] else '**no**'} |"
        )
    return "\n".join(lines) + "\n"


def public_pages(data: dict[str, Any]) -> list[str]:
    """The pages weighed: the platform's, two spaces, two module pages, and one of each module's public pages."""
    firsts = [(data.get(key) or [None])[0] for key in ("proposal_lists", "proposal_maps", "proposals")]
    firsts += [(data.get(key) or [None])[0] for key in ("debate_subjects", "questionnaires")]
    return [
        *PUBLIC_PAGES,
        *(f"/demarches/{slug}/" for slug in data.get("spaces", [])[:2]),
        *data.get("modules", [])[:2],
        *(page for page in firsts if page),
        "/recherche/?q=piste+cyclable",
    ]


def commit() -> str:
    found = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True, check=False
    )
    return found.stdout.strip() or "unknown"


def main() -> None:
    args = parse_args()
    if args.collect_journeys:
        collect_journeys(Path(args.collect_journeys[0]), Path(args.collect_journeys[1]))
        return
    VAR.mkdir(parents=True, exist_ok=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    url = database_url()
    label = db_label(url)
    if label == "postgresql":
        ensure_postgres_database(url)
    env = server_env(url)
    manifest = VAR / f"manifest-{label}-{urlsplit(url).path.strip('/').replace('/', '_')}.json"
    prepare(args, env, manifest)
    manifest = with_journeys(env, manifest, label)
    data = json.loads(manifest.read_text())
    server, base = start_server(env, args.workers, args.port)
    try:
        from bench.page_weight import page_weights

        weights = page_weights(base, public_pages(data))
        stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H%M")
        stem = VAR / f"locust-{stamp}"
        run_locust(args, base, manifest, stem)
        stats = read_stats(stem)
    finally:
        stop_server(server)
    result = {
        "date": stamp,
        "database": label,
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "users": args.users,
        "run_time": args.run_time,
        "think_time": args.think,
        "commit": commit(),
        "volume": {key: data.get(key) for key in ("rows", "seconds", "hooks")},
        "requests": stats,
        "page_weight": weights,
    }
    out = RESULTS / f"{stamp}-{label}"
    out.with_suffix(".json").write_text(json.dumps(result, indent=2))
    table = markdown(result)
    out.with_suffix(".md").write_text(table)
    print(table)
    print(f"Written: {out.relative_to(ROOT)}.json and .md")
    failures = sum(r["failures"] for r in stats if r["name"] != "TOTAL")
    heavy = [w["path"] for w in weights if not w["within_budget"]]
    if failures or heavy:
        print(f"{failures} failed request(s); pages over budget: {heavy or 'none'}")
        sys.exit(1)


if __name__ == "__main__":
    main()
