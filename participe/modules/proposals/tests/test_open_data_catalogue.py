"""The proposals module's open-data export in the platform's catalogue (/donnees-ouvertes/): listed and served
while the module's ``open_data`` setting is on, for a module a visitor may see, as CSV, JSON and GeoJSON."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.spaces.models import Space

pytestmark = pytest.mark.django_db


def open_module(**space_fields):
    module = ProposalModuleFactory(space__title="Budget participatif", **space_fields)
    module.settings = {**module.settings, "open_data": True}
    module.save()
    ProposalFactory(module=module, title="Un composteur rue Haute")
    return module


def download_url(module, key, fmt):
    kwargs = {"slug": module.space.slug, "module_slug": module.slug, "export": key, "fmt": fmt}
    return reverse("opendata:download", kwargs=kwargs)


def test_the_catalogue_lists_the_open_exports_with_their_files(client):
    module = open_module()
    page = client.get("/donnees-ouvertes/").content.decode()
    assert "Budget participatif" in page and module.title in page
    for fmt in ("csv", "json", "geojson"):
        assert f'href="{download_url(module, "proposals", fmt)}"' in page


def test_a_module_whose_setting_is_off_is_not_listed_nor_served(client):
    module = ProposalModuleFactory()
    ProposalFactory(module=module)
    assert module.title not in client.get("/donnees-ouvertes/").content.decode()
    assert client.get(download_url(module, "proposals", "csv")).status_code == 404


@pytest.mark.parametrize(
    "space_fields", [{"space__visibility": Space.Visibility.PRIVATE}, {"space__status": Space.Status.DRAFT}]
)
def test_a_module_a_visitor_may_not_see_is_not_listed_nor_served(client, space_fields):
    module = open_module(**space_fields)
    assert module.title not in client.get("/donnees-ouvertes/").content.decode()
    assert client.get(download_url(module, "proposals", "csv")).status_code == 404


def test_an_unknown_export_or_format_is_not_found(client):
    module = open_module()
    assert client.get(download_url(module, "nothing", "csv")).status_code == 404
    assert client.get(download_url(module, "proposals", "xlsx")).status_code == 404


def test_a_download_streams_the_modules_public_file(client):
    module = open_module()
    response = client.get(download_url(module, "proposals", "csv"))
    assert response.status_code == 200 and response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Access-Control-Allow-Origin"] == "*"
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(body), delimiter=";"))
    assert [row["titre"] for row in rows] == ["Un composteur rue Haute"]
    geojson = client.get(download_url(module, "proposals", "geojson"))
    assert geojson["Content-Type"] == "application/geo+json; charset=utf-8"
