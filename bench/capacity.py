"""Capacity: an open-model run at constant arrival rates stepped up, for the mix of issue #12.

    BENCH_DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/participe_bench \\
        .venv/bin/python bench/capacity.py --manifest var/bench/manifest.json [--rates 50,100,200,300,400]
        [--seconds 30] [--workers 2] [--threads 4] [--max-requests 5000] [--signed-in 0.1] [--no-page-cache]

The database must hold a volume (``seed_volume … --manifest FILE``; ``make bench`` writes one in var/bench/). The
server is gunicorn with the settings of docs/deployment.md (« Gunicorn on two cores ») over production settings
(bench/settings.py). Each step sends requests at a constant rate, whatever the answers' times (an open model: a
slow server does not slow the arrivals down):

- ~90 % anonymous reads (home, list of démarches, a démarche, proposal lists, proposals, debate questions, maps and
  their GeoJSON feeds, search) by ``wrk`` with a Lua script (bench/capacity.lua): the URLs weighted, each wrk
  thread sending on a schedule of fixed intervals (``delay()`` returns the time left to the next slot, read from
  the clock). wrk has no constant-rate mode (wrk2 has, Debian does not package it); with enough connections the
  schedule holds; when every connection is busy a send comes late and is counted (``late``), and the step's
  throughput falls short of its rate: such a step never "holds".
- ~10 % signed-in reads and writes (a proposal signed in, a support and its withdrawal in htmx, a comment with a
  stance, a questionnaire's first page answered) by threads of this process, on their own schedule; their latency
  counts from the scheduled moment (queueing in the generator included).

Per step: throughput, p50/p95/p99 (the two parts merged), errors, the CPU of the app (gunicorn's processes and the
task worker, ``db_worker``, started with it: what a write leaves to the worker — the followers told of a comment,
emails — counts), of the database (the PostgreSQL backends of this database) and of the load generator (wrk and
this process), the load average. The last line names the highest step holding p95 < 150 ms with no error and its
rate reached.
Results: bench/results/capacity-<date>.json and .md.
"""

from __future__ import annotations

import argparse
import datetime
import html
import json
import os
import queue
import random
import re
import resource
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import run  # noqa: E402

LUA = ROOT / "bench" / "capacity.lua"
CLK_TCK = os.sysconf("SC_CLK_TCK")
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
SUPPORT_FORM = re.compile(r'action="(/soutiens/\d+/\d+/(?:soutenir|retirer)/)" class="support__form"')
COMMENT_FORM = re.compile(r'action="(/commentaires/\d+/\d+/ajouter/)"')
SEARCH_WORDS = ["vélo", "parc", "école", "arbres", "quartier", "bus", "jardin"]
P95_GOAL_MS = 150.0
HTTP_REQUESTS = {"read": 1, "support": 2, "comment": 2, "answer": 2}
ACCESS_LOG = ROOT / "var" / "bench" / "capacity-access.log"
_KINDS = (
    ("search", re.compile(r"^/recherche/")),
    ("feed", re.compile(r"\.geojson")),
    ("proposal", re.compile(r"/propositions/\d+/")),
    ("write", re.compile(r"^/(soutiens|commentaires)/")),
    ("questionnaire", re.compile(r"/repondre/")),
    ("module", re.compile(r"^/demarches/[^/]+/[^/]+/")),
    ("démarche", re.compile(r"^/demarches/[^/]+/")),
    ("lists and home", re.compile(r"^/(demarches/)?(\?|$)")),
)


