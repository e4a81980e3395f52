"""The page never waits for the counter's storage: a database that fails keeps the sums for the next flush (counted
once), a slow one is waited for by the flush's thread only, a cache that fails is replaced by the process's memory,
and a counter that breaks does not break the page. The purge keeps 25 months."""

from __future__ import annotations

import datetime
import threading
from unittest import mock

import pytest
from django.core.management import call_command
from django.db.utils import OperationalError

from participe.audience import counter, services
from participe.audience.counter import recorder
from participe.audience.models import DailyCount, Dimension
from participe.audience.tests.conftest import read

pytestmark = pytest.mark.django_db


def site():
    return [(r.views, r.visits) for r in DailyCount.objects.filter(dimension=Dimension.SITE)]


def test_a_failing_database_does_not_touch_the_page_and_the_counts_wait_for_the_next_flush(client, space):
    broken = mock.patch.object(services.DailyCount.objects, "bulk_create", side_effect=OperationalError("down"))
    with broken:
        assert read(client, space.get_absolute_url()).status_code == 200
        with pytest.raises(OperationalError):
            recorder.flush()
        recorder._flush_quietly()  # what the thread does: no exception, the counts kept
        assert read(client, space.get_absolute_url()).status_code == 200
        recorder._flush_quietly()
    assert not DailyCount.objects.exists()
    assert recorder.pending  # kept in memory
    recorder.flush()
    assert site() == [(2, 1)]  # each view once
    assert not recorder.pending
    recorder.flush()
    assert site() == [(2, 1)]


def test_a_slow_database_holds_the_flush_thread_never_the_page(client, space, settings):
    """The flush's storage waits until the test lets it go; meanwhile pages are answered and counted in memory."""
    settings.PARTICIPE_AUDIENCE_FLUSH_SECONDS = 1
    settings.PARTICIPE_AUDIENCE_FLUSH_SIZE = 1
    inside, release = threading.Event(), threading.Event()
    real = services.counts_add

    def slow(sums, *, timeout):
        inside.set()
        release.wait(30)
        raise OperationalError("canceling statement due to statement timeout")

    local = counter.Recorder()
    with mock.patch.object(counter, "recorder", local), mock.patch("participe.audience.middleware.recorder", local):
        with mock.patch.object(services, "counts_add", slow):
            assert read(client, space.get_absolute_url()).status_code == 200  # starts the thread, wakes it
            assert inside.wait(30)  # the flush is stuck in the database...
            for _n in range(3):  # ...and pages are still answered
                assert read(client, space.get_absolute_url()).status_code == 200
            assert len(local.hits) == 3
            release.set()
            local.stop()
        with mock.patch.object(services, "counts_add", real):
            local.flush()
    assert site() == [(4, 1)]


def test_a_cache_that_fails_falls_back_on_the_process_memory(client, space):
    class Broken:
        def add(self, *args, **kwargs):
            raise ConnectionError("cache down")

        get = add

    with mock.patch.object(counter, "caches", {"audience": Broken()}):
        read(client, space.get_absolute_url())
        read(client, space.get_absolute_url())
        recorder.flush()
    assert site() == [(2, 1)]


def test_a_counter_that_breaks_does_not_break_the_page(client, space):
    with mock.patch.object(recorder, "add", side_effect=RuntimeError("bug")):
        assert read(client, space.get_absolute_url()).status_code == 200


def test_a_full_buffer_drops_the_oldest_views_never_the_page(client, space):
    small = counter.Recorder()
    small.hits = counter.deque(maxlen=2)
    with mock.patch("participe.audience.middleware.recorder", small):
        for _n in range(5):
            assert read(client, space.get_absolute_url()).status_code == 200
    assert len(small.hits) == 2


@pytest.mark.parametrize(
    ("today", "first_kept"),
    [
        (datetime.date(2026, 12, 6), datetime.date(2024, 11, 6)),
        (datetime.date(2027, 3, 31), datetime.date(2025, 2, 28)),
        (datetime.date(2026, 1, 15), datetime.date(2023, 12, 15)),
    ],
)
def test_the_counts_are_kept_25_months(today, first_kept):
    assert services.retention_start(today) == first_kept


def test_the_purge_deletes_what_is_older_than_the_retention(settings):
    today = datetime.date.today()
    start = services.retention_start(today)
    for day in (start - datetime.timedelta(days=1), start, today):
        DailyCount.objects.create(day=day, dimension=Dimension.SITE, key="", views=1, visits=1)
    call_command("audience_purge", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert sorted(DailyCount.objects.values_list("day", flat=True)) == [start, today]
    settings.PARTICIPE_AUDIENCE_RETENTION_MONTHS = 1
    services.counts_purge()
    assert list(DailyCount.objects.values_list("day", flat=True)) == [today]
