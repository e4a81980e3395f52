"""Writes on the organisation that other apps rely on: what a territory is used by, an agent's account deleted."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participe.accounts.services import account_delete
from participe.organisation import hooks, services
from participe.organisation.models import Territory
from tests.factories import ServiceFactory, TerritoryFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


def test_deleting_an_account_removes_it_from_the_services():
    service = ServiceFactory()
    agent, other = UserFactory(), UserFactory()
    service.members.add(agent, other)
    account_delete(user=agent)
    assert list(service.members.all()) == [other]


def test_a_territory_counts_the_uses_the_apps_above_register(monkeypatch):
    monkeypatch.setattr(hooks, "_territory_uses", {})
    hooks.register_territory_use("gardens", lambda territory: 2, lambda n: f"{n} jardins")
    territory = TerritoryFactory()
    UserFactory(territory=territory)
    assert services.territory_usage(territory) == {"children": 0, "gardens": 2, "residents": 1}
    with pytest.raises(ValidationError, match=r"encore utilisé \(2 jardins, 1 habitant inscrit\)"):
        services.territory_delete(actor=make_org_admin(), territory=territory)
    assert Territory.objects.filter(pk=territory.pk).exists()
