"""The feeds as kept and rebuilt in the background (stale-while-revalidate, decision 0023): a change is served once
the rebuild task has run, the previous body meanwhile with one task enqueued for all the requests; no body yet, a
change past the grace or a body past the TTL: the request builds it."""

from __future__ import annotations

from typing import Any

import icalendar
import pytest
from django.core.cache import cache
from django.test import Client
from django.urls import reverse

from participe.modules.meetings import feeds, services
from participe.modules.meetings.tests.factories import meeting_data, module_with_admin
from participe.spaces.models import Space
from tests.tasks import run_queued

pytestmark = pytest.mark.django_db


def _statuses(body: bytes) -> dict[str, str]:
    calendar = icalendar.Calendar.from_ical(body)
    return {str(e["SUMMARY"]): str(e["STATUS"]) for e in calendar.walk("VEVENT")}


def _cancel(admin: Any, meeting: Any, capture: Any) -> None:
    with capture(execute=True):
        services.meeting_cancel(actor=admin, meeting=meeting, reason="Salle inondée")


def test_the_first_request_builds_the_feed(client: Client, queued: list[Any]) -> None:
    module, admin = module_with_admin()
    services.meeting_save(actor=admin, module=module, data=meeting_data(title="Atelier"))
    response = client.get("/agenda.ics")
    assert _statuses(response.content) == {"Atelier": "CONFIRMED"}
    assert queued == []


def test_a_change_is_served_after_the_rebuild_and_the_previous_body_meanwhile(
    client: Client, queued: list[Any], django_capture_on_commit_callbacks: Any
) -> None:
    module, admin = module_with_admin()
    meeting = services.meeting_save(actor=admin, module=module, data=meeting_data(title="Atelier"))
    space_url = reverse("agenda:space_feed", args=[module.space.slug])
    before = client.get("/agenda.ics").content
    assert _statuses(before) == {"Atelier": "CONFIRMED"}
    _cancel(admin, meeting, django_capture_on_commit_callbacks)
    # Several requests before the worker runs: the previous body, and one rebuild enqueued for them all.
    for _ in range(3):
        assert client.get("/agenda.ics").content == before
    assert [r.args for r in queued] == [["organisation", "fr"]]
    run_queued(queued)
    assert _statuses(client.get("/agenda.ics").content) == {"Atelier": "CANCELLED"}
    assert queued == []
    # Another feed, never built: built in its first request, the change in it.
    assert _statuses(client.get(space_url).content) == {"Atelier": "CANCELLED"}
    assert queued == []


def test_a_change_past_the_grace_is_built_in_the_request(
    client: Client, queued: list[Any], django_capture_on_commit_callbacks: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    module, admin = module_with_admin()
    meeting = services.meeting_save(actor=admin, module=module, data=meeting_data(title="Atelier"))
    client.get("/agenda.ics")
    _cancel(admin, meeting, django_capture_on_commit_callbacks)
    monkeypatch.setattr(feeds, "FEED_CHANGE_GRACE", 0)
    assert _statuses(client.get("/agenda.ics").content) == {"Atelier": "CANCELLED"}
    assert queued == []


def test_an_old_body_is_revalidated_then_rebuilt_in_the_request(
    client: Client, queued: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    module, admin = module_with_admin()
    services.meeting_save(actor=admin, module=module, data=meeting_data(title="Atelier"))
    client.get("/agenda.ics")
    key = feeds._entry_key("organisation", "fr")
    entry = cache.get(key)
    cache.set(key, {**entry, "built": entry["built"] - feeds.FEED_FRESH - 1, "body": b"previous"})
    assert client.get("/agenda.ics").content == b"previous"
    assert client.get("/agenda.ics").content == b"previous"
    assert len(queued) == 1
    cache.set(key, {**entry, "built": entry["built"] - feeds.FEED_TTL - 1, "body": b"previous"})
    assert _statuses(client.get("/agenda.ics").content) == {"Atelier": "CONFIRMED"}


def test_with_tasks_run_at_once_the_change_is_in_the_same_response(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    module, admin = module_with_admin()
    meeting = services.meeting_save(actor=admin, module=module, data=meeting_data(title="Atelier"))
    client.get("/agenda.ics")
    _cancel(admin, meeting, django_capture_on_commit_callbacks)
    assert _statuses(client.get("/agenda.ics").content) == {"Atelier": "CANCELLED"}


def test_a_space_turned_private_is_refused_though_its_body_is_kept(client: Client) -> None:
    module, admin = module_with_admin()
    services.meeting_save(actor=admin, module=module, data=meeting_data(title="Atelier"))
    url = reverse("agenda:space_feed", args=[module.space.slug])
    assert client.get(url).status_code == 200
    Space.objects.filter(pk=module.space.pk).update(visibility=Space.Visibility.PRIVATE)
    response = client.get(url)
    assert response.status_code == 403 and b"Atelier" not in response.content
