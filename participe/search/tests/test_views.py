import pytest
from django.urls import reverse

from participe.search.selectors import cursor_at
from participe.search.services import index_object
from participe.spaces.models import Space
from tests.factories import SpaceFactory, TerritoryFactory

pytestmark = pytest.mark.django_db
URL = "/recherche/"


def test_url():
    assert reverse("search:search") == URL


def test_empty_page_shows_the_form(client):
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert 'role="search"' in body
    assert 'id="search-count"' in body and 'aria-live="polite"' in body
    assert "Aucun résultat" not in body


def test_search_input_type(client):
    assert 'type="search" name="q"' in client.get(URL, {"q": "x"}).content.decode()


def test_results_with_highlight_type_and_count(client, indexed_item):
    item = indexed_item(title="Rénovation des écoles", body="Repeindre l'école Jules-Ferry")
    response = client.get(URL, {"q": "ecole"})
    body = response.content.decode()
    assert "1 résultat" in body
    assert "<mark>écoles</mark>" in body
    assert "<mark>école</mark>" in body
    assert item.get_absolute_url() in body
    assert item.module.space.title in body


def test_script_in_a_title_is_inert(client, indexed_item):
    indexed_item(title="<script>alert(1)</script> parc", body="<img src=x onerror=alert(1)> parc")
    body = client.get(URL, {"q": "parc"}).content.decode()
    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "onerror" not in body


def test_no_result_help_and_query_kept(client, indexed_item):
    indexed_item(title="Parc")
    body = client.get(URL, {"q": "introuvable"}).content.decode()
    assert "Aucun résultat" in body
    assert "vérifiez l'orthographe" in body or "vérifiez l&#x27;orthographe" in body
    assert 'value="introuvable"' in body


def test_invalid_filter_is_reported_and_query_kept(client, indexed_item):
    indexed_item(title="Parc")
    response = client.get(URL, {"q": "parc", "from": "pas une date", "territory": "inconnu"})
    body = response.content.decode()
    assert response.status_code == 200
    assert 'aria-invalid="true"' in body
    assert 'value="pas une date"' in body
    assert "1 résultat" in body  # the valid part still applies


def test_filters_are_applied(client, indexed_item):
    territory = TerritoryFactory(slug="centre")
    item = indexed_item(title="Parc du centre")
    item.module.space.territories.add(territory)
    index_object(item.module.space)
    indexed_item(title="Parc ailleurs")
    body = client.get(URL, {"q": "parc", "territory": "centre", "type": "testapp.item"}).content.decode()
    assert "du centre" in body and "ailleurs" not in body


def test_private_space_not_shown(client, indexed_item):
    space = SpaceFactory(title="Parc secret", visibility=Space.Visibility.PRIVATE)
    index_object(space)
    body = client.get(URL, {"q": "parc"}).content.decode()
    assert "secret" not in body
    assert "secret" not in client.get(URL).content.decode()  # nor in the space filter


def test_htmx_returns_the_results_and_the_count_out_of_band(client, indexed_item):
    indexed_item(title="Parc")
    response = client.get(URL, {"q": "parc"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert "<html" not in body
    assert 'hx-swap-oob="innerHTML"' in body
    assert "1 résultat" in body


def test_pagination_links_work_without_javascript(client, indexed_item):
    for n in range(25):
        indexed_item(title=f"Parc {n}")
    body = client.get(URL, {"q": "parc"}).content.decode()
    assert 'rel="next"' in body and f"apres={cursor_at(20)}" in body
    second = client.get(URL, {"q": "parc", "apres": cursor_at(20)}).content.decode()
    assert 'rel="prev"' in second and 'start="21"' in second


def test_header_has_a_search_form(client):
    body = client.get("/").content.decode()
    assert 'action="/recherche/"' in body and 'role="search"' in body
