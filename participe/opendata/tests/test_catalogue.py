"""The open-data catalogue reads what the modules' manifests declare (``exports``): the files a module publishes now
(its ``is_open``), for the modules a visitor may see; downloads streamed; the same list in the API."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participe.spaces.models import Space
from tests.factories import ItemFactory, ParticipationModuleFactory

pytestmark = pytest.mark.django_db


def open_module(**space_fields):
    module = ParticipationModuleFactory(
        space__title="Budget participatif", settings={"open_data": True}, **space_fields
    )
    ItemFactory(module=module, title="Un composteur")
    return module


def download_url(module, fmt, key="elements"):
    kwargs = {"slug": module.space.slug, "module_slug": module.slug, "export": key, "fmt": fmt}
    return reverse("opendata:download", kwargs=kwargs)


def test_the_catalogue_lists_the_published_exports_with_their_files(client):
    module = open_module()
    page = client.get("/donnees-ouvertes/").content.decode()
    assert "Budget participatif" in page and module.title in page and "Les titres des éléments." in page
    assert f'href="{download_url(module, "csv")}"' in page and f'href="{download_url(module, "json")}"' in page


def test_an_export_the_module_does_not_publish_now_is_neither_listed_nor_served(client):
    module = ParticipationModuleFactory(settings={"open_data": False})
    assert module.title not in client.get("/donnees-ouvertes/").content.decode()
    assert client.get(download_url(module, "csv")).status_code == 404


@pytest.mark.parametrize(
    "space_fields",
    [{"space__visibility": Space.Visibility.PRIVATE}, {"space__status": Space.Status.DRAFT}, {"is_published": False}],
)
def test_a_module_a_visitor_may_not_see_is_neither_listed_nor_served(client, space_fields):
    module = open_module(**space_fields)
    assert module.title not in client.get("/donnees-ouvertes/").content.decode()
    assert client.get(download_url(module, "csv")).status_code == 404


def test_an_unknown_export_or_format_is_not_found(client):
    module = open_module()
    assert client.get(download_url(module, "csv", key="nothing")).status_code == 404
    assert client.get(download_url(module, "geojson")).status_code == 404  # not a format this export offers


def test_a_download_streams_the_file_the_module_writes(client):
    module = open_module()
    response = client.get(download_url(module, "csv"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{module.space.slug}-{module.slug}-')
    assert b"".join(response.streaming_content).decode() == "titre\nUn composteur\n"


def test_the_api_lists_the_same_datasets_with_absolute_addresses(client):
    module = open_module()
    datasets = client.get("/api/v1/open-data/datasets").json()
    assert [(d["module_id"], d["key"], d["name"]) for d in datasets] == [(module.pk, "elements", "Éléments")]
    assert datasets[0]["files"] == [
        {"format": "csv", "url": "http://testserver" + download_url(module, "csv")},
        {"format": "json", "url": "http://testserver" + download_url(module, "json")},
    ]


def test_the_footer_leads_to_the_catalogue(client):
    assert 'href="/donnees-ouvertes/"' in client.get("/").content.decode()


def test_an_empty_catalogue_says_so(client):
    assert "Aucune démarche ne publie encore de données ouvertes." in client.get("/donnees-ouvertes/").content.decode()
