"""Benchmark of the secret ballot (PostgreSQL only): ballots per second through HTTP against two floors, duplicate
submissions, ``kill -9`` under load, and closing and counting a large box.

Usage (from the project root; the database is dropped and created again):

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/ballots_bench .venv/bin/python bench/ballots.py

Options: --clients 8,32 --seconds 10 --workers 4 --voters 20000 --duplicates 1000 --count 500000 (0: skip)
--port (default: a free loopback port).

1. **Throughput.** gunicorn serves the production settings (DEBUG off, ``bench.settings``) with N sync workers.
   Voters are real accounts, verified residents of the commune (the votation's eligibility rule), each with a real
   session row; clients send their session cookie and a CSRF cookie and header, as a browser does. At each level of
   concurrency (distinct voters, one thread each, keep-alive connections), for ``--seconds``: (a) the **bare-view
   floor** — ``POST /__bench__/insert/``, the same middleware, one row written for the signed-in user; (b) **ballots**
   — ``POST /api/v1/ballots/elections/{id}/ballots`` with an ``Idempotency-Key``, every one expected to answer 201;
   (c) the **database floor** — ``pgbench`` of a one-row insert with the same number of clients. It prints requests
   per second, the ratios, latencies, and the CPU per request of the gunicorn processes (app) and of the PostgreSQL
   backends serving this database (db: same machine only), measured from /proc over each run.
2. **Duplicates.** ``--duplicates`` submissions by one voter at once, over 64 connections: through the web form
   (review then confirmation, each with its own token), the API (each with its own key) and an agent's émargement
   desk (the same person, found in the census). It checks and prints that one émargement and at most one ballot
   exist (one ballot when the winner voted online; a paper émargement's ballot is typed later).
3. **kill -9.** 16 clients vote; after 3 s every gunicorn process is killed with SIGKILL. Every ballot acknowledged
   (201 with a receipt) must be in the box or waiting to be mixed, and every online émargement must have its ballot.
4. **Counting.** ``--count`` émargements and ballots are written straight into the tables (generate_series), the
   election is closed and counted in this process (check, reshuffle, totals, results, the tally file with every
   receipt): seconds and the growth of this process's peak memory.

Results: printed, and written to bench/results/<date>-ballots.json. On a shared machine the rates follow the load:
compare the ratios, measured in the same run.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import json
import os
import re
import secrets
import signal
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
SECRET_KEY = secrets.token_urlsafe(64)
PASSWORD = "participe-banc-ballots"


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", default="8,32")
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--voters", type=int, default=20_000)
    parser.add_argument("--duplicates", type=int, default=1000)
    parser.add_argument("--count", type=int, default=500_000)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--only-count", action="store_true", help="measure only the counting (no HTTP server)")
    return parser.parse_args()


def environment() -> dict[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres:", "postgresql:")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (it is dropped and created again).")
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "SECRET_KEY": SECRET_KEY,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "PARTICIPE_CENSUS_PEPPER": "banc-d-essai",
            "STATIC_ROOT": str(ROOT / "var" / "bench" / "static"),
        }
    )
    os.environ.setdefault("SITE_URL", "http://127.0.0.1:8000")  # required with DEBUG off (emails' links)
    return dict(os.environ)


def prepare_database() -> str:
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return name


def setup() -> None:
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)
    if not (Path(os.environ["STATIC_ROOT"]) / "staticfiles.json").exists():  # the pages need the manifest (~1 min)
        call_command("collectstatic", interactive=False, verbosity=0)


# --- data ------------------------------------------------------------------------------------------------------
@dataclass
class Town:
    admin: Any
    agent: Any
    commune: Any
    voters: list[tuple[int, str]] = field(default_factory=list)  # (user id, session key)
    station: Any = None


def build_town(count: int) -> Town:
    """The commune, an administrator and an agent, ``count`` verified voters with a session each, a census."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from participe.accounts.models import User
    from participe.organisation.models import Service, Territory
    from participe.verifications.models import Verification
    from participe.verifications.services import census_import

    commune = Territory.objects.create(name="Lumerac", slug="banc-lumerac", kind="commune", code="B01")
    admin = User.objects.create_user(
        email="admin@banc.example", password=PASSWORD, pseudonym="admin-banc", is_org_admin=True
    )
    agent = User.objects.create_user(email="agent@banc.example", password=PASSWORD, pseudonym="agent-banc")
    Service.objects.create(name="Élections").members.add(agent)
    census_import(
        actor=admin, filename="banc.csv", data=b"nom;prenom;date_naissance;territoire\nDOUBLON;Alix;01/02/1980;B01\n"
    )
    password = make_password(PASSWORD)
    users = User.objects.bulk_create(
        [User(email=f"votant-{n}@banc.example", pseudonym=f"votant-{n}", password=password) for n in range(count)],
        batch_size=5000,
    )
    Verification.objects.bulk_create(
        [
            Verification(user=u, handler="counter", territory=commune, birth_date=datetime.date(1980, 1, 1))
            for u in users
        ],
        batch_size=5000,
    )
    expire = timezone.now() + datetime.timedelta(days=1)
    store = SessionStore()
    sessions, town = [], Town(admin=admin, agent=agent, commune=commune)
    for user in users:
        key = secrets.token_hex(16)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "allauth.account.auth_backends.AuthenticationBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        sessions.append(Session(session_key=key, session_data=store.encode(data), expire_date=expire))
        town.voters.append((user.pk, key))
    Session.objects.bulk_create(sessions, batch_size=5000)
    return town


