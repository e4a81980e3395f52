"""The audit log: JSON-able snapshots and the list of changes shown to admins."""

from __future__ import annotations

import datetime
import decimal

import pytest

from participe.activity.models import AuditEntry
from participe.activity.services import _jsonable, audit, snapshot
from tests.factories import SpaceFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_turns_values_into_json():
    territory = TerritoryFactory()
    value = {
        "when": datetime.datetime(2026, 5, 1, 10, 30, tzinfo=datetime.UTC),
        "day": datetime.date(2026, 5, 1),
        "amount": decimal.Decimal("12.50"),
        "territory": territory,
        "items": (1, {2}),
        3: None,
    }
    assert _jsonable(value) == {
        "when": "2026-05-01T10:30:00+00:00",
        "day": "2026-05-01",
        "amount": "12.50",
        "territory": territory.pk,
        "items": [1, [2]],
        "3": None,
    }


def test_it_snapshots_fields_with_many_to_many_and_never_the_password():
    space = SpaceFactory(title="Parc")
    territories = [TerritoryFactory(), TerritoryFactory()]
    space.territories.set(territories)
    data = snapshot(space, ["title", "territories", "start_date"])
    assert data == {
        "title": "Parc",
        "territories": sorted(t.pk for t in territories),
        "start_date": space.start_date.isoformat(),
    }
    assert "password" not in snapshot(UserFactory())
    assert "created_at" not in snapshot(space)


def test_it_records_an_entry_and_lists_what_changed():
    actor, space = UserFactory(), SpaceFactory(title="Parc")
    entry = audit(
        actor=actor,
        action="space.update",
        target=space,
        before={"title": "Parc", "x": 1},
        after={"title": "Square", "x": 1},
        reason="Coquille",
    )
    entry.refresh_from_db()
    assert (entry.actor, entry.target_repr, entry.target_id, entry.reason) == (actor, "Parc", str(space.pk), "Coquille")
    assert entry.target_type.model_class() is type(space)
    assert entry.changes() == [("title", "Parc", "Square")]


def test_it_records_an_act_without_actor_or_target():
    from django.contrib.auth.models import AnonymousUser

    entry = audit(actor=AnonymousUser(), action="system.cleanup")
    assert entry.actor is None
    assert entry.target_type is None
    assert entry.changes() == []
    assert AuditEntry.objects.count() == 1