def summarise_access(path: Path = ACCESS_LOG) -> list[str]:
    """Requests, median and p95 time and the share of the total time, per kind of page and reader (signed in: a
    session cookie), from gunicorn's access log."""
    import statistics

    times: dict[tuple[str, str], list[float]] = {}
    for line in path.read_text(errors="replace").splitlines():
        parts = line.split(" ", 3)
        if len(parts) < 3 or not parts[2].isdigit():
            continue
        url, status, micros = parts[0], parts[1], int(parts[2])
        kind = next((name for name, pattern in _KINDS if pattern.search(url)), "other")
        who = "signed in" if len(parts) > 3 and "sessionid" in parts[3] else "anonymous"
        times.setdefault((kind, who if status != "304" else who + " 304"), []).append(micros / 1000)
    total = sum(sum(v) for v in times.values()) or 1
    lines = [
        "| page | reader | requests | p50 ms | p95 ms | share of the time |",
        "| --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for (kind, who), values in sorted(times.items(), key=lambda kv: -sum(kv[1])):
        values.sort()
        p95 = values[min(len(values) - 1, int(0.95 * len(values)))]
        lines.append(
            f"| {kind} | {who} | {len(values)} | {statistics.median(values):.1f} | {p95:.1f} |"
            f" {100 * sum(values) / total:.0f} % |"
        )
    return lines


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description="Open-model capacity run (wrk + signed-in threads).")
    parser.add_argument(
        "--manifest",
        type=Path,
        help="seed_volume's --manifest file (default: the one `make bench` wrote for this database)",
    )
    parser.add_argument("--rates", default="50,100,200,300,400", help="requests per second, one step each")
    parser.add_argument("--seconds", type=int, default=30, help="length of each step")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per worker (gthread when > 1)")
    parser.add_argument("--max-requests", type=int, default=20000, help="gunicorn --max-requests (0: never)")
    parser.add_argument("--signed-in", type=float, default=0.1, help="share of signed-in requests")
    parser.add_argument("--sessions", type=int, default=24, help="signed-in accounts (signed in before the steps)")
    parser.add_argument("--respondents", type=int, default=30, help="fresh accounts answering a questionnaire")
    parser.add_argument("--no-page-cache", action="store_true", help="serve with PARTICIPE_PAGE_CACHE=0")
    parser.add_argument("--warmup", type=int, default=20, help="seconds of traffic at the first rate, not measured")
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument(
        "--access-log",
        action="store_true",
        help="log every request (var/bench/capacity-access.log) and print the time per kind of page and reader",
    )
    return parser.parse_args()


# --- CPU accounting -------------------------------------------------------------------------------------------
def proc_cpu(pid: int, children: bool = False) -> float:
    """CPU seconds of a process (with its waited-for children's when asked), 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return 0.0
    ticks = int(fields[11]) + int(fields[12]) + ((int(fields[13]) + int(fields[14])) if children else 0)
    return ticks / CLK_TCK


def children_of(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except FileNotFoundError:
        return []


class CpuSampler(threading.Thread):
    """Samples, every ``interval`` s, the CPU of gunicorn (master with its exited workers, live workers) and of the
    PostgreSQL backends of the database: the last reading of each backend counts, even after it is gone."""

    def __init__(self, master: int, database_url: str, interval: float = 1.0, others: tuple[int, ...] = ()) -> None:
        super().__init__(daemon=True)
        self.master, self.interval = master, interval
        self.others = others  # the task worker: what the requests leave to it is part of their cost
        self.database_url = database_url
        self.backends: dict[int, float] = {}
        self.workers: dict[int, float] = {}
        self.stop_event = threading.Event()
        self.lock = threading.Lock()

    def _backend_pids(self) -> list[int]:
        if not self.database_url.startswith(("postgres:", "postgresql:")):
            return []
        import psycopg

        name = urlsplit(self.database_url).path.lstrip("/")
        with psycopg.connect(self.database_url, autocommit=True) as conn:
            rows = conn.execute(
                "select pid from pg_stat_activity where datname = %s and pid <> pg_backend_pid()", [name]
            ).fetchall()
        return [int(r[0]) for r in rows]

    def sample(self) -> None:
        backends = {pid: proc_cpu(pid) for pid in self._backend_pids()}
        workers = {pid: proc_cpu(pid) for pid in [*children_of(self.master), *self.others]}
        with self.lock:
            self.backends.update({p: c for p, c in backends.items() if c})
            self.workers.update({p: c for p, c in workers.items() if c})

    def totals(self) -> tuple[float, float]:
        """(app, database) CPU seconds so far; a worker that exited counts through the master's children time."""
        self.sample()
        with self.lock:
            live = {*children_of(self.master), *self.others}
            app = proc_cpu(self.master, children=True) + sum(c for p, c in self.workers.items() if p in live)
            return app, sum(self.backends.values())

    def run(self) -> None:
        while not self.stop_event.wait(self.interval):
            try:
                self.sample()
            except Exception as exc:  # a failed sample is skipped, the run goes on
                print(f"cpu sample failed: {exc}", file=sys.stderr)


