"""Benchmark of the signalements at volume: 200,000 reports with heavy tails by category and place.

Usage (from the project root):

    .venv/bin/python bench/signalements.py                   # a temporary SQLite file
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/signalements_bench .venv/bin/python bench/signalements.py

Options: --reports 200000 --runs 20 --reuse (with a DATABASE_URL naming a file or a database kept from a previous
run: only the measures; the migrations of the code are applied first).

It turns the module on, gives a commune and five quartiers their boundaries, four services and eight categories
(routed per quartier), then writes the reports in bulk (a Zipf-like share per category, points clustered around a
few hot spots, every status, a quarter of them given to a service with due dates, a tenth overdue), and measures
through Django's test client (the whole request: middleware, permissions, templates) the map feed of one quartier,
the filtered list, a report's page, the services' queue of one agent and its map feed, the public statistics page (cold: the
first request, then warm), and the duplicate look-up itself (the selector). It prints the median and the 95th
percentile of each and the queries per page.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
if "DATABASE_URL" not in os.environ:
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"

from bench.proposals import analyze, prepare_database, setup  # noqa: E402

CENTER = (49.2720, 3.8580)
QUARTIERS = [(0.0, 0.0), (0.012, 0.0), (-0.012, 0.0), (0.0, 0.016), (0.0, -0.016)]
STATUSES = ["nouveau", "pris_en_compte", "programme", "en_cours", "resolu", "ferme", "non_reproductible",
            "hors_competence", "doublon"]  # fmt: skip
WEIGHTS = [30, 12, 6, 8, 25, 10, 3, 3, 3]


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--reports", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument(
        "--reuse",
        action="store_true",
        help="keep the database DATABASE_URL names and its reports when it has some (migrated to the code's state)",
    )
    return parser.parse_args()


def build(total: int) -> dict[str, Any]:
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from participe.assignments.models import Assignment
    from participe.modules.signalements import geo
    from participe.modules.signalements.models import Category, Report, Route, Update, grid_cell
    from participe.organisation.models import Service, Territory
    from participe.spaces.services import organisation_module_enable
    from tests.factories import UserFactory, make_org_admin, with_totp

    admin = make_org_admin()
    module = organisation_module_enable(actor=admin, module_type="signalements")
    commune = Territory.objects.create(name="Commune (banc)", slug="commune-banc", kind="commune",
                                       boundary=geo.square(CENTER[0], CENTER[1], 0.03))  # fmt: skip
    quartiers = [
        Territory.objects.create(
            name=f"Quartier {n}",
            slug=f"q-banc-{n}",
            kind="quartier",
            parent=commune,
            boundary=geo.square(CENTER[0] + dlat, CENTER[1] + dlon, 0.0059),
        )
        for n, (dlat, dlon) in enumerate(QUARTIERS)
    ]
    services = [Service.objects.create(name=f"Service {n} (banc)") for n in range(4)]
    agent = with_totp(UserFactory(email="agent-banc@example.org"))
    services[0].members.add(agent)
    categories = [
        Category.objects.create(module=module, name=f"Catégorie {n}", code=f"cat-{n}", default_service=services[n % 4])
        for n in range(8)
    ]
    Route.objects.create(category=categories[0], territory=quartiers[3], service=services[3])
    residents = [UserFactory(email=f"r{n}@banc.example.org", pseudonym=f"r{n}") for n in range(50)]
    rng = random.Random(14)
    now = timezone.now()
    hot = [(CENTER[0] + rng.uniform(-0.02, 0.02), CENTER[1] + rng.uniform(-0.025, 0.025)) for _ in range(40)]
    category_weights = [1 / (n + 1) ** 1.2 for n in range(8)]
    batch: list[Report] = []
    for n in range(total):
        lat, lon = rng.choice(hot) if rng.random() < 0.7 else (CENTER[0], CENTER[1])
        lat += rng.gauss(0, 0.004)
        lon += rng.gauss(0, 0.005)
        quartier = next((q for q in quartiers if geo.contains(q.boundary, lat, lon)), commune)
        status = rng.choices(STATUSES, WEIGHTS)[0]
        created = now - datetime.timedelta(minutes=rng.randint(10, 60 * 24 * 400))
        # Heavy-tailed delays (a few hours for most, weeks for some): the statistics' histograms get many buckets.
        acknowledged = created + datetime.timedelta(hours=rng.lognormvariate(1.5, 1.2))
        resolved = acknowledged + datetime.timedelta(days=rng.lognormvariate(1.5, 1.0))
        report = Report(
            module=module, category=rng.choices(categories, category_weights)[0], territory=quartier,
            title=f"Signalement {n}", lat=lat, lon=lon, status=status, author=rng.choice(residents),
            confirmed_at=created, acknowledged_at=acknowledged if status != "nouveau" else None,
            resolved_at=resolved if status in STATUSES[4:] else None,
        )  # fmt: skip
        report.cell = grid_cell(lat, lon)
        report.created_at = created
        batch.append(report)
        if len(batch) == 5000:
            Report.objects.bulk_create(batch)
            batch = []
    Report.objects.bulk_create(batch)
    Report.objects.filter(module=module).update(created_at=now)  # auto_now_add: spread again below
    for start in range(0, 400, 20):
        Report.objects.filter(module=module, pk__gt=start * total // 400, pk__lte=(start + 20) * total // 400).update(
            created_at=now - datetime.timedelta(days=start)
        )
    content_type = ContentType.objects.get_for_model(Report)
    ids = list(Report.objects.filter(module=module).values_list("pk", "category_id"))
    rows = []
    by_category = {c.pk: c for c in categories}
    for pk, category_id in ids[::4]:
        due = now + datetime.timedelta(days=rng.randint(-10, 30))
        service = by_category[category_id].default_service
        rows.append(Assignment(content_type_id=content_type.pk, object_id=pk, module_id=module.pk, service=service,
                               assigned_at=now - datetime.timedelta(days=20), due_at=due))  # fmt: skip
    Assignment.objects.bulk_create(rows, batch_size=5000)
    sample = Report.objects.filter(module=module, category=categories[0], status="nouveau").first()
    Update.objects.bulk_create([Update(report=sample, status_after="nouveau", text=f"Étape {n}") for n in range(5)])
    try:  # the reports were written in bulk, behind the services: their statistics are counted again
        from participe.modules.signalements.figures import rebuild
    except ImportError:  # a checkout from before decision 0028, measured for comparison
        pass
    else:
        started = time.perf_counter()
        rebuild(module)
        print(
            f"statistics counted again (manage.py signalements_figures_rebuild) in {time.perf_counter() - started:.1f} s"
        )
    analyze()
    return {"module": module, "quartier": quartiers[0], "category": categories[0], "agent": agent, "sample": sample}


def found() -> dict[str, Any] | None:
    """What ``build`` made, in a database kept from a previous run (None: nothing there)."""
    from participe.accounts.models import User
    from participe.modules.signalements.models import Report
    from participe.organisation.models import Territory

    agent = User.objects.filter(email="agent-banc@example.org").first()
    quartier = Territory.objects.filter(slug="q-banc-0").first()
    sample = Report.objects.filter(category__code="cat-0", status="nouveau", updates__text="Étape 0").first()
    if agent is None or quartier is None or sample is None:
        return None
    total = Report.objects.filter(module=sample.module).count()
    return {"module": sample.module, "quartier": quartier, "category": sample.category, "agent": agent,
            "sample": sample, "total": total}  # fmt: skip


def measure(label: str, call: Any, runs: int) -> dict[str, Any]:
    """Wall-clock and CPU time of this process (on SQLite the database's work is in it; on PostgreSQL the server's
    is not): on a shared, loaded machine the CPU time moves less than the wall clock."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, cpu = [], []
    queries = 0
    for _ in range(runs):
        with CaptureQueriesContext(connection) as ctx:
            start, start_cpu = time.perf_counter(), time.process_time()
            call()
            times.append((time.perf_counter() - start) * 1000)
            cpu.append((time.process_time() - start_cpu) * 1000)
        queries = len(ctx.captured_queries)
    times.sort()
    cpu.sort()
    p95 = times[max(0, round(0.95 * len(times)) - 1)]
    cpu_p95 = cpu[max(0, round(0.95 * len(cpu)) - 1)]
    row = {"label": label, "median_ms": round(statistics.median(times), 1), "p95_ms": round(p95, 1),
           "cpu_median_ms": round(statistics.median(cpu), 1), "cpu_p95_ms": round(cpu_p95, 1), "queries": queries}  # fmt: skip
    print(f"{label:<45} median {row['median_ms']:>8} ms   p95 {row['p95_ms']:>8} ms   "
          f"CPU median {row['cpu_median_ms']:>7} ms  p95 {row['cpu_p95_ms']:>7} ms   {queries} queries")  # fmt: skip
    return row


