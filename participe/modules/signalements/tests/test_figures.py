"""The statistics kept per day (decision 0028) equal a recount from the reports after any sequence of the services'
changes, and the statistics page reads them: counts exact, medians to the step of their histogram."""

import datetime
import importlib
import statistics as stats
from contextlib import suppress
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from participe.modules.signalements import figures, services
from participe.modules.signalements.models import OPEN_STATUSES, DayFigures, DelayFigures, Report, Status
from participe.modules.signalements.statistics import median, table
from participe.modules.signalements.tests.factories import NORTH, SOUTH, make_world, report_data
from participe.permissions.refusals import Refused
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

create = st.tuples(st.just("create"), st.sampled_from(["pothole", "unsafe"]), st.sampled_from([NORTH, SOUTH]),
                   st.booleans())  # fmt: skip
operation = st.one_of(
    create,
    create,
    st.tuples(st.just("confirm"), st.integers(0, 30)),
    st.tuples(st.just("update"), st.integers(0, 30), st.sampled_from(Status.values)),
    st.tuples(st.just("reassign"), st.integers(0, 30), st.sampled_from(["voirie", "metropole", "pothole", "unsafe"])),
    st.tuples(st.just("reopen"), st.integers(0, 30)),
)


@pytest.fixture
def world():
    return make_world()


def _run(w, op, reports, resident):
    kind, *args = op
    if kind == "create":
        category, point, signed_in = args
        actor = resident if signed_in else mock.Mock(is_authenticated=False, pk=None)
        data = report_data(getattr(w, category), point, reporter_name="Sans compte", reporter_email="a@example.org")
        reports.append(services.report_create(actor=actor, module=w.module, data=data))
        return
    if not reports:
        return
    report = Report.objects.get(pk=reports[args[0] % len(reports)].pk)
    if kind == "confirm":
        services.report_confirm(token=report.confirmation_token)
    elif kind == "update":
        services.report_update(actor=w.admin, report=report, status=args[1], text="Étape")
    elif kind == "reassign":
        target = getattr(w, args[1])
        if args[1] in ("voirie", "metropole"):
            services.report_reassign(actor=w.admin, report=report, service=target)
        else:
            services.report_reassign(actor=w.admin, report=report, category=target)
    else:
        services.report_reopen(actor=resident, report=report, text="Toujours là")


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ops=st.lists(st.tuples(st.integers(0, 40), operation), min_size=8, max_size=30))
def test_the_figures_equal_a_recount_after_any_changes(world, ops):
    resident = UserFactory()
    reports: list[Report] = []
    start = timezone.now()
    for hours, op in ops:
        # Time moves on between the changes: days and delays differ from one report to another.
        start += datetime.timedelta(hours=hours * 7)
        # A reopening too late or by someone else is refused: nothing written.
        with mock.patch("django.utils.timezone.now", return_value=start), suppress(Refused, ValidationError):
            _run(world, op, reports, resident)
    assert figures.stored(world.module) == figures.recount(world.module)


def test_the_rebuild_counts_what_was_written_behind_the_services(world):
    report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
    Report.objects.filter(pk=report.pk).update(status=Status.FIXED, resolved_at=timezone.now())
    assert figures.stored(world.module) != figures.recount(world.module)
    call_command("signalements_figures_rebuild", stdout=mock.Mock())
    assert figures.stored(world.module) == figures.recount(world.module)
    assert DayFigures.objects.get(module=world.module).closed == 1


def test_the_median_of_a_histogram():
    steps = ((None, 10),)
    assert median({}, steps) is None
    assert median({3: 1}, steps) == 30
    assert median({1: 1, 5: 1}, steps) == 30
    assert median({1: 2, 4: 1, 9: 5}, steps) == 90
    assert median({1: 2, 4: 2}, steps) == 25


# Delays between two dates: whole microseconds.
delays = st.integers(0, 400 * 86_400 * 10**6).map(lambda micro: micro / 10**6)


