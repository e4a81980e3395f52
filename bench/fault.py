"""Fault test (PostgreSQL only): writes under load while gunicorn is killed, then restarted as a supervisor would.

Usage (from the project root; the database is dropped and created again):

    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/participe_fault .venv/bin/python bench/fault.py

Options: --clients 16 --workers 4 --seconds 14 --proposals 200 --port (default: a free loopback port).

gunicorn serves the production settings (DEBUG off, ``bench.settings``) with N sync workers. ``--clients`` residents,
each with a real session row and one keep-alive connection (their session cookie, a CSRF cookie and header, as a
browser sends them), write as fast as answers come through the API: a support (``POST /api/v1/supports/…``) then a
comment (``POST /api/v1/comments/…``) on the proposals of an idea box in its deposit phase. Meanwhile:

1. after a quarter of the run, one worker is killed with SIGKILL (the master starts another);
2. at the half, the master is killed with SIGKILL, and what a supervisor does follows at once — systemd's
   ``KillMode=mixed`` when the main process is gone (deploy/systemd/participe-web.service): SIGKILL to the processes
   left in the group (the orphaned workers), then a new gunicorn on the same port.

Then it checks what the platform promises: every write acknowledged (a support answered 200 "supported", a comment
answered 201 with its id) is in the database; the denormalised counters (``supports_count``, ``comments_count``)
equal the rows; and no answer was a 5xx. Connections refused or cut while a process is being killed are not answers:
they are counted apart, with the seconds the service was down. Results: printed, and written to
bench/results/<date>-fault.json (docs/benchmarks.md, "Fault test").
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import http.client
import itertools
import json
import os
import secrets
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
VAR = ROOT / "var" / "bench"
BIN = Path(sys.executable).parent


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=14.0)
    parser.add_argument("--proposals", type=int, default=200)
    parser.add_argument("--port", type=int, default=0)
    return parser.parse_args()


def environment() -> dict[str, str]:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres:", "postgresql:")):
        raise SystemExit("DATABASE_URL must name a PostgreSQL database (it is dropped and created again).")
    VAR.mkdir(parents=True, exist_ok=True)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "bench.settings",
            "DJANGO_DEBUG": "0",
            "SITE_URL": "http://127.0.0.1:8000",
            "SECRET_KEY": secrets.token_urlsafe(64),
            "ALLOWED_HOSTS": "127.0.0.1,localhost",
            "STATIC_ROOT": str(VAR / "static"),
            "MEDIA_ROOT": str(VAR / "media"),
            "PARTICIPE_VAR_DIR": str(VAR),
            "PYTHONPATH": str(ROOT),
        }
    )
    return dict(os.environ)


def prepare_database() -> None:
    import psycopg

    parts = urlsplit(os.environ["DATABASE_URL"])
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    call_command("createcachetable", verbosity=0)


# --- data ------------------------------------------------------------------------------------------------------
@dataclass
class Town:
    content_type_id: int
    proposals: list[int]
    residents: list[tuple[int, str]] = field(default_factory=list)  # (user id, session key)


def build_town(clients: int, proposals: int) -> Town:
    """An idea box in its deposit phase (supports and comments open), ``proposals`` published proposals and
    ``clients`` residents with a session each."""
    from django.contrib.contenttypes.models import ContentType
    from django.contrib.sessions.backends.db import SessionStore
    from django.contrib.sessions.models import Session
    from django.utils import timezone

    from participe.accounts.models import User
    from participe.modules.proposals.models import Proposal
    from participe.spaces.models import Module, Phase, Space

    now = timezone.now()
    space = Space.objects.create(
        title="Budget participatif (banc de pannes)", slug="banc-de-pannes", status=Space.Status.PUBLISHED,
        start_date=now.date(), end_date=(now + datetime.timedelta(days=30)).date(),
    )  # fmt: skip
    module = Module.objects.create(space=space, module_type="proposals", title="Boîte à idées", slug="idees")
    Phase.objects.create(
        module=module, phase_type="depot", name="Dépôt", start=now - datetime.timedelta(days=1),
        end=now + datetime.timedelta(days=30),
    )  # fmt: skip
    users = User.objects.bulk_create(
        [User(email=f"resident-{n}@panne.example", pseudonym=f"resident-{n}", password="!") for n in range(clients)]
    )
    author = User.objects.create(email="auteur@panne.example", pseudonym="auteur-panne", password="!")
    items = Proposal.objects.bulk_create(
        [
            Proposal(module=module, reference=n + 1, title=f"Des bancs à l'ombre, place n° {n}", body="<p>Ombre.</p>",
                     author=author, status=Proposal.Status.PUBLISHED, published_at=now, shuffle=n)
            for n in range(proposals)
        ]
    )  # fmt: skip
    town = Town(ContentType.objects.get_for_model(Proposal).pk, [p.pk for p in items])
    store, expire = SessionStore(), timezone.now() + datetime.timedelta(days=1)
    for user in users:
        key = secrets.token_hex(16)
        data = {
            "_auth_user_id": str(user.pk),
            "_auth_user_backend": "allauth.account.auth_backends.AuthenticationBackend",
            "_auth_user_hash": user.get_session_auth_hash(),
        }
        Session.objects.create(session_key=key, session_data=store.encode(data), expire_date=expire)
        town.residents.append((user.pk, key))
    return town


# --- the server --------------------------------------------------------------------------------------------------
def start_server(env: dict[str, str], workers: int, port: int) -> subprocess.Popen[bytes]:
    log = open(VAR / "fault-gunicorn.log", "ab")  # noqa: SIM115 (kept open for the server's lifetime)
    return subprocess.Popen(
        [str(BIN / "gunicorn"), "participe.wsgi:application", f"--bind=127.0.0.1:{port}", f"--workers={workers}",
         "--worker-class=sync", "--log-level=warning", "--timeout=60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip


def wait_ready(port: int, timeout: float = 60.0) -> float:
    """Seconds until the server answers an API read."""
    began = time.monotonic()
    while time.monotonic() - began < timeout:
        with contextlib.suppress(OSError, http.client.HTTPException):
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/api/v1/spaces")
            if conn.getresponse().status == 200:
                return time.monotonic() - began
        time.sleep(0.05)
    raise SystemExit(f"gunicorn did not answer within {timeout:.0f} s (see var/bench/fault-gunicorn.log)")


def children(pid: int) -> list[int]:
    import psutil

    with contextlib.suppress(psutil.Error):
        return [p.pid for p in psutil.Process(pid).children()]
    return []


def kill_group(pgid: int) -> None:
    """What systemd does with ``KillMode=mixed`` once the main process is gone: SIGKILL to every process left."""
    with contextlib.suppress(ProcessLookupError):
        os.killpg(pgid, signal.SIGKILL)


# --- the clients -------------------------------------------------------------------------------------------------
@dataclass
class Log:
    began: float = field(default_factory=time.monotonic)
    answers: list[tuple[float, str, int]] = field(default_factory=list)  # (seconds, kind, status; 0: no answer)
    supports: list[tuple[int, int]] = field(default_factory=list)  # acknowledged (user id, proposal id)
    comments: list[int] = field(default_factory=list)  # acknowledged comment ids
    lock: threading.Lock = field(default_factory=threading.Lock)

    refusals: dict[str, str] = field(default_factory=dict)  # the first 4xx body of each kind, to say why

    def note(self, kind: str, status: int, body: bytes = b"") -> None:
        with self.lock:
            self.answers.append((time.monotonic() - self.began, kind, status))
            if 400 <= status < 500:
                self.refusals.setdefault(kind, body.decode(errors="replace")[:300])


class Client:
    def __init__(self, port: int, session_key: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        self.csrf = secrets.token_hex(16)
        self.cookie = f"sessionid={session_key}; csrftoken={self.csrf}"

    def post(self, path: str, payload: dict[str, Any] | None = None) -> tuple[int, bytes]:
        body = json.dumps(payload).encode() if payload is not None else b""
        headers = {"Cookie": self.cookie, "X-CSRFToken": self.csrf, "Content-Type": "application/json"}
        try:
            self.conn.request("POST", path, body=body, headers=headers)
            response = self.conn.getresponse()
            return response.status, response.read()
        except (OSError, http.client.HTTPException):
            self.conn.close()  # the next request opens a new connection
            return 0, b""


def write(town: Town, resident: tuple[int, str], port: int, log: Log, stop: threading.Event) -> None:
    """Support the proposals one after the other, commenting each, until told to stop."""
    user_id, session_key = resident
    client = Client(port, session_key)
    for n, proposal in enumerate(town.proposals * 100):
        if stop.is_set():
            return
        status, body = client.post(f"/api/v1/supports/{town.content_type_id}/{proposal}")
        log.note("support", status, body)
        if status == 200 and json.loads(body).get("supported"):
            with log.lock:
                log.supports.append((user_id, proposal))
        if status == 0:
            time.sleep(0.05)  # the server is down: a browser would not retry faster
        text = f"Avis {user_id}-{n} : d'accord, et il faudrait aussi de l'ombre."
        status, body = client.post(
            f"/api/v1/comments/{town.content_type_id}/{proposal}", {"body": text, "stance": "favorable"}
        )
        log.note("comment", status, body)
        if status == 201:
            with log.lock:
                log.comments.append(int(json.loads(body)["id"]))
        if status == 0:
            time.sleep(0.05)


# --- the run -----------------------------------------------------------------------------------------------------
def run(args: argparse.Namespace, env: dict[str, str], town: Town, port: int) -> dict[str, Any]:
    server = start_server(env, args.workers, port)
    wait_ready(port)
    log, stop = Log(), threading.Event()
    threads = [threading.Thread(target=write, args=(town, r, port, log, stop)) for r in town.residents]
    for thread in threads:
        thread.start()
    events: dict[str, float] = {}
    time.sleep(args.seconds / 4)
    worker = children(server.pid)[0]
    events["worker_killed"] = time.monotonic() - log.began
    os.kill(worker, signal.SIGKILL)
    time.sleep(args.seconds / 4)
    events["master_killed"] = time.monotonic() - log.began
    os.kill(server.pid, signal.SIGKILL)
    kill_group(server.pid)  # the supervisor: no orphaned worker keeps serving
    server.wait(timeout=30)
    server = start_server(env, args.workers, port)
    events["restarted_in"] = wait_ready(port)
    events["serving_again"] = time.monotonic() - log.began
    time.sleep(max(args.seconds / 2 - events["restarted_in"], 3.0))
    stop.set()
    for thread in threads:
        thread.join()
    server.send_signal(signal.SIGTERM)
    server.wait(timeout=60)
    return check(town, log, events)


def check(town: Town, log: Log, events: dict[str, float]) -> dict[str, Any]:
    from django.db.models import Count

    from participe.comments.models import Comment
    from participe.modules.proposals.models import Proposal
    from participe.supports.models import Support

    stored_supports = set(
        Support.objects.filter(content_type_id=town.content_type_id).values_list("user_id", "object_id")
    )
    stored_comments = set(Comment.objects.filter(pk__in=log.comments).values_list("pk", flat=True))
    supports_of = dict(
        Support.objects.filter(content_type_id=town.content_type_id)
        .values("object_id")
        .annotate(n=Count("pk"))
        .values_list("object_id", "n")
    )
    comments_of = dict(
        Comment.objects.filter(object_id__in=town.proposals, content_type_id=town.content_type_id)
        .values("object_id")
        .annotate(n=Count("pk"))
        .values_list("object_id", "n")
    )
    wrong_counters = [
        p.pk
        for p in Proposal.objects.filter(pk__in=town.proposals)
        if p.supports_count != supports_of.get(p.pk, 0) or p.comments_count != comments_of.get(p.pk, 0)
    ]
    statuses: dict[str, int] = {}
    for _at, _kind, status in log.answers:
        statuses[str(status)] = statuses.get(str(status), 0) + 1
    down = [at for at, _kind, status in log.answers if status == 0]
    timeline: dict[int, list[int]] = {}  # second -> [answered, not answered]
    for at, _kind, status in log.answers:
        timeline.setdefault(int(at), [0, 0])[0 if status else 1] += 1
    answered = sorted(at for at, _kind, status in log.answers if status)
    gaps = [later - earlier for earlier, later in itertools.pairwise(answered)]
    result = {
        "events_s": {k: round(v, 2) for k, v in events.items()},
        "requests": len(log.answers),
        "statuses": statuses,
        "server_errors": sum(1 for _at, _kind, status in log.answers if status >= 500),
        "client_errors": sum(1 for _at, _kind, status in log.answers if 400 <= status < 500),
        "first_refusals": log.refusals,
        "no_answer": len(down),
        "no_answer_between_s": [round(min(down), 2), round(max(down), 2)] if down else None,
        "longest_without_an_answer_s": round(max(gaps, default=0.0), 2),
        "per_second_answered_unanswered": " ".join(f"{t}:{a}/{u}" for t, (a, u) in sorted(timeline.items())),
        "supports_acknowledged": len(log.supports),
        "supports_lost": len(set(log.supports) - stored_supports),
        "comments_acknowledged": len(log.comments),
        "comments_lost": len(set(log.comments) - stored_comments),
        "counters_wrong": len(wrong_counters),
    }
    result["holds"] = (
        result["server_errors"] == 0
        and result["client_errors"] == 0
        and result["supports_acknowledged"] > 0
        and result["comments_acknowledged"] > 0
        and result["supports_lost"] == 0
        and result["comments_lost"] == 0
        and result["counters_wrong"] == 0
    )
    return result


def main() -> None:
    args = parse_args()
    env = environment()
    prepare_database()
    import psutil  # noqa: F401 (needed to find the workers: fail before the run, not in it)

    town = build_town(args.clients, args.proposals)
    port = args.port or free_port()
    report: dict[str, Any] = {
        "date": datetime.datetime.now().isoformat(timespec="minutes"),
        "cpus": os.cpu_count(),
        "workers": args.workers,
        "clients": args.clients,
        "seconds": args.seconds,
        "load_average_before": os.getloadavg(),
    }
    report["fault"] = run(args, env, town, port)
    report["load_average_after"] = os.getloadavg()
    print(json.dumps(report["fault"], indent=2, ensure_ascii=False), flush=True)
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / f"{datetime.date.today().isoformat()}-fault.json"
    out.write_text(json.dumps(report, indent=2, ensure_ascii=False))
    print(f"Written to {out.relative_to(ROOT)}; {'holds' if report['fault']['holds'] else 'FAILED'}")
    if not report["fault"]["holds"]:
        sys.exit(1)


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


if __name__ == "__main__":
    main()