def votation(town: Town, key: str, *, channels: str = "online") -> Any:
    """A votation open now in its own démarche (its vote phase running), verified residents of the commune only."""
    from django.utils import timezone

    from participe.core.capabilities import Cap
    from participe.modules.votation import services
    from participe.spaces.models import Module, Phase, Space
    from participe.verifications.models import EligibilityRule

    now = timezone.now()
    space = Space.objects.create(
        title=f"Banc {key}", slug=f"banc-{key}", summary="Mesure", status="published", visibility="public"
    )
    module = Module.objects.create(space=space, module_type="votation", title="Nom de la place", slug="nom")
    Phase.objects.create(
        module=module,
        phase_type="vote",
        name="Vote",
        start=now - datetime.timedelta(days=1),
        end=now + datetime.timedelta(days=1),
    )
    rule = EligibilityRule.objects.create(module=module, action=Cap.VOTE, require_verification=True)
    rule.territories.set([town.commune])
    question = services.question_save(
        actor=town.admin, module=module, data={"text": "Quel nom ?", "kind": "single"}, election={"channels": channels}
    )
    for n, title in enumerate(["Tilleuls", "Simone-Veil", "Marché-Couvert", "Fontaine"], start=1):
        services.option_save(actor=town.admin, question=question, option=None, data={"title": title, "position": n})
    return question


