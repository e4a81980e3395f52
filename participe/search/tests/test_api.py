import pytest

from participe.core.models import ModerationStatus

pytestmark = pytest.mark.django_db
URL = "/api/v1/search/"


def test_search_api(client, indexed_item):
    item = indexed_item(title="Les écoles <b>", body="Une école")
    indexed_item(title="École cachée", moderation_status=ModerationStatus.HIDDEN)
    data = client.get(URL, {"q": "ECOLE"}).json()
    assert data["count"] == 1
    assert data["count_is_lower_bound"] is False
    assert data["next_cursor"] is None
    result = data["results"][0]
    assert result["type"] == "testapp.item"
    assert result["id"] == item.pk
    assert result["title"] == "Les écoles <b>"
    assert "<mark>" in result["title_html"] and "&lt;b&gt;" in result["title_html"]
    assert result["url"].endswith(item.get_absolute_url())
    assert result["space"] == item.module.space.title


def test_search_api_filters_and_cursor(client, indexed_item):
    for n in range(22):
        indexed_item(title=f"Parc {n}")
    data = client.get(URL, {"q": "parc", "type": "testapp.item", "from": "2000-01-01"}).json()
    assert data["count"] == 22 and len(data["results"]) == 20
    more = client.get(URL, {"q": "parc", "cursor": data["next_cursor"]}).json()
    assert len(more["results"]) == 2
    assert client.get(URL, {"q": "parc", "from": "2999-01-01"}).json()["count"] == 0
    assert client.get(URL, {"q": "parc", "to": "2000-01-01"}).json()["count"] == 0


def test_search_api_rejects_bad_filters(client):
    response = client.get(URL, {"q": "parc", "type": "inconnu"})
    assert response.status_code == 422
