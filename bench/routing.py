"""Benchmark: routing to services at scale — the proposals back-office list filtered on the service through
``participe.assignments`` (EXISTS on the assignments, no column on the proposal), its counts, the agent's list, and
the queue of the services.

Usage (from the project root):

    .venv/bin/python bench/routing.py                      # a temporary SQLite file
    DATABASE_URL=postgres://postgres:postgres@127.0.0.1:5432/routing_bench .venv/bin/python bench/routing.py

Options: --proposals 100000 --share 0.3 (of them given to one of five services) --runs 20 --reuse.

It builds one proposals module with the volume seeder (``bench/proposals.py``'s base, no supports nor comments: the
back-office list's sorts and filters do not read them), gives a share of the proposals to five services (bulk rows:
due dates spread around today, a tenth overdue, a fifth handled), refreshes the planner's statistics, then requests
each page through Django's test client as the space's staff (an organisation admin) and as an agent of one service.
It prints the median and the 95th percentile of each and the queries per page; the list's counts block (cached a
minute by the page, computed again after an agent's write) is measured alone.
"""

from __future__ import annotations

import argparse
import datetime
import os
import random
import statistics
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.proposals import analyze, build_base, grow, prepare_database, setup  # noqa: E402

SERVICES = ("Voirie", "Espaces verts", "Éclairage public", "Propreté", "Sports")


def parse_args() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--proposals", type=int, default=100_000)
    parser.add_argument("--share", type=float, default=0.3, help="share of the proposals given to a service")
    parser.add_argument("--accounts", type=int, default=2_000)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--reuse", action="store_true", help="PostgreSQL: keep the data and measure it as it is")
    return parser.parse_args()


def route(module: Any, share: float) -> list[Any]:
    """Give ``share`` of the module's proposals to the five services, in bulk; returns the services."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from participe.assignments.models import Assignment, AssignmentEvent
    from participe.modules.proposals.models import Proposal
    from participe.organisation.models import Service

    services = [Service.objects.get_or_create(name=f"{name} (banc)")[0] for name in SERVICES]
    content_type = ContentType.objects.get_for_model(Proposal)
    if Assignment.objects.filter(module=module).exists():
        return services
    rng = random.Random(8)
    now = timezone.now()
    ids = list(Proposal.objects.filter(module=module).exclude(status="draft").values_list("pk", flat=True))
    chosen = rng.sample(ids, int(len(ids) * share))
    rows, events = [], []
    for pk in chosen:
        assigned = now - datetime.timedelta(days=rng.randint(1, 120))
        due = assigned + datetime.timedelta(days=30)
        done = now - datetime.timedelta(days=1) if rng.random() < 0.2 else None
        service = rng.choice(services)
        common = {"content_type_id": content_type.pk, "object_id": pk, "module_id": module.pk}
        rows.append(Assignment(**common, service=service, assigned_at=assigned, due_at=due, done_at=done))
        events.append(AssignmentEvent(**common, kind="assigned", to_service=service, created_at=assigned))
    Assignment.objects.bulk_create(rows, batch_size=5000)
    AssignmentEvent.objects.bulk_create(events, batch_size=5000)
    return services


def people(services: list[Any]) -> dict[str, Any]:
    from participe.accounts.models import User
    from tests.factories import UserFactory, with_totp

    found = {
        u.email: u for u in User.objects.filter(email__in=["banc-admin@bench.example", "banc-agent@bench.example"])
    }
    admin = found.get("banc-admin@bench.example") or with_totp(
        UserFactory(email="banc-admin@bench.example", pseudonym="banc-admin", is_org_admin=True)
    )
    agent = found.get("banc-agent@bench.example") or with_totp(
        UserFactory(email="banc-agent@bench.example", pseudonym="banc-agent")
    )
    services[0].members.add(agent)
    return {"admin": admin, "agent": agent}


def cases(module: Any, services: list[Any]) -> list[tuple[str, str, str]]:
    from django.urls import reverse

    listing = reverse("backoffice:proposals:list", args=[module.pk])
    queue = reverse("assignments_backoffice:queue")
    return [
        ("list, staff, first page", "admin", listing),
        ("list, staff, one service", "admin", f"{listing}?service={services[1].pk}"),
        ("list, staff, no service", "admin", f"{listing}?service=aucun"),
        ("list, staff, one service, by supports", "admin", f"{listing}?service={services[1].pk}&tri=soutiens"),
        ("list, agent (their service only)", "agent", listing),
        ("list, agent, sans réponse", "agent", f"{listing}?reponse=aucune"),
        ("queue, agent", "agent", queue),
        ("queue, agent, overdue", "agent", f"{queue}?retard=on"),
        ("queue, admin (every service)", "admin", queue),
        ("API queue, agent", "agent", "/api/v1/assignments/?limit=50"),
    ]


def measure(client: Any, url: str, runs: int) -> tuple[float, float, int]:
    """Median and 95th percentile of ``runs`` requests, and the queries of one. The list's counts block is cached
    a minute (as in production): it is measured alone, computed (``counts_alone``)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    times = []
    for _ in range(runs):
        began = time.perf_counter()
        response = client.get(url)
        times.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200, (url, response.status_code)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1], len(queries)


def counts_alone(module: Any, runs: int) -> tuple[float, float]:
    """The list's counts block computed alone (one pass over the module: the "no service" count is an anti-join)."""
    from participe.modules.proposals.selectors import analysis

    times = []
    for _ in range(runs):
        began = time.perf_counter()
        analysis._count(analysis.Proposal.objects.filter(module=module).exclude(status="draft"))
        times.append((time.perf_counter() - began) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1]


def main() -> None:
    args = parse_args()
    prepare_database(args.reuse)
    setup()
    from django.db import connection
    from django.test import Client

    bench = build_base(args.accounts)
    grow(bench, args.proposals, 0, 0)
    services = route(bench.module, args.share)
    analyze()
    who = people(services)
    clients = {}
    for name, user in who.items():
        clients[name] = Client()
        clients[name].force_login(user)
    print(f"{connection.vendor}: {bench.total:,} proposals, {int(bench.total * args.share):,} given to 5 services")
    median, p95 = counts_alone(bench.module, args.runs)
    print(f"{'counts block alone':45} {median:7.1f} {p95:7.1f} ms")
    for name, role, url in cases(bench.module, services):
        median, p95, queries = measure(clients[role], url, args.runs)
        print(f"{name:45} {median:7.1f} {p95:7.1f} ms  {queries:3} queries")


if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "participe.settings_test")
    main()