# --- HTTP ------------------------------------------------------------------------------------------------------
class Client:
    """One keep-alive connection with a voter's cookies and a CSRF token."""

    def __init__(self, base: str, session_key: str) -> None:
        parts = urlsplit(base)
        self.conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=60)
        self.csrf = secrets.token_hex(16)
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"

    def use(self, session_key: str) -> None:
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"

    def request(
        self, method: str, path: str, body: bytes = b"", headers: dict[str, str] | None = None
    ) -> tuple[int, bytes]:
        all_headers = {"Cookie": self.cookie, "X-CSRFToken": self.csrf, **(headers or {})}
        try:
            self.conn.request(method, path, body=body, headers=all_headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()
            return 0, b""

    def post_json(self, path: str, payload: dict[str, Any], **headers: str) -> tuple[int, bytes]:
        return self.request("POST", path, json.dumps(payload).encode(), {"Content-Type": "application/json", **headers})

    def post_form(self, path: str, fields: dict[str, str]) -> tuple[int, bytes]:
        from urllib.parse import urlencode

        body = urlencode(fields).encode()
        return self.request("POST", path, body, {"Content-Type": "application/x-www-form-urlencoded"})


def cpu_of(pids: list[int]) -> float:
    import psutil

    total = 0.0
    for pid in pids:
        try:
            times = psutil.Process(pid).cpu_times()
        except psutil.Error:
            continue
        total += times.user + times.system
    return total


def server_pids(server: subprocess.Popen[bytes]) -> list[int]:
    import psutil

    try:
        root = psutil.Process(server.pid)
    except psutil.Error:
        return []
    return [root.pid, *(p.pid for p in root.children(recursive=True))]


def backend_pids(database: str) -> list[int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid() AND backend_type = 'client backend'",
            [database],
        )
        return [row[0] for row in cursor.fetchall()]


@dataclass
class Run:
    name: str
    clients: int
    ok: int
    errors: int
    seconds: float
    latencies: list[float]
    app_cpu: float
    db_cpu: float

    @property
    def rate(self) -> float:
        return self.ok / self.seconds if self.seconds else 0.0

    def summary(self) -> dict[str, Any]:
        ordered = sorted(self.latencies) or [0.0]
        return {
            "name": self.name,
            "clients": self.clients,
            "ok": self.ok,
            "errors": self.errors,
            "per_second": round(self.rate, 1),
            "p50_ms": round(statistics.median(ordered), 1),
            "p95_ms": round(ordered[int(len(ordered) * 0.95) - 1 if len(ordered) > 1 else 0], 1),
            "app_cpu_ms": round(self.app_cpu * 1000 / self.ok, 2) if self.ok else None,
            "db_cpu_ms": round(self.db_cpu * 1000 / self.ok, 2) if self.ok else None,
        }


def drive(
    name: str,
    base: str,
    voters: list[tuple[int, str]],
    clients: int,
    seconds: float,
    send: Callable[[Client, tuple[int, str]], int],
    server: subprocess.Popen[bytes],
    database: str,
) -> Run:
    """``clients`` threads, each with its own voters, sending as fast as answers come for ``seconds``."""
    shares = [voters[n::clients] for n in range(clients)]
    latencies: list[float] = []
    counts = {"ok": 0, "errors": 0}
    lock = threading.Lock()
    barrier = threading.Barrier(clients + 1)
    deadline = [0.0]

    def work(mine: list[tuple[int, str]]) -> None:
        client = Client(base, mine[0][1])
        barrier.wait()
        for voter in mine:
            if time.perf_counter() >= deadline[0]:
                break
            client.use(voter[1])
            began = time.perf_counter()
            status = send(client, voter)
            elapsed = (time.perf_counter() - began) * 1000
            with lock:
                counts["ok" if status in (200, 201) else "errors"] += 1
                latencies.append(elapsed)

    threads = [threading.Thread(target=work, args=(share,)) for share in shares]
    for thread in threads:
        thread.start()
    app_before = cpu_of(server_pids(server))
    backends = backend_pids(database)
    db_before = {pid: cpu_of([pid]) for pid in backends}
    began = time.perf_counter()
    deadline[0] = began + seconds
    barrier.wait()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    app_cpu = cpu_of(server_pids(server)) - app_before
    db_cpu = sum(cpu_of([pid]) - db_before.get(pid, 0.0) for pid in backend_pids(database))
    return Run(name, clients, counts["ok"], counts["errors"], elapsed, latencies, app_cpu, db_cpu)


def pgbench(database: str, clients: int, seconds: float) -> dict[str, Any]:
    """The database's own floor: a one-row insert by ``clients`` connections (TPS without connection time)."""
    parts = urlsplit(os.environ["DATABASE_URL"])
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE IF NOT EXISTS bench_floor (id bigserial PRIMARY KEY, user_id bigint, at timestamptz DEFAULT now())"
        )
    script = ROOT / "var" / "bench" / "insert.sql"
    script.parent.mkdir(parents=True, exist_ok=True)
    script.write_text("\\set uid random(1, 20000)\nINSERT INTO bench_floor (user_id) VALUES (:uid);\n")
    command = [
        "pgbench", "-n", "-h", parts.hostname or "127.0.0.1", "-p", str(parts.port or 5432), "-U", parts.username or "postgres",
        "-c", str(clients), "-j", "2", "-T", str(int(seconds)), "-f", str(script), database,
    ]  # fmt: skip
    env = {**os.environ, "PGPASSWORD": parts.password or ""}
    output = subprocess.run(command, capture_output=True, text=True, env=env, check=False).stdout
    found = re.search(r"tps = ([\d.]+)", output)
    return {"clients": clients, "per_second": float(found.group(1)) if found else 0.0, "command": " ".join(command)}


