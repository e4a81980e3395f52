"""Benchmark: server time of the proposals module's pages with 100,000 proposals, 2,000,000 supports and 500,000
comments in one module, and how it grows from 1,000 to 10,000 to 100,000 proposals.

Usage (from the project root):

    .venv/bin/python bench/proposals.py                      # a temporary SQLite file
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/proposals_bench .venv/bin/python bench/proposals.py

Options: --stages 1000,10000,100000 --supports 20 --comments 5 (per proposal, on average, with a heavy tail: a few
proposals get thousands) --accounts 20000 --runs 30 --explain (the plan of the slowest query of each case over
budget) --reuse (measure the data already there instead of building it again: on PostgreSQL, or with DATABASE_URL
naming an existing SQLite file) --no-analyze (keep the planner's statistics as they are) --only "liste".

It migrates the configured database (on PostgreSQL the database is dropped and created again, unless --reuse), then
fills one module through the volume seeder's bulk writer (``participe.modules.proposals.volume.write_proposals``:
proposals with their public history, supports, stance comments and replies, search index entries, every counter
consistent with the rows), stage after stage. After each stage it refreshes the planner's statistics (ANALYZE, as
autovacuum and ``PRAGMA optimize`` do in production) and requests each page through Django's test client (templates,
middleware and sessions included, no network): the list in every sort, first pages and pages deep in the list
(keyset cursors), with filters (theme, quartier, answer status, threshold reached, text search, "mine"), signed in,
the map page and its GeoJSON feed, a proposal's page (the most supported, with thousands of supports and comments,
and an ordinary one), and the API. It prints the median and the 95th percentile of each, the CPU time of the request
(median; on SQLite the database's work included), on PostgreSQL the CPU time of the database backend (mean per
request, when the server runs on this machine), and the queries per page. On a shared machine the wall times follow
the load; the CPU times are the steadier figures.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode, urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"

BUDGET_MS = 100.0
SEED = 12345  # the random order's seed in the measured URLs (the page takes it from ``graine``)
SPACE_SLUG = "banc-propositions"
THRESHOLD = 200


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--stages", default="1000,10000,100000", help="proposals in the module at each stage")
    parser.add_argument("--supports", type=int, default=20, help="supports per proposal, on average")
    parser.add_argument("--comments", type=int, default=5, help="comments per proposal, on average")
    parser.add_argument("--accounts", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--explain", action="store_true", help="print the plan of the slowest query over budget")
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: keep the data and measure it as it is")
    parser.add_argument(
        "--no-analyze",
        action="store_true",
        help="leave the planner's statistics as they are (none on a new SQLite file)",
    )
    parser.add_argument("--only", default="", help="measure only the cases whose name contains this")
    return parser.parse_args()


def prepare_database(reuse: bool) -> None:
    """On PostgreSQL, start from an empty database of the name given (dropped and created again)."""
    url = os.environ["DATABASE_URL"]
    if not url.startswith(("postgres:", "postgresql:")) or reuse:
        return
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    with psycopg.connect(parts._replace(path="/postgres").geturl(), autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    settings.DEBUG = False
    call_command("migrate", verbosity=0, interactive=False)


# --- data -----------------------------------------------------------------------------------------------------
@dataclass
class Bench:
    module: Any
    ctx: Any
    total: int = 0


def build_base(accounts: int) -> Bench:
    """Territories, themes, accounts, and a published space with a proposals module in its "dépôt" phase."""
    import datetime

    from django.contrib.auth.hashers import make_password
    from django.db import connection, transaction
    from django.utils import timezone

    from participe.accounts.models import User
    from participe.harness.volume import BulkWriter, Progress, Sizes, VolumeContext
    from participe.organisation.models import Territory, Theme
    from participe.spaces.models import Module, Phase, Space

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO off")
    progress = Progress(enabled=sys.stderr.isatty())
    ctx = VolumeContext(sizes=Sizes(), rng=random.Random(2026), writer=BulkWriter(progress), progress=progress)
    existing = Module.objects.filter(space__slug=SPACE_SLUG).first()
    if existing is not None:
        bench = Bench(module=existing, ctx=ctx, total=existing.proposals.count())
        ctx.users = {
            "participant": list(User.objects.filter(pseudonym__startswith="banc-").values_list("pk", flat=True))
        }
        return bench
    with transaction.atomic():
        commune = Territory.objects.create(name="Lumerac", slug="banc-lumerac", kind="commune")
        for n, name in enumerate(["Centre-ville", "Les Tilleuls", "Bords de Vesle", "La Croix-Rouge", "Plateau Nord"]):
            Territory.objects.create(name=name, slug=f"banc-quartier-{n}", kind="quartier", parent=commune)
        for n, name in enumerate(["Mobilités", "Environnement", "Éducation", "Culture", "Solidarités", "Sport"]):
            Theme.objects.create(name=name, slug=f"banc-theme-{n}", position=n)
        now = timezone.now()
        space = Space.objects.create(
            title="Budget participatif (banc d'essai)",
            slug=SPACE_SLUG,
            summary="Mesure",
            status=Space.Status.PUBLISHED,
            visibility=Space.Visibility.PUBLIC,
            published_at=now,
        )
        module = Module.objects.create(
            space=space,
            module_type="proposals",
            title="Boîte à idées",
            slug="boite-a-idees",
            settings={"support_threshold": THRESHOLD},
        )
        Phase.objects.create(
            module=module,
            phase_type="depot",
            name="Dépôt",
            start=now - datetime.timedelta(days=90),
            end=now + datetime.timedelta(days=30),
        )
    password = make_password("participe-bench")
    ids = ctx.bulk(
        User,
        (
            {"email": f"banc-{n}@bench.example", "pseudonym": f"banc-{n}", "password": password, "date_joined": now}
            for n in range(accounts)
        ),
        "accounts",
    )
    ctx.users = {"participant": list(ids)}
    ctx.user_ids = ids
    return Bench(module=module, ctx=ctx)


def grow(bench: Bench, target: int, supports: int, comments: int) -> float:
    """Add proposals to the module until it holds ``target``; returns the seconds it took."""
    from participe.modules.proposals.volume import ProposalVolume, write_proposals

    count = target - bench.total
    if count <= 0:
        return 0.0
    began = time.perf_counter()
    write_proposals(
        bench.ctx,
        bench.module.pk,
        ProposalVolume(count=count, supports=count * supports, comments=count * comments, threshold=THRESHOLD),
    )
    bench.ctx.writer.reset_sequences()
    bench.ctx.progress.close()
    bench.total = target
    return time.perf_counter() - began


def analyze() -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
        if connection.vendor == "sqlite":
            cursor.execute("PRAGMA optimize")


def volume_figures(module: Any) -> dict[str, int]:
    from django.contrib.contenttypes.models import ContentType

    from participe.comments.models import Comment
    from participe.modules.proposals.models import Proposal
    from participe.supports.models import Support

    content_type = ContentType.objects.get_for_model(Proposal)
    return {
        "proposals": Proposal.objects.filter(module=module).count(),
        "supports": Support.objects.filter(content_type=content_type, module=module).count(),
        "comments": Comment.objects.filter(content_type=content_type, module=module).count(),
    }


# --- what is measured -----------------------------------------------------------------------------------------
@dataclass
class Case:
    name: str
    url: str
    who: str = "anonymous"  # or "resident" (signed in), "author" (signed in, has proposals)
    headers: dict[str, str] = field(default_factory=dict)


def deep_cursor(module: Any, params: dict[str, str], share: float = 0.8) -> str:
    """The cursor the list would give after ``share`` of the filtered set (as if one had clicked "more" that often)."""
    from django.contrib.auth.models import AnonymousUser

    from participe.modules.proposals.selectors import proposals as selectors

    filters = selectors.Filters.from_query(params)
    qs = selectors.public_proposals(module, AnonymousUser(), filters).select_related(None)
    position = max(0, int(qs.count() * share) - 1)
    if filters.sort == "random":
        seed = filters.seed or 0
        first_lap = qs.filter(shuffle__gte=seed)
        before = first_lap.count()
        lap, part = (0, first_lap) if position < before else (1, qs.filter(shuffle__lt=seed))
        row = part.order_by("shuffle", "pk")[position - (before if lap else 0)]
        return selectors.cursor_after(row, "random", seed=seed, lap=lap)
    name, _desc = selectors.ORDERINGS[filters.sort]
    row = qs.order_by(f"-{name}", "-pk")[position]
    return selectors.cursor_after(row, filters.sort)


def cases(module: Any) -> list[Case]:
    from django.urls import reverse

    from participe.modules.proposals.models import Proposal
    from participe.organisation.models import Territory, Theme

    base = module.get_absolute_url()
    kwargs = {"slug": module.space.slug, "module_slug": module.slug}
    geojson = reverse("spaces:proposals:geojson", kwargs=kwargs)
    theme = Theme.objects.filter(slug="banc-theme-1").first() or Theme.objects.first()
    quartier = Territory.objects.filter(slug="banc-quartier-2").first() or Territory.objects.first()
    published = Proposal.objects.filter(module=module, status="published", moderation_status="published")
    top = published.order_by("-supports_count").first()
    ordinary = published.filter(supports_count__lte=20, comments_count__gte=3).order_by("pk").first() or top

    def page(**params: str) -> str:
        return f"{base}?{urlencode(params)}" if params else base

    def deep(**params: str) -> str:
        return page(**params, apres=deep_cursor(module, params))

    found = [
        Case("liste, au hasard (défaut)", page()),
        Case("liste, récentes", page(tri="recentes")),
        Case("liste, plus soutenues", page(tri="soutenues")),
        Case("liste, plus commentées", page(tri="commentees")),
        Case("liste, au hasard, page profonde (80 %)", deep(tri="aleatoire", graine=str(SEED))),
        Case("liste, récentes, page profonde", deep(tri="recentes")),
        Case("liste, plus soutenues, page profonde", deep(tri="soutenues")),
        Case("liste, plus commentées, page profonde", deep(tri="commentees")),
        Case("liste, thème, plus soutenues", page(theme=theme.slug, tri="soutenues")),
        Case("liste, thème, page profonde", deep(theme=theme.slug, tri="soutenues")),
        Case("liste, quartier, récentes", page(territoire=quartier.slug, tri="recentes")),
        Case("liste, thème + quartier, au hasard", page(theme=theme.slug, territoire=quartier.slug)),
        Case("liste, réalisées (1 %), plus soutenues", page(statut="realisee", tri="soutenues")),
        Case("liste, réalisées, page profonde", deep(statut="realisee", tri="soutenues")),
        Case("liste, seuil atteint, récentes", page(statut="seuil-atteint", tri="recentes")),
        Case("liste, sans réponse, plus commentées", page(statut="sans-reponse", tri="commentees")),
        Case("liste, recherche « bancs »", page(q="bancs")),
        Case("liste, recherche « installer » (25 %)", page(q="installer")),
        Case("liste, recherche « skatepark gare », récentes", page(q="skatepark gare", tri="recentes")),
        Case("liste, recherche sans résultat", page(q="téléphérique")),
        Case("liste, mes propositions (connecté)", page(mes="1"), who="author"),
        Case("liste, plus soutenues (connecté)", page(tri="soutenues"), who="resident"),
        Case("liste, suite en htmx", deep(tri="soutenues"), headers={"HTTP_HX_REQUEST": "true"}),
        Case("carte (page)", reverse("spaces:proposals:map", kwargs=kwargs)),
        Case("carte, flux GeoJSON (tout)", geojson),
        Case("carte, flux GeoJSON, thème", f"{geojson}?{urlencode({'theme': theme.slug})}"),
        Case("carte, flux GeoJSON, zone d'un quartier", f"{geojson}?zone=3.85,49.265,3.87,49.28"),
        Case("proposition la plus soutenue", top.get_absolute_url()),
        Case("proposition la plus soutenue (connecté)", top.get_absolute_url(), who="resident"),
        Case("proposition ordinaire", ordinary.get_absolute_url()),
        Case("API, liste récentes", f"/api/v1/proposals/modules/{module.pk}/proposals?sort=recent"),
        Case(
            "API, liste, thème, plus soutenues",
            f"/api/v1/proposals/modules/{module.pk}/proposals?sort=supported&theme={theme.slug}",
        ),
        Case("API, GeoJSON (500 points)", f"/api/v1/proposals/modules/{module.pk}/geojson"),
        Case("API, proposition la plus soutenue", f"/api/v1/proposals/{top.pk}"),
    ]
    return found


# --- measuring ------------------------------------------------------------------------------------------------
@dataclass
class Result:
    name: str
    median: float
    p95: float
    queries: int
    slowest_sql: str
    slowest_ms: float
    slowest_params: Any = None
    cpu: float = 0.0  # median CPU time of this process (on SQLite, the database's work included)
    db_cpu: float | None = None  # mean CPU time of the PostgreSQL backend per request (same machine only)


class QueryLog:
    """Every query of a request, with its time: a wrapper on the connection survives its closing and reopening
    (SQLite connections last one request, as in production)."""

    def __init__(self) -> None:
        self.queries: list[tuple[float, str, Any]] = []

    def __call__(self, execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        began = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.queries.append(((time.perf_counter() - began) * 1000, sql, params))


def backend() -> tuple[int, float] | None:
    """(pid, CPU seconds used so far) of this connection's PostgreSQL backend when it runs on this machine.

    On a loaded machine the wall time of a request is mostly waiting; the CPU time of the process and of its
    database backend is what the request costs. Clock ticks are coarse (10 ms): it is averaged over the runs.
    """
    from django.db import connection

    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return pid, (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(client: Any, case: Case, runs: int) -> Result:
    from django.db import connection

    response = client.get(case.url, secure=True, **case.headers)  # warm-up (session, caches)
    if response.status_code != 200:
        raise SystemExit(f"{case.name}: {case.url} answered {response.status_code}")
    log = QueryLog()
    with connection.execute_wrapper(log):
        client.get(case.url, secure=True, **case.headers)
    slowest = max(log.queries, key=lambda q: q[0], default=(0.0, "", None))
    timings, cpu = [], []
    before = backend()
    for _run in range(runs):
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(case.url, secure=True, **case.headers)
        timings.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    after = backend()
    db_cpu = None
    if before and after and before[0] == after[0]:  # the same connection all along
        db_cpu = (after[1] - before[1]) * 1000 / runs
    timings.sort()
    p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
    return Result(
        case.name,
        statistics.median(timings),
        p95,
        len(log.queries),
        slowest[1],
        slowest[0],
        slowest[2],
        cpu=statistics.median(cpu),
        db_cpu=db_cpu,
    )


def explain(sql: str, params: Any) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(f"EXPLAIN (ANALYZE, BUFFERS) {sql}", params)
        else:
            cursor.execute(f"EXPLAIN QUERY PLAN {sql}", params)
        return "\n".join("    " + " ".join(str(c) for c in row if c is not None) for row in cursor.fetchall())


def clients(module: Any) -> dict[str, Any]:
    from django.db.models import Count
    from django.test import Client

    from participe.accounts.models import User

    author_id = (
        module.proposals.filter(status="published")
        .values("author")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .values_list("author", flat=True)
        .first()
    )
    found: dict[str, Any] = {"anonymous": Client()}
    for role, user in (
        ("author", User.objects.get(pk=author_id)),
        ("resident", User.objects.filter(pseudonym__startswith="banc-").order_by("pk")[7]),
    ):
        found[role] = Client()
        found[role].force_login(user)
    return found


def run_stage(bench: Bench, args: argparse.Namespace, on: Callable[[str], None]) -> list[Result]:
    chosen = [c for c in cases(bench.module) if args.only.lower() in c.name.lower()]
    who = clients(bench.module)
    results = []
    on(f"{'page':<52} {'median ms':>10} {'p95 ms':>8} {'cpu ms':>8} {'db cpu':>8} {'queries':>8}")
    for case in chosen:
        result = measure(who[case.who], case, args.runs)
        results.append(result)
        flag = "  > budget" if result.p95 > BUDGET_MS else ""
        db_cpu = f"{result.db_cpu:>8.1f}" if result.db_cpu is not None else f"{'-':>8}"
        on(
            f"{case.name:<52} {result.median:>10.1f} {result.p95:>8.1f} {result.cpu:>8.1f} {db_cpu} "
            f"{result.queries:>8}{flag}"
        )
        if args.explain and result.p95 > BUDGET_MS and result.slowest_sql:
            on(f"  slowest query ({result.slowest_ms:.1f} ms): {result.slowest_sql[:400]}")
            on(explain(result.slowest_sql, result.slowest_params))
    return results


def main() -> None:
    args = parse_args()
    prepare_database(args.reuse)
    setup()
    from django.db import connection

    def out(line: str) -> None:
        print(line, flush=True)

    stages = [int(s) for s in args.stages.split(",") if s.strip()]
    out(f"Database: {connection.vendor}; {args.accounts:,} accounts; stages {stages}")
    bench = build_base(args.accounts)
    table: list[tuple[int, list[Result]]] = []
    for target in stages if not args.reuse or bench.total == 0 else [bench.total]:
        seconds = grow(bench, target, args.supports, args.comments)
        if not args.no_analyze:
            analyze()
        figures = volume_figures(bench.module)
        out(
            f"\n== {figures['proposals']:,} proposals, {figures['supports']:,} supports, {figures['comments']:,} "
            f"comments (built in {seconds:.0f} s); load average {os.getloadavg()[0]:.1f}"
        )
        table.append((figures["proposals"], run_stage(bench, args, out)))
    if len(table) > 1:
        out("\nGrowth of the p95 (ms):")
        out(f"{'page':<52} " + " ".join(f"{n:>10,}" for n, _r in table))
        for i, result in enumerate(table[0][1]):
            out(f"{result.name:<52} " + " ".join(f"{rows[i].p95:>10.1f}" for _n, rows in table))
    worst = max((r.p95 for _n, rows in table[-1:] for r in rows), default=0)
    out(f"Load average at the end: {os.getloadavg()[0]:.1f}")
    out(f"\nWorst p95 at the last stage: {worst:.1f} ms (budget {BUDGET_MS:.0f} ms)")


if __name__ == "__main__":
    main()
