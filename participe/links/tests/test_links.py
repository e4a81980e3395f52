"""Links between modules (decision 0011): a module offers candidates of a kind in its manifest, another makes its
own items from them and records the link; both sides show it, to whoever may see the other side."""

from __future__ import annotations

from types import SimpleNamespace

import pytest
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.test import RequestFactory

from participe.core.registry import registry
from participe.links import selectors, services
from participe.links.models import Link
from participe.permissions.refusals import Refused
from participe.spaces.models import SpaceMembership
from tests.factories import ItemFactory, ParticipationModuleFactory, UserFactory, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    source = ParticipationModuleFactory(title="Boîte à idées")
    target = ParticipationModuleFactory(space=source.space, title="Budget")
    retained = ItemFactory(module=source, title="Retenue : des bancs")
    other = ItemFactory(module=source, title="Pas encore")
    project = ItemFactory(module=target, title="Projet : des bancs")
    return SimpleNamespace(source=source, target=target, retained=retained, other=other, project=project)


def test_a_module_offers_its_candidates_by_kind_in_its_space(world):
    groups = selectors.candidates(world.source.space, "idea")
    assert [(g.module, list(g.items)) for g in groups] == [(world.source, [world.retained]), (world.target, [])]
    assert groups[0].offer.name == "Éléments retenus" and groups[0].linked_ids == frozenset()
    assert selectors.candidates(world.source.space, "petition") == []


def test_linking_records_the_origin_on_both_sides(world):
    admin = make_org_admin()
    link = services.link_create(actor=admin, origin=world.retained, derived=world.project, kind="idea")
    assert services.link_create(actor=admin, origin=world.retained, derived=world.project, kind="idea") == link  # once
    visitor = UserFactory()
    assert selectors.origins_of(world.project, visitor) == [world.retained]
    assert selectors.derived_from(world.retained, visitor) == [world.project]
    assert selectors.candidates(world.source.space, "idea")[0].linked_ids == frozenset({world.retained.pk})


def test_only_a_current_candidate_can_be_linked(world):
    with pytest.raises(ValidationError, match="n'est pas proposé"):
        services.link_create(actor=make_org_admin(), origin=world.other, derived=world.project, kind="idea")
    assert not Link.objects.exists()


def test_the_staff_of_the_derived_items_space_link_and_no_one_else(world):
    with pytest.raises(Refused):
        services.link_create(actor=UserFactory(), origin=world.retained, derived=world.project, kind="idea")
    space_admin = make_space_role(world.target.space, SpaceMembership.Role.ADMIN)
    services.link_create(actor=space_admin, origin=world.retained, derived=world.project, kind="idea")
    assert Link.objects.count() == 1


def test_a_side_the_reader_may_not_see_is_not_shown(world):
    services.link_create(actor=make_org_admin(), origin=world.retained, derived=world.project, kind="idea")
    world.source.is_published = False
    world.source.save()
    assert selectors.origins_of(world.project, UserFactory()) == []
    assert selectors.origins_of(world.project, make_org_admin()) == [world.retained]


def test_deleting_either_side_deletes_its_links(world):
    services.link_create(actor=make_org_admin(), origin=world.retained, derived=world.project, kind="idea")
    registry.delete_shared(world.project)
    assert not Link.objects.exists()


def test_the_page_and_the_api_show_the_links(client, world):
    services.link_create(actor=make_org_admin(), origin=world.retained, derived=world.project, kind="idea")
    request = RequestFactory().get("/")
    request.user = UserFactory()
    html = Template("{% load links %}{% item_links item %}").render(
        Context({"item": world.retained, "request": request})
    )
    assert "A donné lieu à :" in html and "Projet : des bancs" in html and "(Budget)" in html
    answer = client.get(f"/api/v1/links/testapp/item/{world.project.pk}").json()
    assert [o["title"] for o in answer["origins"]] == ["Retenue : des bancs"] and answer["derived"] == []
    assert client.get("/api/v1/links/testapp/item/999999").status_code == 404
    assert client.get("/api/v1/links/nothing/here/1").status_code == 404