# --- the measures ----------------------------------------------------------------------------------------------
def ballot_sender(election_id: int, option_ids: list[int]) -> Callable[[Client, tuple[int, str]], int]:
    path = f"/api/v1/ballots/elections/{election_id}/ballots"

    def send(client: Client, voter: tuple[int, str]) -> int:
        choice = option_ids[voter[0] % len(option_ids)]
        status, _body = client.post_json(
            path, {"content": {"choices": [choice]}}, **{"Idempotency-Key": str(uuid.uuid4())}
        )
        return status

    return send


def floor_sender(client: Client, voter: tuple[int, str]) -> int:
    return client.post_json("/__bench__/insert/", {})[0]


def throughput(args: argparse.Namespace, town: Town, base: str, server: Any, database: str) -> list[dict[str, Any]]:
    rows = []
    offset = 0
    for clients in [int(c) for c in args.clients.split(",")]:
        floor = drive("floor", base, town.voters, clients, args.seconds, floor_sender, server, database)
        question = votation(town, f"debit-{clients}")
        options = list(question.options.values_list("pk", flat=True))
        voters = town.voters[offset:] + town.voters[:offset]
        offset = (offset + 7919) % len(town.voters)
        ballots = drive(
            "ballot",
            base,
            voters,
            clients,
            args.seconds,
            ballot_sender(question.election_id, options),
            server,
            database,
        )
        database_floor = pgbench(database, clients, args.seconds)
        rows.append(
            {
                "clients": clients,
                "floor": floor.summary(),
                "ballots": ballots.summary(),
                "pgbench": database_floor,
                "ratio_to_floor": round(ballots.rate / floor.rate, 2) if floor.rate else None,
                "ratio_to_pgbench": round(ballots.rate / database_floor["per_second"], 3)
                if database_floor["per_second"]
                else None,
            }
        )
        print(json.dumps(rows[-1], ensure_ascii=False), flush=True)
    return rows