# --- the anonymous part: wrk -----------------------------------------------------------------------------------
def anonymous_paths(data: dict[str, Any]) -> list[tuple[str, int]]:
    """(path, weight): what visitors arriving from a link read."""
    spaces = [f"/demarches/{slug}/" for slug in data.get("spaces", [])[:20]]
    maps = data.get("proposal_maps", [])
    weighted: list[tuple[list[str], int]] = [
        (["/"], 10),
        (["/demarches/", "/demarches/?quand=ongoing"], 8),
        (spaces, 8),
        (data.get("proposal_lists", []), 20),
        (data.get("proposals", []), 25),
        (data.get("debate_subjects", []) + data.get("debates", []), 12),
        (maps, 3),
        ([m + "propositions.geojson" for m in maps], 4),
        ([f"/recherche/?q={w}" for w in SEARCH_WORDS], 5),
    ]
    out: list[tuple[str, int]] = []
    for paths, weight in weighted:
        for path in paths:
            out.append((path, max(1, round(100 * weight / len(paths)))))
    return out


def write_paths(paths: list[tuple[str, int]], target: Path) -> None:
    """One "weight path" line each, the path percent-encoded (wrk sends it as it is)."""
    lines = [f"{w} {quote(p, safe='/?=&%:+')}" for p, w in paths]
    target.write_text("\n".join(lines) + "\n", encoding="utf-8")


def run_wrk(base: str, rate: float, seconds: int, paths_file: Path) -> dict[str, Any]:
    """One wrk run at ``rate`` requests/s; its JSON summary (bench/capacity.lua's ``done``)."""
    threads = 2
    connections = max(8, min(256, int(rate * 0.4)))  # room for 400 ms of answers at this rate
    out = run.VAR / "wrk-summary.json"
    out.unlink(missing_ok=True)
    command = [
        "wrk",
        f"-t{threads}",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout=10s",
        "-s",
        str(LUA),
        base + "/",
    ]
    env = {
        **os.environ,
        "LC_ALL": "C",
        "CAPACITY_PATHS": str(paths_file),
        "CAPACITY_INTERVAL_MS": str(1000.0 * threads / rate),  # between two sends of one wrk thread
        "CAPACITY_OUT": str(out),
    }
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    if done.returncode or not out.exists():
        raise SystemExit(f"wrk failed ({done.returncode}): {done.stderr.strip() or done.stdout.strip()}")
    return dict(json.loads(out.read_text()))


# --- the signed-in part: scheduled threads ---------------------------------------------------------------------
@dataclass
class Result:
    kind: str
    latency_ms: float
    ok: bool


