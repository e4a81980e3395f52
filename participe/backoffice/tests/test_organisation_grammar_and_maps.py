"""The organisation's name after « de » and « à », and where its maps open, set in the back-office (issue #18)."""

import pytest
from django.urls import reverse

from participe.backoffice.tests.test_organisation import org_data
from participe.organisation.models import Organisation

pytestmark = pytest.mark.django_db


def test_an_org_admin_sets_the_phrases_and_the_maps_centre(admin_client):
    data = org_data(
        name_of="de la Ville de Bellerive", name_in="à Bellerive", map_latitude="45,7640", map_longitude="4.8357"
    )
    response = admin_client.post(reverse("backoffice:organisation"), data | {"map_zoom": "14"})
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.get()
    assert (organisation.of_phrase, organisation.in_phrase) == ("de la Ville de Bellerive", "à Bellerive")
    assert (float(organisation.map_latitude), float(organisation.map_longitude), organisation.map_zoom) == (
        45.764,
        4.8357,
        14,
    )


@pytest.mark.parametrize(
    "fields, field, message",
    [
        ({"map_latitude": "95"}, "map_latitude", "entre -90 et 90"),
        ({"map_latitude": "45.7"}, "map_longitude", "ou aucune des deux"),
        ({"map_zoom": "25"}, "map_zoom", "de 1 (le monde) à 18"),
    ],
)
def test_a_wrong_centre_is_refused_next_to_its_field_and_the_input_kept(admin_client, fields, field, message):
    response = admin_client.post(reverse("backoffice:organisation"), org_data(name="Nom tapé", **fields))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html and f'id="id_{field}-error"' in html
    assert 'value="Nom tapé"' in html
    assert Organisation.get().name != "Nom tapé"
