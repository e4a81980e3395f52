"""Reports under concurrent requests (PostgreSQL): the counter equals the rows, the content is hidden once.

Each thread has its own database connection, as concurrent web requests would; a barrier releases them together.
"""

from __future__ import annotations

import pytest

from participe.activity.models import AuditEntry
from participe.moderation import services
from participe.moderation.models import ModerationCase, Report
from tests.concurrency import race
from tests.factories import ItemFactory, UserFactory

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_ten_reports_at_once_are_all_counted_and_hide_the_content_once(notify):
    item = ItemFactory()
    people = [UserFactory() for _ in range(10)]
    calls = [lambda p=p: services.report_create(actor=p, target=item, reason="spam") for p in people]
    assert race(calls) == ["ok"] * 10
    item.refresh_from_db()
    assert item.reports_count == Report.objects.count() == 10
    assert item.moderation_status == "hidden"
    assert AuditEntry.objects.filter(action="moderation.auto_hide").count() == 1
    assert ModerationCase.objects.get().reports_count == 10
    assert notify.call_count == 1


def test_the_same_person_reporting_twice_at_once_counts_once():
    item = ItemFactory()
    person = UserFactory()
    calls = [lambda: services.report_create(actor=person, target=item, reason="spam") for _ in range(4)]
    assert sorted(race(calls)) == ["ok", "refused", "refused", "refused"]
    item.refresh_from_db()
    assert item.reports_count == Report.objects.count() == 1
