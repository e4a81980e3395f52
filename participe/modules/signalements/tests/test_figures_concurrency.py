"""The statistics kept per day under concurrent changes (PostgreSQL): reports created and moved between the same
rows of figures at once leave them equal to a recount, with no deadlock (the rows are written in one order) and no
lost increment (``UPDATE … SET n = n + 1``; a row created at the same time by two transactions is caught).

Each thread has its own database connection, as concurrent web requests would; a barrier releases them together.
"""

from __future__ import annotations

import pytest

from participe.modules.signalements import figures, services
from participe.modules.signalements.models import DayFigures, Report, Status
from participe.modules.signalements.tests.factories import NORTH, SOUTH, make_world, report_data
from tests.concurrency import race
from tests.factories import UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_reports_created_at_once_are_all_counted():
    w = make_world()
    residents = [UserFactory() for _ in range(8)]
    race(
        [
            lambda r=r, n=n: services.report_create(
                actor=r, module=w.module, data=report_data(w.pothole, NORTH if n % 2 else SOUTH, title=f"Trou {n}")
            )
            for n, r in enumerate(residents)
        ]
    )
    assert figures.stored(w.module) == figures.recount(w.module)
    assert sum(DayFigures.objects.filter(module=w.module).values_list("total", flat=True)) == 8


def test_changes_crossing_between_the_same_rows_at_once_lose_nothing():
    w = make_world()
    reports = [
        services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole, title=f"Trou {n}"))
        for n in range(8)
    ]
    # Half move to the other service while the other half are resolved, and back: the same rows, in both orders.
    calls = []
    for n, report in enumerate(reports):
        if n % 2:
            calls.append(lambda pk=report.pk: services.report_reassign(
                actor=w.admin, report=Report.objects.get(pk=pk), service=w.metropole))  # fmt: skip
        else:
            calls.append(lambda pk=report.pk: services.report_update(
                actor=w.admin, report=Report.objects.get(pk=pk), status=Status.FIXED, text="Réparé"))  # fmt: skip
    race(calls)
    assert figures.stored(w.module) == figures.recount(w.module)