@given(delays)
def test_a_delay_falls_in_the_step_that_ends_at_or_after_it(seconds):
    for steps in (figures.ACK_STEPS, figures.RESOLVE_STEPS):
        found = figures.bucket(seconds, steps)
        assert figures.upper(found - 1, steps) < seconds <= figures.upper(found, steps) or (found == 0 == seconds)
        assert figures.bucket(figures.upper(found, steps), steps) == found


@given(st.integers(0, 400), delays)
def test_within_the_days_is_exact(days, seconds):
    found = figures.bucket(seconds, figures.RESOLVE_STEPS)
    assert (figures.upper(found, figures.RESOLVE_STEPS) <= days * 86_400) is (seconds <= days * 86_400)


def _by_hand(module):
    """What the page said when it read the reports: per category, counts and exact medians."""
    found = {}
    for report in Report.objects.filter(module=module, confirmed_at__isnull=False).select_related("category"):
        row = found.setdefault(report.category.name, {"total": 0, "open": 0, "ack": [], "resolve": [], "within": 0})
        row["total"] += 1
        row["open"] += report.status in OPEN_STATUSES
        if report.acknowledged_at:
            row["ack"].append((report.acknowledged_at - report.created_at).total_seconds() / 3600)
        if report.resolved_at and report.status not in OPEN_STATUSES:
            days = (report.resolved_at - report.created_at).total_seconds() / 86400
            row["resolve"].append(days)
            row["within"] += days <= report.category.resolve_days
    return found


def test_the_page_reads_the_figures_counts_exact_and_medians_to_their_step(world):
    agent, start = world.admin, timezone.now()
    for n in range(7):
        created = start + datetime.timedelta(days=n * 5)
        with mock.patch("django.utils.timezone.now", return_value=created):
            report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
        with mock.patch("django.utils.timezone.now", return_value=created + datetime.timedelta(hours=n, minutes=7)):
            services.report_update(actor=agent, report=report, status=Status.ACKNOWLEDGED)
        if n % 2:
            with mock.patch("django.utils.timezone.now", return_value=created + datetime.timedelta(days=n * 3)):
                services.report_update(actor=agent, report=report, status=Status.FIXED)
    shown = {row.label: row for row in table(world.module)["categories"]}
    for label, row in _by_hand(world.module).items():
        assert shown[label].total == row["total"] and shown[label].open == row["open"]
        assert abs(shown[label].median_ack_hours - stats.median(row["ack"])) <= 0.1 + 0.05
        assert abs(shown[label].median_resolve_days - stats.median(row["resolve"])) <= 0.1 + 0.05
        assert shown[label].within_share == round(100 * row["within"] / len(row["resolve"]))
    with mock.patch("django.utils.timezone.now", return_value=start + datetime.timedelta(days=40)):
        months = table(world.module)["months"]
    assert sum(m["total"] for m in months) == 7 and sum(m["resolved"] for m in months) == 3


def test_the_migration_counts_the_existing_reports_as_the_rebuild_does(world):
    from django.apps import apps

    migration = importlib.import_module("participe.modules.signalements.migrations.0004_statistics_kept_per_day")
    for n in range(4):
        report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
        services.report_update(actor=world.admin, report=report, status=[Status.FIXED, Status.PLANNED][n % 2])
    expected = figures.stored(world.module)
    DayFigures.objects.all().delete()
    DelayFigures.objects.all().delete()
    migration.count(apps, None)
    assert figures.stored(world.module) == expected == figures.recount(world.module)


def test_the_demo_leaves_figures_equal_to_a_recount_of_its_backdated_reports():
    from participe.modules.signalements.seeds import seed
    from participe.spaces.services import organisation_module_enable
    from tests.factories import make_org_admin

    module = organisation_module_enable(actor=make_org_admin(), module_type="signalements")
    seed(module)
    days, _delays = figures.stored(module)
    assert figures.stored(module) == figures.recount(module)
    assert (
        sum(n for key, n in days.items() if key[-1] == "total")
        == Report.objects.filter(module=module, confirmed_at__isnull=False).count()
        > 50
    )