def duplicates(args: argparse.Namespace, town: Town, base: str) -> dict[str, Any]:
    """One person, ``args.duplicates`` submissions at once: web form, API and paper émargement."""
    from django.contrib.sessions.backends.db import SessionStore

    from participe.ballots.models import Ballot, PollingStation, RollEntry, StagedBallot
    from participe.verifications.services import census_verify

    question = votation(town, "doublons", channels="both")
    station = PollingStation.objects.create(module=question.module, name="Mairie", place="Mairie")
    station.agents.add(town.agent)
    person = town.voters[0][0]
    from participe.accounts.models import User

    alix = User.objects.get(pk=person)
    User.objects.filter(pk=person).update(first_name="Alix", last_name="Doublon")
    census_verify(user=alix, last_name="Doublon", first_name="Alix", birth_date=datetime.date(1980, 2, 1))
    agent_session = SessionStore()
    agent_session.update(
        {
            "_auth_user_id": str(town.agent.pk),
            "_auth_user_backend": "allauth.account.auth_backends.AuthenticationBackend",
            "_auth_user_hash": town.agent.get_session_auth_hash(),
        }
    )
    agent_session.create()
    election = question.election
    option = question.options.first().pk
    module_url = question.module.get_absolute_url()
    desk = f"/gestion/scrutins/{election.pk}/bureaux/{station.pk}/"
    outcomes: dict[str, int] = {}
    lock = threading.Lock()

    def one(n: int) -> None:
        kind = ("web", "api", "paper")[n % 3]
        client = Client(base, agent_session.session_key if kind == "paper" else town.voters[0][1])
        if kind == "web":
            status, _ = client.post_form(
                f"{module_url}voter/confirmer/",
                {"bulletin": json.dumps({"choices": [option]}), "blanc": "0", "jeton": secrets.token_urlsafe(24)},
            )
        elif kind == "api":
            status, _ = client.post_json(
                f"/api/v1/ballots/elections/{election.pk}/ballots",
                {"content": {"choices": [option]}},
                **{"Idempotency-Key": str(uuid.uuid4())},
            )
        else:
            status, _ = client.post_form(
                desk, {"last_name": "DOUBLON", "first_name": "Alix", "birth_date": "1980-02-01"}
            )
        with lock:
            outcomes[f"{kind} {status}"] = outcomes.get(f"{kind} {status}", 0) + 1

    pending = list(range(args.duplicates))
    threads = []
    for worker in range(64):
        mine = pending[worker::64]
        threads.append(threading.Thread(target=lambda mine=mine: [one(n) for n in mine]))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    entries = list(RollEntry.objects.filter(election=election).values_list("channel", flat=True))
    ballots = StagedBallot.objects.filter(election=election).count() + Ballot.objects.filter(election=election).count()
    result = {
        "submissions": args.duplicates,
        "answers": outcomes,
        "emargements": len(entries),
        "channel": entries[0] if entries else None,
        "ballots": ballots,
    }
    result["holds"] = len(entries) == 1 and ballots == (1 if entries[0] == "online" else 0)
    print(json.dumps({"duplicates": result}, ensure_ascii=False), flush=True)
    return result


def kill_nine(town: Town, base: str, server: Any) -> dict[str, Any]:
    """Vote with 16 clients; SIGKILL every gunicorn process after 3 s; check what was acknowledged."""
    from participe.ballots.models import Ballot, RollEntry, StagedBallot

    question = votation(town, "kill-9")
    election_id = question.election_id
    options = list(question.options.values_list("pk", flat=True))
    acknowledged: list[str] = []
    lock = threading.Lock()
    stop = threading.Event()
    path = f"/api/v1/ballots/elections/{election_id}/ballots"

    def work(mine: list[tuple[int, str]]) -> None:
        client = Client(base, mine[0][1])
        for voter in mine:
            if stop.is_set():
                return
            client.use(voter[1])
            status, body = client.post_json(
                path, {"content": {"choices": [options[voter[0] % 4]]}}, **{"Idempotency-Key": str(uuid.uuid4())}
            )
            if status == 201:
                with lock:
                    acknowledged.append(json.loads(body)["receipt"])
            elif status == 0:
                return

    voters = town.voters[-4000:]
    threads = [threading.Thread(target=work, args=(voters[n::16],)) for n in range(16)]
    for thread in threads:
        thread.start()
    time.sleep(3)
    for pid in server_pids(server):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
    stop.set()
    for thread in threads:
        thread.join()
    server.wait(timeout=30)
    receipts = set(StagedBallot.objects.filter(election_id=election_id).values_list("receipt", flat=True))
    receipts |= set(Ballot.objects.filter(election_id=election_id).values_list("receipt", flat=True))
    lost = [r for r in acknowledged if r not in receipts]
    signed = RollEntry.objects.filter(election_id=election_id, channel="online").count()
    result = {
        "acknowledged": len(acknowledged),
        "lost": len(lost),
        "emargements": signed,
        "ballots": len(receipts),
        "emargements_without_ballot": signed - len(receipts),
    }
    result["holds"] = not lost and signed == len(receipts)
    print(json.dumps({"kill_9": result}, ensure_ascii=False), flush=True)
    return result


