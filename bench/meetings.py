"""Benchmark: the agenda and the iCalendar feeds over 20,000 meetings (issue #15: p95 under 100 ms).

Usage (from the project root):

    nice -n 10 .venv/bin/python bench/meetings.py                    # a temporary SQLite file
    DATABASE_URL=postgres://user:pass@host/meetings_bench .venv/bin/python bench/meetings.py

Options: --meetings 20000 --spaces 40 --runs 30 --reuse. It migrates the configured database, then writes
``--spaces`` public spaces each with a meetings module, and ``--meetings`` meetings spread over them, over three
years around today (a third with registration, 3 % cancelled), in 12 quartiers of one commune, with bulk inserts,
then ``ANALYZE`` (without statistics, PostgreSQL joins every upcoming meeting before sorting them: 100 ms a page).
Then, through Django's test client (templates included), it prints the median and the 95th percentile of the wall
time and of the CPU time of each request (see ``measure``): the agenda (first page, a deep page by cursor, filtered by territory, by kind, past meetings), the month view,
the map, a space's agenda page, a meeting's page, the organisation's feed /agenda.ics, a space's and a territory's
feed, a meeting's .ics, and the API's list; then the feeds « after a change » (a meeting changed just before each
request: the request answers the kept body and enqueues one rebuild in the database queue, what a request pays
now that a worker rebuilds the feeds), and the feeds « built » (the cache emptied before each request: the build
itself, what the worker pays, and what the very first request of a feed pays). On PostgreSQL, use a database made for it: the data stays there
(``--reuse`` measures a previous run's data again).
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import re
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

PREFIX = "bench-agenda"
TITLES = ["Réunion publique", "Atelier participatif", "Balade urbaine", "Permanence des élus", "Conseil de quartier"]
PLACES = ["Salle des fêtes", "Maison de quartier", "Médiathèque", "Gymnase", "École Jules-Ferry", "Hôtel de ville"]


def setup() -> None:
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    call_command("migrate", verbosity=0, interactive=False)


def seed(meetings: int, spaces: int) -> None:
    from django.utils import timezone

    from participe.modules.meetings.models import Meeting
    from participe.organisation.models import Territory, Theme
    from participe.spaces.models import Module, Phase, Space

    rng = random.Random(15)
    now = timezone.now()
    commune, _ = Territory.objects.get_or_create(
        slug=f"{PREFIX}-commune", defaults={"name": "Lumerac", "kind": "commune"}
    )
    quartiers = [
        Territory.objects.get_or_create(
            slug=f"{PREFIX}-quartier-{i}", defaults={"name": f"Quartier {i}", "kind": "quartier", "parent": commune}
        )[0]
        for i in range(12)
    ]
    theme, _ = Theme.objects.get_or_create(slug=f"{PREFIX}-theme", defaults={"name": "Cadre de vie"})
    modules = []
    for i in range(spaces):
        space = Space.objects.create(
            title=f"Démarche {i}", slug=f"{PREFIX}-{i}", status=Space.Status.PUBLISHED, published_at=now
        )
        module = Module.objects.create(space=space, module_type="meetings", title="Réunions", slug="reunions")
        Phase.objects.create(
            module=module,
            phase_type="agenda",
            name="Agenda",
            start=now - datetime.timedelta(days=800),
            end=now + datetime.timedelta(days=800),
        )
        modules.append(module)
    rows = []
    for i in range(meetings):
        start = now + datetime.timedelta(days=rng.uniform(-540, 540))
        start = start.replace(minute=rng.choice((0, 30)), second=0, microsecond=0)
        point = (49.25 + rng.uniform(-0.03, 0.03), 4.03 + rng.uniform(-0.03, 0.03))
        rows.append(
            Meeting(
                module=modules[i % len(modules)],
                title=f"{rng.choice(TITLES)} n° {i}",
                description="<p>Présentation du projet, échanges avec les habitants et les services.</p>",
                kind=rng.choice(Meeting.Kind.values),
                status=Meeting.Status.CANCELLED if rng.random() < 0.03 else Meeting.Status.PUBLISHED,
                start=start,
                end=start + datetime.timedelta(hours=2),
                place_name=rng.choice(PLACES),
                address="1 place de l'Hôtel de Ville, 51100 Lumerac",
                latitude=point[0],
                longitude=point[1],
                territory=rng.choice(quartiers),
                theme=theme,
                registration_enabled=rng.random() < 0.33,
                capacity=rng.choice((None, 20, 50)),
                organiser="Ville de Lumerac",
            )
        )
    Meeting.objects.bulk_create(rows, batch_size=2000)
    from django.db import connection

    with connection.cursor() as cursor:  # the statistics autovacuum would gather: the planner needs them
        cursor.execute("ANALYZE")


def _p95(values: list[float]) -> float:
    values = sorted(values)
    return values[max(0, round(0.95 * len(values)) - 1)]


def measure(client: Any, url: str, runs: int, mode: str = "") -> tuple[float, float, float, float]:
    """Median and 95th percentile of the wall time, then of the CPU time, of ``url`` (after one warm-up request).
    The test client, the templates and SQLite run in this process: its CPU time is the server's work, and unlike
    the wall time it does not count the waits of a machine shared with other processes. ``mode``: ``BUILT``, the
    cache is emptied before each request (a feed built from the database every time); ``CHANGED``, the meetings
    change and the mark of a pending rebuild is dropped before each request (it serves the kept body and enqueues
    one rebuild)."""
    from django.core.cache import cache

    from participe.modules.meetings.selectors import forget_feeds

    response = client.get(url)
    if response.status_code != 200:
        raise SystemExit(f"{url} answered {response.status_code}")
    wall, cpu = [], []
    for _run in range(runs):
        if mode == "BUILT":
            cache.clear()
        elif mode == "CHANGED":
            forget_feeds()
            cache.delete_many(_marks())
        began, began_cpu = time.perf_counter(), time.process_time()
        client.get(url)
        wall.append((time.perf_counter() - began) * 1000)
        cpu.append((time.process_time() - began_cpu) * 1000)
    return statistics.median(wall), _p95(wall), statistics.median(cpu), _p95(cpu)


def _marks() -> list[str]:
    from participe.modules.meetings import feeds
    from participe.organisation.models import Territory
    from participe.spaces.models import Space

    space = Space.objects.get(slug=f"{PREFIX}-0")
    territory = Territory.objects.get(slug=f"{PREFIX}-commune")
    scopes = ["organisation", f"space:{space.pk}", f"territory:{territory.pk}"]
    return [feeds._mark_key(scope, "fr") for scope in scopes]


def urls() -> list[tuple[str, str]]:
    from django.test import Client
    from django.utils import timezone

    from participe.modules.meetings.models import Meeting

    meeting = (
        Meeting.objects.filter(module__space__slug=f"{PREFIX}-0", end__gt=timezone.now()).order_by("start").first()
    )
    assert meeting is not None
    page = Client().get("/agenda/").content.decode()
    cursor = re.search(r'href="\?[^"]*apres=([^"&]+)', page)
    deep = f"/agenda/?apres={cursor.group(1)}" if cursor else "/agenda/"
    month = (timezone.localdate() + datetime.timedelta(days=40)).strftime("%Y-%m")
    return [
        ("agenda, first page", "/agenda/"),
        ("agenda, second page (cursor)", deep),
        ("agenda, a quartier", f"/agenda/?territoire={PREFIX}-quartier-3"),
        ("agenda, the commune (12 quartiers)", f"/agenda/?territoire={PREFIX}-commune"),
        ("agenda, workshops", "/agenda/?type=atelier"),
        ("agenda, past meetings", "/agenda/?quand=passees"),
        ("month view", f"/agenda/mois/?mois={month}"),
        ("map (the next 100)", "/agenda/carte/"),
        ("a space's agenda page", f"/demarches/{PREFIX}-0/reunions/"),
        ("a meeting's page", meeting.get_absolute_url()),
        ("feed /agenda.ics", "/agenda.ics"),
        ("a space's feed", f"/agenda/demarches/{PREFIX}-0.ics"),
        ("a territory's feed (commune)", f"/agenda/territoires/{PREFIX}-commune.ics"),
        ("CHANGED feed /agenda.ics (kept, enqueued)", "/agenda.ics"),
        ("CHANGED a space's feed", f"/agenda/demarches/{PREFIX}-0.ics"),
        ("CHANGED a territory's feed (commune)", f"/agenda/territoires/{PREFIX}-commune.ics"),
        ("BUILT feed /agenda.ics (the build itself)", "/agenda.ics"),
        ("BUILT a space's feed", f"/agenda/demarches/{PREFIX}-0.ics"),
        ("BUILT a territory's feed (commune)", f"/agenda/territoires/{PREFIX}-commune.ics"),
        ("a meeting's .ics", meeting.get_absolute_url() + "reunion.ics"),
        ("API list", "/api/v1/meetings/meetings?limit=50"),
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--meetings", type=int, default=20_000)
    parser.add_argument("--spaces", type=int, default=40)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--reuse", action="store_true")
    args = parser.parse_args()
    setup()
    from django.db import connection
    from django.test import Client, override_settings
    from django_tasks_db.models import DBTaskResult

    from participe.modules.meetings.models import Meeting

    existing = Meeting.objects.filter(module__space__slug__startswith=PREFIX).count()
    if not (args.reuse and existing):
        began = time.perf_counter()
        seed(args.meetings, args.spaces)
        print(f"seeded {args.meetings} meetings in {args.spaces} spaces in {time.perf_counter() - began:.1f} s")
    total = Meeting.objects.count()
    print(f"{connection.vendor}, {total} meetings, {args.runs} runs each, load {os.getloadavg()[0]:.1f}")
    client = Client()
    # The rebuilds go to the database queue, as in production (no worker runs here: the kept body stays served).
    queue = override_settings(TASKS={"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}})
    queue.enable()
    print(f"{'':42} {'wall median':>12} {'wall p95':>10} {'CPU median':>11} {'CPU p95':>9}")
    worst = {False: 0.0, True: 0.0}
    for label, url in urls():
        mode = label.split(" ", 1)[0] if label.startswith(("BUILT", "CHANGED")) else ""
        median, p95, cpu_median, cpu_p95 = measure(client, url, args.runs, mode=mode)
        worst[mode == "BUILT"] = max(worst[mode == "BUILT"], cpu_p95)
        print(f"{label:42} {median:9.1f} ms {p95:7.1f} ms {cpu_median:8.1f} ms {cpu_p95:6.1f} ms")
    rebuilds = DBTaskResult.objects.filter(task_path__endswith="rebuild_feed")
    print(
        f"rebuilds enqueued by the CHANGED rows: {rebuilds.count()} (one per measured request: {3 * args.runs}, and the warm-ups after a change)"
    )
    rebuilds.delete()
    queue.disable()
    print(
        f"worst CPU p95, pages and feeds as served (after a change too): {worst[False]:.1f} ms (target: under 100 ms)"
    )
    print(f"worst CPU p95 of a feed's build (by the worker, or a feed's first request): {worst[True]:.1f} ms")


if __name__ == "__main__":
    main()