@dataclass
class SignedIn:
    base: str
    data: dict[str, Any]
    sessions: list[Any] = field(default_factory=list)
    respondents: list[Any] = field(default_factory=list)
    results: list[Result] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)  # what the acts that raised said, this step
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sign_in(self, email: str) -> Any:
        import requests

        session = requests.Session()
        page = session.get(self.base + "/compte/login/", timeout=30).text
        token = CSRF.search(page)
        answer = session.post(
            self.base + "/compte/login/",
            data={
                "login": email,
                "password": self.data["password"],
                "csrfmiddlewaretoken": token.group(1) if token else "",
            },
            headers={"Referer": self.base + "/compte/login/"},
            allow_redirects=False,
            timeout=30,
        )
        return session if answer.status_code == 302 else None

    def prepare(self, count: int, respondents: int) -> None:
        accounts = self.data.get("accounts", {})
        emails = (accounts.get("verified") or []) + (accounts.get("participant") or [])
        self.sessions = [s for s in (self.sign_in(e) for e in emails[:count]) if s is not None]
        fresh = self.data.get("respondents", [])[:respondents] if self.data.get("questionnaires") else []
        self.respondents = [s for s in (self.sign_in(e) for e in fresh) if s is not None]

    def _post(self, session: Any, url: str, data: dict[str, str], referer: str, htmx: bool = False) -> bool:
        headers = {"Referer": self.base + referer}
        if htmx:
            headers |= {"HX-Request": "true", "HX-Current-URL": self.base + referer}
        answer = session.post(self.base + url, data=data, headers=headers, allow_redirects=False, timeout=30)
        return answer.status_code in ((200,) if htmx else (302, 303))

    def one(self) -> tuple[str, bool]:
        """One signed-in act, drawn from the mix: reads 50 %, supports 25 %, comments 15 %, answers 10 %."""
        session = random.choice(self.sessions)
        url = random.choice(self.data["proposals"])
        draw = random.random()
        if draw < 0.10 and self.respondents:
            return "answer", self._answer()
        page = session.get(self.base + url, timeout=30)
        if not page.ok:
            return "read", False
        if draw < 0.60:
            return "read", True
        found_token = CSRF.search(page.text)
        token = found_token.group(1) if found_token else ""
        if draw < 0.85:
            found = SUPPORT_FORM.search(page.text)
            return "support", bool(found) and self._post(
                session, found.group(1), {"csrfmiddlewaretoken": token, "next": url}, url, htmx=True
            )
        found = COMMENT_FORM.search(page.text)
        body = " ".join(random.choice(SEARCH_WORDS) for _ in range(20)) + f" {random.randrange(10**9)}."
        data = {
            "csrfmiddlewaretoken": token,
            "stance": random.choice(["favorable", "neutral", "unfavorable"]),
            "body": body,
        }
        return "comment", bool(found) and self._post(session, found.group(1), data, url)

    def _answer(self) -> bool:
        """A fresh respondent answers the first page of a questionnaire (each respondent once)."""
        from bench.forms import fill_form, read_form

        with self.lock:
            session = self.respondents.pop() if self.respondents else None
        if session is None:
            return True
        url = random.choice(self.data["questionnaires"]) + "repondre/1/"
        text = session.get(self.base + url, timeout=30).text
        # An answer may add a question to the same page (without JavaScript the page comes back with it, answered
        # 200, « une question s'ajoute sur cette page »): the respondent answers it and sends the page again.
        kept: list[tuple[str, str]] = []
        for _attempt in range(3):
            form = read_form(text, "/repondre/")
            # Sent again, the page keeps the answers already given (as the browser shows them) and answers the rest.
            hidden = {f["name"] for f in form.fields if f.get("type") == "hidden"}
            given = {name for name, _value in kept}
            fresh = fill_form(form)
            kept = [(n, v) for n, v in kept if n not in hidden] + [
                (n, v) for n, v in fresh if n in hidden or n not in given
            ]
            data = [*kept, ("action", "next")]  # a list: a name may come several times (each question shown)
            answer = session.post(
                self.base + (form.action or url),
                data=data,
                headers={"Referer": self.base + url},
                allow_redirects=False,
                timeout=30,
            )
            if answer.status_code in (302, 303):
                return True
            if answer.status_code != 200 or "s'ajoute sur cette page" not in html.unescape(answer.text):
                return False
            text = answer.text
        return False

    def run_step(self, rate: float, seconds: int, workers: int = 12) -> None:
        """Acts at ``rate`` per second for ``seconds``, on a fixed schedule; latency from the scheduled time."""
        self.results = []
        self.failures = []
        if rate <= 0 or not self.sessions:
            return
        jobs: queue.Queue[float | None] = queue.Queue()

        def worker() -> None:
            while (scheduled := jobs.get()) is not None:
                try:
                    kind, ok = self.one()
                except Exception as exc:  # a failed request counts as an error, and says which
                    kind, ok = "error", False
                    with self.lock:
                        self.failures.append(f"{type(exc).__name__}: {exc}"[:300])
                with self.lock:
                    self.results.append(Result(kind, (time.monotonic() - scheduled) * 1000, ok))

        pool = [threading.Thread(target=worker, daemon=True) for _ in range(workers)]
        for t in pool:
            t.start()
        start, n = time.monotonic(), 0
        while (at := start + n / rate) < start + seconds:
            time.sleep(max(0.0, at - time.monotonic()))
            jobs.put(at)
            n += 1
        for _ in pool:
            jobs.put(None)
        for t in pool:
            t.join(timeout=60)


