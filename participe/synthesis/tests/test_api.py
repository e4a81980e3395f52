"""The API of the syntheses: published ones only, of the démarches one may see, with themes and quotes."""

from __future__ import annotations

import pytest

from participe.synthesis.tests.test_views import publish
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_the_list_and_a_synthesis_with_its_themes_and_quotes(client, synthesis, manager, space):
    assert client.get("/api/v1/syntheses/").json()["items"] == []
    assert client.get(f"/api/v1/syntheses/{synthesis.pk}").status_code == 404  # not published yet
    publish(synthesis, manager)
    items = client.get("/api/v1/syntheses/", {"space": space.pk}).json()["items"]
    assert [i["id"] for i in items] == [synthesis.pk] and items[0]["contributions"] == 14
    detail = client.get(f"/api/v1/syntheses/{synthesis.pk}").json()
    assert detail["method"].startswith("Cette synthèse porte sur 14 contributions")
    assert sum(t["size"] for t in detail["themes"]) == 14
    quote = next(q for t in detail["themes"] for q in t["quotes"])
    assert quote["url"].startswith("http://testserver/") and quote["text"]


def test_a_private_space_s_syntheses_are_not_listed(client, synthesis, manager, space):
    publish(synthesis, manager)
    space.visibility = "private"
    space.save()
    assert client.get("/api/v1/syntheses/").json()["items"] == []
    assert client.get(f"/api/v1/syntheses/{synthesis.pk}").status_code == 404
    assert client.get("/api/v1/syntheses/", {"space": SpaceFactory().pk + 1000}).status_code == 400
    assert client.get("/api/v1/syntheses/", {"limit": 0}).status_code == 400