def main() -> None:
    args = parse_args()
    prepare_database(args.reuse)
    setup()
    from django.core.cache import cache
    from django.db import connection
    from django.test import Client

    from participe.modules.signalements import selectors

    started = time.perf_counter()
    data = found() if args.reuse else None
    if data is None:
        data = build(args.reports)
        print(f"{args.reports} reports on {connection.vendor} built in {time.perf_counter() - started:.0f} s")
    else:
        print(f"{data['total']} reports on {connection.vendor} kept from a previous run")
    client = Client()
    q, c = data["quartier"], data["category"]

    def ok(url: str, who: Client = client) -> None:
        response = who.get(url)
        assert response.status_code == 200, (url, response.status_code)

    cache.clear()
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    measure("home page (reference: the same machine now)", lambda: ok("/"), args.runs)
    measure("statistics page (cold)", lambda: ok("/signalements/statistiques/"), 1)
    measure("statistics page (warm)", lambda: ok("/signalements/statistiques/"), max(3, args.runs // 4))
    measure("map feed of one quartier", lambda: ok(f"/signalements/carte.geojson?territory={q.pk}"), args.runs)
    measure("list filtered (category, open)", lambda: ok(f"/signalements/?category={c.pk}&status=open"), args.runs)
    measure("a report's page", lambda: ok(f"/signalements/{data['sample'].pk}/"), args.runs)
    from tests.sessions import pass_second_factor

    agent = Client()
    agent.force_login(data["agent"])
    pass_second_factor(agent, data["agent"])  # staff pages count roles only after the second factor
    measure("the services' queue (one agent)", lambda: ok("/gestion/m/signalements/", agent), args.runs)
    measure("the queue's map feed (one agent)", lambda: ok("/gestion/m/signalements/carte.geojson", agent), args.runs)
    measure("duplicate look-up (selector, 50 m)", lambda: selectors.duplicates(
        data["module"], c, data["sample"].lat, data["sample"].lon, 50), args.runs)  # fmt: skip


if __name__ == "__main__":
    main()