# --- one step -------------------------------------------------------------------------------------------------
def merged_percentiles(wrk: dict[str, Any], signed: list[Result]) -> dict[str, float]:
    """p50/p95/p99 of both parts: wrk's distribution read at 1,000 quantiles, each standing for its share of
    wrk's requests, with every signed-in latency."""
    samples: list[tuple[float, float]] = []
    quantiles = wrk.get("quantiles_ms", [])
    weight = wrk["requests"] / len(quantiles) if quantiles else 0
    samples += [(q, weight) for q in quantiles]
    samples += [(r.latency_ms, 1.0) for r in signed]
    samples.sort()
    total = sum(w for _v, w in samples)
    found: dict[str, float] = {}
    for name, p in (("p50", 0.50), ("p95", 0.95), ("p99", 0.99)):
        acc = 0.0
        for value, w in samples:
            acc += w
            if acc >= p * total:
                found[name] = round(value, 1)
                break
    return found


def step(
    args: argparse.Namespace, base: str, rate: float, paths_file: Path, sampler: CpuSampler, signed: SignedIn
) -> dict[str, Any]:
    anonymous_rate = rate * (1 - args.signed_in)
    load_before = os.getloadavg()
    app0, db0 = sampler.totals()
    self0 = resource.getrusage(resource.RUSAGE_SELF)
    kids0 = resource.getrusage(resource.RUSAGE_CHILDREN)
    signed_thread = threading.Thread(target=signed.run_step, args=(rate * args.signed_in, args.seconds), daemon=True)
    signed_thread.start()
    started = time.monotonic()
    wrk = run_wrk(base, anonymous_rate, args.seconds, paths_file)
    signed_thread.join()
    elapsed = time.monotonic() - started
    app1, db1 = sampler.totals()
    self1 = resource.getrusage(resource.RUSAGE_SELF)
    kids1 = resource.getrusage(resource.RUSAGE_CHILDREN)
    wrk_cpu = (kids1.ru_utime + kids1.ru_stime) - (kids0.ru_utime + kids0.ru_stime)
    own_cpu = (self1.ru_utime + self1.ru_stime) - (self0.ru_utime + self0.ru_stime)
    signed_errors = sum(1 for r in signed.results if not r.ok)
    # A signed-in act is one request (a read) or two (the page, then the form posted): the server's work.
    signed_requests = sum(HTTP_REQUESTS.get(r.kind, 1) for r in signed.results)
    requests = wrk["requests"] + signed_requests
    app, db = app1 - app0, db1 - db0
    return {
        "rate": rate,
        "throughput": round(requests / elapsed, 1),
        "requests": requests,
        "anonymous": wrk["requests"],
        "signed_in": signed_requests,
        "signed_in_acts": len(signed.results),
        "signed_in_kinds": {
            k: sum(1 for r in signed.results if r.kind == k) for k in ("read", "support", "comment", "answer")
        },
        "errors": wrk["errors"] + signed_errors,
        "errors_by_kind": {"anonymous": wrk["errors"]}
        | {
            k: sum(1 for r in signed.results if r.kind == k and not r.ok)
            for k in ("read", "support", "comment", "answer", "error")
        },
        "error_details": signed.failures[:5],
        "late_sends": wrk.get("late", 0),
        **merged_percentiles(wrk, signed.results),
        "anonymous_p95": wrk.get("p95_ms"),
        "cpu_app_s": round(app, 2),
        "cpu_db_s": round(db, 2),
        "cpu_generator_s": round(wrk_cpu + own_cpu, 2),
        "cpu_app_ms_per_request": round(1000 * app / requests, 2) if requests else None,
        "cpu_db_ms_per_request": round(1000 * db / requests, 2) if requests else None,
        "load_average": [round(load_before[0], 2), round(os.getloadavg()[0], 2)],
        "seconds": round(elapsed, 1),
    }


