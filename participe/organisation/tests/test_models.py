"""The organisation, its territory tree and its theme stylesheet."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from participe.organisation.models import Organisation, validate_geojson
from tests.factories import TerritoryFactory

pytestmark = pytest.mark.django_db


def test_it_keeps_a_single_organisation_written_only_when_saved():
    assert Organisation.get().pk == 1
    assert not Organisation.objects.exists()  # reading it writes nothing: its defaults until it is saved
    organisation = Organisation.get()
    organisation.name = "Ville de Lumerac"
    organisation.save()
    assert Organisation.get().pk == 1 and Organisation.get().name == "Ville de Lumerac"
    assert Organisation.objects.count() == 1


def test_it_walks_the_territory_tree_both_ways():
    metropole = TerritoryFactory()
    commune = TerritoryFactory(parent=metropole)
    quartier = TerritoryFactory(parent=commune)
    other = TerritoryFactory(parent=metropole)
    assert quartier.ancestors() == [commune, metropole]
    assert metropole.descendant_ids() == {metropole.pk, commune.pk, quartier.pk, other.pk}
    assert commune.descendant_ids() == {commune.pk, quartier.pk}
    assert quartier.descendant_ids() == {quartier.pk}


def test_it_refuses_a_territory_inside_itself():
    commune = TerritoryFactory()
    quartier = TerritoryFactory(parent=commune)
    commune.parent = quartier
    with pytest.raises(ValidationError) as excinfo:
        commune.full_clean()
    assert excinfo.value.message_dict["parent"] == ["Un territoire ne peut pas être inclus dans lui-même."]


@pytest.mark.parametrize(
    "boundary",
    [
        {"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 0]]]},
        {"type": "Feature", "geometry": None, "properties": {}},
        '{"type": "MultiPolygon", "coordinates": []}',
    ],
)
def test_it_accepts_a_geojson_boundary(boundary):
    validate_geojson(boundary)


@pytest.mark.parametrize("boundary", [{"type": "Point", "coordinates": [0, 0]}, "{pas du json", [1, 2], "Polygon"])
def test_it_refuses_a_boundary_that_is_not_an_area(boundary):
    with pytest.raises(ValidationError) as excinfo:
        validate_geojson(boundary)
    assert "boundary" in excinfo.value.message_dict


def test_it_refuses_a_colour_that_is_not_hexadecimal():
    organisation = Organisation.get()
    organisation.primary_colour = "red; } body { display:none"
    with pytest.raises(ValidationError) as excinfo:
        organisation.full_clean()
    assert "primary_colour" in excinfo.value.message_dict


def test_it_serves_the_colours_as_a_stylesheet(client):
    organisation = Organisation.get()
    organisation.primary_colour = "#123456"
    organisation.save()
    response = client.get("/theme.css")
    assert response["Content-Type"] == "text/css; charset=utf-8"
    assert "--colour-primary:#123456;" in response.content.decode()
    assert "max-age=300" in response["Cache-Control"]
