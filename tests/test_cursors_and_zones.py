"""Issue #19, finding 8: a cursor no list made is answered the same way by every list — 400 with a message in the
API, the first page with a notice on the pages (never silently the first page); the map feed of the pages refuses a
bad zone with the API's validation, whichever name (``zone`` or ``bbox``) carries it."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse

from participe.core.pagination import encode_cursor
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db

BAD = ["pas-un-curseur!!", "eyJ4Ijog", encode_cursor([1], order="-pk")]


@pytest.mark.parametrize("cursor", BAD)
def test_the_api_answers_a_bad_cursor_with_a_400_that_says_so(client, cursor):
    module = ProposalModuleFactory()
    ProposalFactory(module=module)
    item = ItemFactory()
    client.force_login(UserFactory())
    for url in (
        f"/api/v1/proposals/modules/{module.pk}/proposals",
        f"/api/v1/proposals/modules/{module.pk}/geojson",
        f"/api/v1/comments/{ContentType.objects.get_for_model(item).pk}/{item.pk}",
        "/api/v1/notifications/",
        "/api/v1/spaces",
    ):
        response = client.get(url, {"cursor": cursor})
        assert response.status_code == 400, url
        assert response.json()["detail"].startswith("Invalid cursor"), url


@pytest.mark.parametrize("cursor", BAD)
def test_a_page_shows_its_first_page_with_a_notice(client, cursor):
    module = ProposalModuleFactory()
    ProposalFactory(module=module, title="La première proposition")
    client.force_login(UserFactory())
    page = module.get_absolute_url()
    response = client.get(page, {"tri": "recentes", "apres": cursor})
    assert response.status_code == 302
    assert response["Location"] == f"{page}?tri=recentes"  # the other parameters are kept
    shown = client.get(response["Location"]).content.decode()
    assert "La première proposition" in shown
    assert "Ce lien de page n&#x27;est pas valable" in shown or "Ce lien de page n'est pas valable" in shown
    notifications = client.get(reverse("notifications:list"), {"apres": cursor})
    assert (notifications.status_code, notifications["Location"]) == (302, reverse("notifications:list"))


def test_htmx_asking_for_more_with_a_bad_cursor_reloads_the_page(client):
    module = ProposalModuleFactory()
    response = client.get(module.get_absolute_url(), {"apres": "pas-un-curseur"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 204
    assert response["HX-Redirect"] == module.get_absolute_url()


@pytest.mark.parametrize("name", ["zone", "bbox"])
@pytest.mark.parametrize("value", ["a,b", "3,49", "1,2,3,4,5", "nan,nan,nan,nan", "-200,40,2,50", "2,50,3,40"])
def test_the_map_feed_of_the_pages_refuses_a_bad_zone_as_the_api_does(client, name, value):
    module = ProposalModuleFactory()
    feed = reverse("spaces:proposals:geojson", kwargs={"slug": module.space.slug, "module_slug": module.slug})
    api = client.get(f"/api/v1/proposals/modules/{module.pk}/geojson", {"bbox": value})
    page = client.get(feed, {name: value})
    assert api.status_code == page.status_code == 400
    assert "zone" in page.json()["errors"]


def test_a_good_zone_filters_both_alike(client):
    module = ProposalModuleFactory()
    ProposalFactory(module=module, latitude="48.85", longitude="2.35")
    ProposalFactory(module=module, latitude="43.30", longitude="5.37")
    feed = reverse("spaces:proposals:geojson", kwargs={"slug": module.space.slug, "module_slug": module.slug})
    zone = "2,48,3,49"
    page = client.get(feed, {"bbox": zone}).json()
    api = client.get(f"/api/v1/proposals/modules/{module.pk}/geojson", {"bbox": zone}).json()
    assert len(page["features"]) == len(api["features"]) == 1