class RssSampler:
    """The resident memory of this process, sampled every 50 ms while the block runs (its peak, and before)."""

    def __init__(self) -> None:
        import psutil

        self.process = psutil.Process()
        self.before = self.peak = 0
        self.stop = threading.Event()

    def __enter__(self) -> RssSampler:
        self.before = self.peak = self.process.memory_info().rss
        self.thread = threading.Thread(target=self.sample, daemon=True)
        self.thread.start()
        return self

    def sample(self) -> None:
        while not self.stop.wait(0.05):
            self.peak = max(self.peak, self.process.memory_info().rss)

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.thread.join()
        self.peak = max(self.peak, self.process.memory_info().rss)


def counting(town: Town, size: int) -> dict[str, Any]:
    """``size`` émargements and ballots written in bulk, then closed and counted (receipts published)."""
    from django.db import connection

    from participe.ballots import services
    from participe.ballots.models import Election

    question = votation(town, "depouillement")
    election = question.election
    Election.objects.filter(pk=election.pk).update(publish_receipts=True)
    options = list(question.options.values_list("pk", flat=True))
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO ballots_rollentry (election_id, channel, at) SELECT %s, 'online', now() FROM generate_series(1, %s)",
            [election.pk, size],
        )
        cursor.execute(
            "INSERT INTO ballots_ballot (id, election_id, content, kind, channel, receipt, day) "
            "SELECT gen_random_uuid(), %s, jsonb_build_object('choices', jsonb_build_array((%s::bigint[])[1 + (n %% 4)])), "
            "'valid', 'online', upper(substr(md5(n::text), 1, 4) || '-' || substr(md5(n::text), 5, 4) || '-' || substr(md5(n::text), 9, 4)), current_date "
            "FROM generate_series(1, %s) AS n",
            [election.pk, options, size],
        )
        cursor.execute("ANALYZE ballots_ballot")
    services.election_close(actor=town.admin, election=election)
    sampler = RssSampler()
    began = time.perf_counter()
    with sampler:
        counted = services.election_count(actor=town.admin, election=election)
    seconds = time.perf_counter() - began
    result = {
        "ballots": counted.totals["ballots"],
        "seconds": round(seconds, 1),
        "rss_before_mb": round(sampler.before / 1_048_576, 1),
        "peak_rss_growth_mb": round((sampler.peak - sampler.before) / 1_048_576, 1),
        "tally_file_mb": round(counted.tally_file.size / 1_048_576, 1),
    }
    print(json.dumps({"counting": result}, ensure_ascii=False), flush=True)
    return result


def main() -> None:
    args = parse_args()
    env = environment()
    database = prepare_database()
    setup()
    from bench.run import VAR, start_server, stop_server

    VAR.mkdir(parents=True, exist_ok=True)
    town = build_town(100 if args.only_count else args.voters)
    report: dict[str, Any] = {
        "date": datetime.datetime.now().isoformat(timespec="minutes"),
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "load_average_before": os.getloadavg(),
    }
    if not args.only_count:
        server, base = start_server(env, args.workers, args.port)
        report["throughput"] = throughput(args, town, base, server, database)
        if args.duplicates:
            report["duplicates"] = duplicates(args, town, base)
        report["kill_9"] = kill_nine(town, base, server)
        stop_server(server)
    if args.count:
        report["counting"] = counting(town, args.count)
    report["load_average_after"] = os.getloadavg()
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{datetime.date.today().isoformat()}-ballots.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Written to {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
