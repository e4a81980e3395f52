"""The meetings' open-data export (the manifest's ``exports``): listed by the catalogue at /donnees-ouvertes/ for a
public space, served as CSV, JSON and GeoJSON without drafts, registrations nor the online link; a private space's
meetings are not open data."""

from __future__ import annotations

import csv
import io
import json

import pytest
from django.test import Client
from django.urls import reverse

from participe.modules.meetings.models import Meeting, Registration
from participe.modules.meetings.tests.factories import MeetingFactory, MeetingsModuleFactory
from participe.spaces.models import Space
from tests.factories import SpaceFactory, UserFactory

pytestmark = pytest.mark.django_db


def _url(module, fmt: str) -> str:
    return reverse(
        "opendata:download",
        kwargs={"slug": module.space.slug, "module_slug": module.slug, "export": "reunions", "fmt": fmt},
    )


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def test_the_catalogue_lists_and_serves_the_meetings_of_a_public_space(client: Client) -> None:
    module = MeetingsModuleFactory()
    shown = MeetingFactory(
        module=module, title="Balade urbaine", latitude=49.25, longitude=4.03, online_url="https://visio.example/x"
    )
    MeetingFactory(module=module, title="Brouillon secret", status=Meeting.Status.DRAFT)
    MeetingFactory(module=module, title="Réunion annulée", status=Meeting.Status.CANCELLED)
    Registration.objects.create(meeting=shown, user=UserFactory(), name="Nom privé", phone="0600000000")

    assert _url(module, "csv") in client.get("/donnees-ouvertes/").content.decode()
    text = _body(client.get(_url(module, "csv")))
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [r["titre"] for r in rows] == ["Balade urbaine", "Réunion annulée"]
    assert rows[1]["statut"] == "annulée"
    assert "visio.example" not in text and "Nom privé" not in text and "0600000000" not in text
    data = json.loads(_body(client.get(_url(module, "json"))))
    assert data[0]["titre"] == "Balade urbaine" and data[0]["url"] == shown.get_absolute_url()
    geo = json.loads(_body(client.get(_url(module, "geojson"))))
    assert geo["features"][0]["geometry"] == {"type": "Point", "coordinates": [4.03, 49.25]}
    assert geo["features"][1]["geometry"] is None


def test_the_meetings_of_a_private_space_are_not_open_data(client: Client) -> None:
    module = MeetingsModuleFactory(space=SpaceFactory(visibility=Space.Visibility.PRIVATE))
    MeetingFactory(module=module, title="Séance du jury")
    assert _url(module, "csv") not in client.get("/donnees-ouvertes/").content.decode()
    assert client.get(_url(module, "csv")).status_code == 404
