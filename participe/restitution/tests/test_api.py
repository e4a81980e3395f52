"""The bilan in the API: a published one as data for everyone, a draft for its démarche's staff only."""

from __future__ import annotations

import pytest

from participe.restitution import services
from tests.factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_a_published_bilan_as_data(client, space, module, manager):
    from tests.factories import ItemFactory

    quartier = TerritoryFactory(name="Centre", population=1_000)
    ItemFactory(module=module, author=UserFactory(territory=quartier))
    services.bilan_save(actor=manager, space=space, introduction="<p>Bonjour.</p>", decisions="",
                        sections=["figures", "territories"])  # fmt: skip
    services.bilan_publish(actor=manager, space=space)
    data = client.get(f"/api/v1/bilans/{space.slug}").json()
    assert (data["state"], data["sections"], data["participants"]) == ("published", ["figures", "territories"], 1)
    assert data["territories"][0] == {
        "territory": "Centre",
        "population": 1000,
        "participants": 1,
        "contributions": 1,
        "population_share": 100.0,
        "participants_share": 100.0,
        "representativeness": 1.0,
    }
    assert data["pdf_url"].endswith(f"/bilans/{space.slug}/bilan.pdf")


def test_a_draft_is_not_found_but_by_its_staff(client, space, manager):
    assert client.get(f"/api/v1/bilans/{space.slug}").status_code == 404
    assert client.get("/api/v1/bilans/nulle-part").status_code == 404
    client.force_login(manager)
    assert client.get(f"/api/v1/bilans/{space.slug}").json()["state"] == "draft"
