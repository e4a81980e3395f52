"""The démarche's themes and the organisation's territory (issue #18, decision 0022): forms, filters, imports and
services agree on the themes; a point outside every territory is refused; maps open on the territory."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from participe.backoffice.demo import LUMERAC_BOUNDARY, load_demo
from participe.modules.proposals.forms import themes_for
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.services import proposals as services
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.organisation.geography import map_view, organisation_area
from participe.organisation.models import Organisation, Territory
from participe.spaces.selectors import themes_of
from tests.factories import SpaceFactory, TerritoryFactory, ThemeFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db

BODY = "<p>Les personnes âgées n'ont nulle part où s'asseoir à l'ombre.</p>"
SQUARE = {"type": "Polygon", "coordinates": [[[2.0, 48.0], [3.0, 48.0], [3.0, 49.0], [2.0, 49.0], [2.0, 48.0]]]}


def data(**extra):
    return {"title": "Des bancs à l'ombre place du Marché", "body": BODY, **extra}


def test_a_demarche_without_themes_offers_every_theme_of_the_organisation():
    culture, sport = ThemeFactory(name="Culture"), ThemeFactory(name="Sport")
    module = ProposalModuleFactory()
    assert set(themes_for(module)) == set(themes_of(module.space)) == {culture, sport}


def test_a_demarche_that_names_themes_narrows_them_and_the_service_refuses_another():
    culture, sport = ThemeFactory(name="Culture"), ThemeFactory(name="Sport")
    space = SpaceFactory()
    space.themes.set([culture])
    module = ProposalModuleFactory(space=space)
    assert list(themes_for(module)) == [culture]
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(actor=UserFactory(), module=module, data=data(theme=sport))
    assert "n'est pas l'un de ceux de la démarche" in str(refused.value.message_dict["theme"])
    assert services.proposal_create(actor=UserFactory(), module=module, data=data(theme=culture)).theme == culture


def test_a_point_outside_every_territory_is_refused_with_a_clear_message():
    TerritoryFactory(name="Centre", boundary=SQUARE)
    Organisation.objects.create(pk=1, name="Ville de Lumerac", name_of="de la Ville de Lumerac")
    module = ProposalModuleFactory()
    with pytest.raises(ValidationError) as refused:
        services.proposal_create(
            actor=UserFactory(), module=module, data=data(latitude="46.600000", longitude="2.400000")
        )
    message = str(refused.value.message_dict["latitude"])
    assert "en dehors du territoire de la Ville de Lumerac" in message
    inside = services.proposal_create(
        actor=UserFactory(), module=module, data=data(latitude="48.500000", longitude="2.500000")
    )
    assert inside.has_location
    assert not Proposal.objects.filter(latitude="46.600000").exists()


def test_without_any_boundary_no_point_is_refused():
    module = ProposalModuleFactory()
    proposal = services.proposal_create(
        actor=UserFactory(), module=module, data=data(latitude="46.600000", longitude="2.400000")
    )
    assert proposal.has_location


def test_the_area_handles_holes_and_multipolygons():
    donut = {
        "type": "Feature",
        "geometry": {
            "type": "MultiPolygon",
            "coordinates": [
                [SQUARE["coordinates"][0], [[2.4, 48.4], [2.6, 48.4], [2.6, 48.6], [2.4, 48.6], [2.4, 48.4]]],
                [[[10.0, 40.0], [11.0, 40.0], [11.0, 41.0], [10.0, 40.0]]],
            ],
        },
    }
    TerritoryFactory(boundary={"type": "FeatureCollection", "features": [donut]})
    area = organisation_area()
    assert area.contains(48.2, 2.2) and not area.contains(48.5, 2.5) and area.contains(40.2, 10.5)
    assert area.bounds() == (40.0, 2.0, 49.0, 11.0)


def test_maps_open_on_the_territories_else_on_the_centre_the_administrator_set(settings):
    assert map_view() == {"lat": 46.6, "lon": 2.4, "zoom": 5, "bounds": None}  # nothing known: France
    Organisation.objects.create(pk=1, map_latitude="49.273", map_longitude="3.861", map_zoom=14)
    assert map_view() == {"lat": 49.273, "lon": 3.861, "zoom": 14, "bounds": None}
    TerritoryFactory(boundary=SQUARE)
    assert map_view()["bounds"] == [48.0, 2.0, 49.0, 3.0]


def test_the_pages_pass_the_territory_to_the_maps(client):
    TerritoryFactory(boundary=SQUARE)
    module = ProposalModuleFactory()
    ProposalFactory(module=module, latitude="48.5", longitude="2.5")
    user = UserFactory()
    client.force_login(user)
    for name in ("map", "create"):
        page = client.get(reverse(f"spaces:proposals:{name}", kwargs=module_kwargs(module))).content.decode()
        assert 'data-bounds="48.0,2.0,49.0,3.0"' in page, name


def module_kwargs(module):
    return {"slug": module.space.slug, "module_slug": module.slug}


def test_the_demo_agrees_its_proposals_themes_are_the_demarche_s_and_inside_lumerac():
    load_demo()
    assert Territory.objects.get(slug="lumerac").boundary == LUMERAC_BOUNDARY
    area = organisation_area()
    proposals = Proposal.objects.select_related("module__space", "theme")
    assert proposals.exists()
    for proposal in proposals:
        assert proposal.theme in themes_of(proposal.module.space), proposal.title
        if proposal.has_location:
            assert area.contains(proposal.latitude, proposal.longitude), proposal.title


def test_the_back_office_shows_a_small_map_of_the_place_and_a_picker_where_agents_enter_one(client):
    TerritoryFactory(boundary=SQUARE)
    admin = make_org_admin(pseudonym="admin-mairie")
    client.force_login(admin)
    proposal = ProposalFactory(latitude="48.5", longitude="2.5", address="Place du Marché")
    detail = client.get(reverse("backoffice:proposals:detail", args=[proposal.pk])).content.decode()
    assert "data-proposal-map" in detail and 'data-lat="48.5' in detail and "leaflet.js" in detail
    entering = client.get(reverse("backoffice:proposals:create_on_behalf", args=[proposal.module.pk])).content.decode()
    assert "data-location-picker" in entering and 'data-bounds="48.0,2.0,49.0,3.0"' in entering
    unplaced = ProposalFactory(module=proposal.module)
    assert (
        "data-proposal-map"
        not in client.get(reverse("backoffice:proposals:detail", args=[unplaced.pk])).content.decode()
    )