def holds(row: dict[str, Any]) -> bool:
    return row.get("p95", 1e9) < P95_GOAL_MS and row["errors"] == 0 and row["throughput"] >= 0.95 * row["rate"]


def markdown(result: dict[str, Any]) -> str:
    lines = [
        f"Capacity {result['date']}: {result['database']}, {result['cpus']} cores, gunicorn {result['gunicorn']}, "
        f"page cache {'on' if result['page_cache'] else 'off'}, {result['seconds']} s per step, commit {result['commit']}",
        "",
        "| rate | req/s | errors | late | p50 | p95 | p99 | app CPU (ms/req) | db CPU (ms/req) | generator CPU | load |",
        "| ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for r in result["steps"]:
        seconds = r["seconds"]
        lines.append(
            f"| {r['rate']:g} | {r['throughput']} | {r['errors']} | {r['late_sends']} | {r.get('p50')} | {r.get('p95')} | "
            f"{r.get('p99')} | {100 * r['cpu_app_s'] / seconds:.0f} % ({r['cpu_app_ms_per_request']}) | "
            f"{100 * r['cpu_db_s'] / seconds:.0f} % ({r['cpu_db_ms_per_request']}) | "
            f"{100 * r['cpu_generator_s'] / seconds:.0f} % | {r['load_average'][0]} → {r['load_average'][1]} |"
        )
    lines += ["", f"Highest step holding p95 < {P95_GOAL_MS:g} ms with no error: **{result['holding'] or 'none'}**"]
    return "\n".join(lines) + "\n"


def start_gunicorn(args: argparse.Namespace, env: dict[str, str]) -> tuple[subprocess.Popen[bytes], str]:
    port = args.port or run.free_port()
    command = [
        str(run.BIN / "gunicorn"),
        "participe.wsgi:application",
        f"--bind=127.0.0.1:{port}",
        f"--workers={args.workers}",
        f"--threads={args.threads}",
        "--worker-class=" + ("gthread" if args.threads > 1 else "sync"),
        "--backlog=2048",
        "--log-level=warning",
        "--timeout=60",
    ]
    if args.max_requests:
        command += [f"--max-requests={args.max_requests}", f"--max-requests-jitter={args.max_requests // 10}"]
    if getattr(args, "access_log", False):  # each request's path, status and time (µs), for summarise_access()
        command += [f"--access-logfile={ACCESS_LOG}", "--access-logformat=%(U)s?%(q)s %(s)s %(D)s %({cookie}i)s"]
    log = open(run.VAR / "gunicorn-capacity.log", "ab")  # noqa: SIM115 (kept open for the server's lifetime)
    server = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    import atexit

    import requests

    atexit.register(run.stop_server, server)
    base = f"http://127.0.0.1:{port}"
    for _ in range(120):
        time.sleep(0.5)
        try:
            if requests.get(base + "/", timeout=5).status_code == 200:
                return server, base
        except requests.RequestException:
            continue
    run.stop_server(server)
    raise SystemExit("gunicorn did not answer on / within 60 s (see var/bench/gunicorn-capacity.log)")


def start_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """The background task worker of production (``db_worker``): the followers told of a comment, emails."""
    log = open(run.VAR / "db-worker-capacity.log", "ab")  # noqa: SIM115 (kept open for the worker's lifetime)
    command = [str(run.BIN / "python"), "manage.py", "db_worker", "--no-reload", "--no-startup-delay", "--interval=0.5"]
    worker = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    import atexit

    atexit.register(run.stop_server, worker)
    return worker


def journeys(env: dict[str, str], url: str, manifest: Path | None) -> dict[str, Any]:
    """The seeding manifest (``bench/run.py``'s file for this database by default) with this run's addresses."""
    label = run.db_label(url)
    manifest = manifest or run.VAR / f"manifest-{label}-{urlsplit(url).path.strip('/').replace('/', '_')}.json"
    if not manifest.exists():
        raise SystemExit(f"{manifest}: no manifest; seed with `seed_volume … --manifest FILE` and pass --manifest FILE")
    return dict(json.loads(run.with_journeys(env, manifest, label).read_text()))


def main() -> None:
    args = parse_args()
    run.VAR.mkdir(parents=True, exist_ok=True)
    run.RESULTS.mkdir(parents=True, exist_ok=True)
    url = run.database_url()
    env = run.server_env(url) | {"PARTICIPE_PAGE_CACHE": "0" if args.no_page_cache else "1"}
    if run.static_outdated():
        run.manage(env, "collectstatic", "--noinput", "-v", "0")
    run.manage(env, "createcachetable")
    data = journeys(env, url, args.manifest)
    paths_file = run.VAR / "capacity-paths.txt"
    write_paths(anonymous_paths(data), paths_file)
    server, base = start_gunicorn(args, env)
    worker = start_worker(env)
    sampler = CpuSampler(server.pid, url, others=(worker.pid,))
    sampler.start()
    signed = SignedIn(base, data)
    try:
        signed.prepare(args.sessions, args.respondents)
        print(f"{len(signed.sessions)} signed-in sessions, {len(signed.respondents)} respondents", flush=True)
        rates = [float(r) for r in args.rates.split(",")]
        run_wrk(base, rates[0], args.warmup, paths_file)  # warm-up: templates, connections, the page cache
        rows = []
        for rate in rates:
            if args.access_log:
                ACCESS_LOG.write_text("")  # this step's requests only (gunicorn appends)
            row = step(args, base, rate, paths_file, sampler, signed)
            rows.append(row)
            print(json.dumps(row), flush=True)
            if args.access_log:
                time.sleep(1)
                print(f"Step {rate:g}/s, time per page:", *summarise_access(), sep="\n", flush=True)
    finally:
        sampler.stop_event.set()
        run.stop_server(server)
        run.stop_server(worker)
    gunicorn = f"{args.workers} workers × {args.threads} threads" + (
        f", --max-requests {args.max_requests}" if args.max_requests else ""
    )
    held = [r["rate"] for r in rows if holds(r)]
    stamp = datetime.datetime.now().strftime("%Y-%m-%dT%H%M")
    result = {
        "date": stamp,
        "database": run.db_label(url),
        "cpus": os.cpu_count(),
        "gunicorn": gunicorn,
        "page_cache": not args.no_page_cache,
        "seconds": args.seconds,
        "commit": run.commit(),
        "steps": rows,
        "holding": f"{max(held):g} req/s" if held else None,
    }
    out = run.RESULTS / f"capacity-{stamp}-{result['database']}"
    out.with_suffix(".json").write_text(json.dumps(result, indent=2))
    table = markdown(result)
    out.with_suffix(".md").write_text(table)
    print(table)
    print(f"Written: {out.relative_to(ROOT)}.json and .md")


if __name__ == "__main__":
    main()
