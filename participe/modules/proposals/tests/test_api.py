"""Read endpoints under /api/v1/proposals/: the list (filters, sorts, keyset pages), the GeoJSON feed, a proposal."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participe.core.models import ModerationStatus
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.search.services import index_object
from participe.spaces.models import Space
from tests.factories import ModuleFactory, TerritoryFactory, ThemeFactory, UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


def _list(client, module, **params):
    response = client.get(f"/api/v1/proposals/modules/{module.pk}/proposals", params)
    assert response.status_code == 200, response.content
    return response.json()


def _titles(data):
    return [item["title"] for item in data["items"]]


def _all_pages(client, module, **params):
    titles, cursor, pages = [], None, 0
    while True:
        data = _list(client, module, **params, **({"cursor": cursor} if cursor else {}))
        titles += _titles(data)
        pages += 1
        cursor = data["next_cursor"]
        if not cursor:
            return titles, pages


def test_it_lists_what_a_visitor_sees_with_counts_location_and_link(client):
    module = ProposalModuleFactory()
    theme = ThemeFactory(name="Mobilités", slug="mobilites")
    shown = ProposalFactory(
        module=module,
        title="Des arceaux à vélos",
        theme=theme,
        latitude=Decimal("49.273100"),
        longitude=Decimal("3.861500"),
        address="place du Marché",
        supports_count=4,
        comments_count=3,
        comments_favorable_count=2,
        comments_unfavorable_count=1,
    )
    ProposalFactory(module=module, title="Brouillon", status=Proposal.Status.DRAFT)
    ProposalFactory(module=module, title="Masquée", moderation_status=ModerationStatus.HIDDEN)
    ProposalFactory(module=module, title="Retirée", status=Proposal.Status.WITHDRAWN)
    ProposalFactory(title="Autre module")
    data = _list(client, module)
    assert _titles(data) == ["Des arceaux à vélos"]
    item = data["items"][0]
    assert item["id"] == shown.pk and item["module_id"] == module.pk and item["reference"] == shown.reference
    assert item["url"].endswith(shown.get_absolute_url()) and item["url"].startswith("http")
    assert item["theme"] == {"id": theme.pk, "name": "Mobilités", "slug": "mobilites"}
    assert item["location"] == {"latitude": 49.2731, "longitude": 3.8615, "address": "place du Marché"}
    assert item["counts"] == {
        "supports": 4,
        "comments": 3,
        "favorable": 2,
        "neutral": 0,
        "unfavorable": 1,
        "followers": 0,
    }
    assert item["author"] == shown.author.display_name and item["entered_by_agent"] is False
    assert data["sort"] == "recent" and data["next_cursor"] is None
    assert _titles(_list(client, module, status="withdrawn")) == ["Retirée"]


@pytest.mark.parametrize(
    ("sort", "field"),
    [("recent", "published_at"), ("supported", "supports_count"), ("commented", "comments_count")],
)
def test_each_sort_pages_through_every_proposal_once_by_cursor(client, sort, field):
    module = ProposalModuleFactory()
    now = timezone.now()
    for n in range(7):
        ProposalFactory(
            module=module,
            title=f"P{n}",
            published_at=now - datetime.timedelta(hours=n),
            supports_count=n % 3,  # ties: the id decides
            comments_count=(7 - n) % 4,
        )
    titles, pages = _all_pages(client, module, sort=sort, limit=3)
    assert pages == 3 and sorted(titles) == [f"P{n}" for n in range(7)]
    expected = [p.title for p in Proposal.objects.filter(module=module).order_by(f"-{field}", "-pk")]
    assert titles == expected


def test_the_random_order_is_stable_for_a_seed_and_its_cursor_keeps_the_seed(client):
    module = ProposalModuleFactory()
    for n in range(9):
        ProposalFactory(module=module, title=f"P{n}")
    first = _list(client, module, sort="random", limit=4)
    assert first["seed"] is not None and first["next_cursor"]
    titles, _pages = _all_pages(client, module, sort="random", seed=first["seed"], limit=4)
    assert titles[:4] == _titles(first)
    assert sorted(titles) == sorted(f"P{n}" for n in range(9))
    # Following next_cursor alone (no seed given again) continues the same order.
    second = _list(client, module, sort="random", limit=4, cursor=first["next_cursor"])
    assert _titles(second) == titles[4:8] and second["seed"] == first["seed"]
    # Even when another seed is given: the cursor belongs to the order it was made in.
    again = _list(client, module, sort="random", seed=(first["seed"] + 1) % 100, limit=4, cursor=first["next_cursor"])
    assert _titles(again) == titles[4:8]
    other = _list(client, module, sort="random", seed=(first["seed"] + 2**30) % (2**31 - 1), limit=9)
    assert sorted(_titles(other)) == sorted(titles)


def test_it_filters_as_the_page_does(client):
    module = ProposalModuleFactory()
    culture, sport = ThemeFactory(slug="culture"), ThemeFactory(slug="sport")
    commune = TerritoryFactory(slug="lumerac", kind="commune")
    tilleuls = TerritoryFactory(slug="les-tilleuls", parent=commune)
    author = UserFactory()
    ProposalFactory(module=module, title="Une boîte à livres", theme=culture, territory=tilleuls, author=author)
    ProposalFactory(module=module, title="Un skatepark", theme=sport, answer_status="selected")
    ProposalFactory(module=module, title="Un terrain de basket", theme=sport, retained_at=timezone.now())
    for proposal in Proposal.objects.all():
        index_object(proposal)
    assert _titles(_list(client, module, theme="culture")) == ["Une boîte à livres"]
    assert _titles(_list(client, module, territory="lumerac")) == ["Une boîte à livres"]  # its quartiers too
    assert _titles(_list(client, module, status="selected")) == ["Un skatepark"]
    assert _titles(_list(client, module, status="retained")) == ["Un terrain de basket"]
    assert sorted(_titles(_list(client, module, status="none"))) == ["Un terrain de basket", "Une boîte à livres"]
    assert _titles(_list(client, module, q="skateparks")) == ["Un skatepark"]
    assert _titles(_list(client, module, mine=True)) == []  # nobody signed in
    client.force_login(author)
    assert _titles(_list(client, module, mine=True)) == ["Une boîte à livres"]


def test_a_bad_filter_is_a_400_and_a_bad_type_a_422(client):
    module = ProposalModuleFactory()
    url = f"/api/v1/proposals/modules/{module.pk}/proposals"
    response = client.get(url, {"theme": "inconnu"})
    assert response.status_code == 400 and response.json()["detail"].startswith("theme: ")
    response = client.get(url, {"territory": "nulle-part"})
    assert response.status_code == 400 and response.json()["detail"].startswith("territory: ")
    assert client.get(url, {"sort": "n-importe"}).status_code == 422
    assert client.get(url, {"limit": 1000}).status_code == 422
    assert client.get(url, {"limit": "beaucoup"}).status_code == 422
    geojson = f"/api/v1/proposals/modules/{module.pk}/geojson"
    response = client.get(geojson, {"bbox": "3,49"})
    assert response.status_code == 400 and response.json()["detail"].startswith("bbox: ")
    # A tampered cursor is refused, with a message (issue #19, finding 8).
    ProposalFactory(module=module)
    response = client.get(url, {"cursor": "pas-un-curseur"})
    assert response.status_code == 400 and response.json()["detail"].startswith("Invalid cursor")


def test_what_is_not_a_visible_proposals_module_is_not_found(client):
    assert client.get(f"/api/v1/proposals/modules/{ModuleFactory().pk}/proposals").status_code == 404
    private = ProposalModuleFactory(space__visibility=Space.Visibility.PRIVATE)
    assert client.get(f"/api/v1/proposals/modules/{private.pk}/proposals").status_code == 404
    unpublished = ProposalModuleFactory(is_published=False)
    assert client.get(f"/api/v1/proposals/modules/{unpublished.pk}/geojson").status_code == 404
    assert client.get("/api/v1/proposals/modules/999999").status_code == 404
    assert client.get("/api/v1/proposals/999999").status_code == 404
    assert client.get(f"/api/v1/proposals/{2**70}").status_code == 422  # not a database error
    assert client.get("/api/v1/proposals/modules/0/geojson").status_code == 422


def test_the_geojson_feed_gives_the_located_proposals_of_the_filtered_set(client):
    module = ProposalModuleFactory()
    sport = ThemeFactory(slug="sport")
    centre = ProposalFactory(
        module=module, title="Centre", theme=sport, latitude=Decimal("49.2731"), longitude=Decimal("3.8615")
    )
    ProposalFactory(module=module, title="Loin", theme=sport, latitude=Decimal("48.85"), longitude=Decimal("2.35"))
    ProposalFactory(module=module, title="Ailleurs", latitude=Decimal("49.27"), longitude=Decimal("3.86"))
    ProposalFactory(module=module, title="Sans lieu", theme=sport)
    url = f"/api/v1/proposals/modules/{module.pk}/geojson"
    data = client.get(url, {"theme": "sport"}).json()
    assert data["type"] == "FeatureCollection" and data["next_cursor"] is None
    assert sorted(f["properties"]["title"] for f in data["features"]) == ["Centre", "Loin"]
    data = client.get(url, {"theme": "sport", "bbox": "3.8,49.2,3.9,49.3"}).json()
    [feature] = data["features"]
    assert feature["id"] == centre.pk and feature["type"] == "Feature"
    assert feature["geometry"] == {"type": "Point", "coordinates": [3.8615, 49.2731]}  # longitude first
    assert feature["properties"]["url"].endswith(centre.get_absolute_url())
    page = client.get(url, {"limit": 2}).json()
    assert len(page["features"]) == 2 and page["next_cursor"]
    rest = client.get(url, {"limit": 2, "cursor": page["next_cursor"]}).json()
    assert len(rest["features"]) == 1 and rest["next_cursor"] is None


def test_a_proposal_gives_its_body_answer_and_history(client):
    proposal = ProposalFactory(body="<p>Des bancs.</p>", answer="<p>Déjà prévu.</p>", answer_status="selected")
    StatusChange.objects.create(proposal=proposal, kind=StatusChange.Kind.PUBLISHED)
    data = client.get(f"/api/v1/proposals/{proposal.pk}").json()
    assert data["body"] == "<p>Des bancs.</p>"
    assert data["answer"] is None  # prepared or set, not published: answered_at is empty
    assert [step["kind"] for step in data["history"]] == ["published"]
    assert data["history"][0]["label"] == "Proposition déposée"
    Proposal.objects.filter(pk=proposal.pk).update(answered_at=timezone.now())
    StatusChange.objects.create(proposal=proposal, kind=StatusChange.Kind.ANSWERED, answer_status="selected")
    data = client.get(f"/api/v1/proposals/{proposal.pk}").json()
    assert data["answer"]["status"] == "selected" and data["answer"]["label"] == "retenue"
    assert data["answer"]["text"] == "<p>Déjà prévu.</p>"
    assert [step["kind"] for step in data["history"]] == ["published", "answered"]


def test_drafts_hidden_and_private_proposals_are_not_found_but_for_whom_may_see_them(client):
    draft = ProposalFactory(status=Proposal.Status.DRAFT)
    hidden = ProposalFactory(moderation_status=ModerationStatus.HIDDEN)
    private = ProposalFactory(module__space__visibility=Space.Visibility.PRIVATE)
    for proposal in (draft, hidden, private):
        assert client.get(f"/api/v1/proposals/{proposal.pk}").status_code == 404
    client.force_login(draft.author)
    assert client.get(f"/api/v1/proposals/{draft.pk}").json()["status"] == "draft"
    client.force_login(make_org_admin())
    assert client.get(f"/api/v1/proposals/{hidden.pk}").json()["moderation_status"] == "hidden"
    assert client.get(f"/api/v1/proposals/{draft.pk}").status_code == 404  # a draft is its author's only


def test_the_module_gives_its_public_settings_and_count(client):
    module = ProposalModuleFactory(settings={"support_threshold": 50, "location_required": True})
    ProposalFactory.create_batch(3, module=module)
    data = client.get(f"/api/v1/proposals/modules/{module.pk}").json()
    assert data["proposals_count"] == 3 and data["space"] == module.space.slug
    assert data["settings"]["support_threshold"] == 50 and data["settings"]["location_required"] is True
    assert data["settings"]["theme_required"] is False
    assert "random" in data["sorts"] and "done" in data["answer_statuses"]


def test_the_list_costs_the_same_queries_for_5_or_50_proposals(client):
    module = ProposalModuleFactory()
    theme, territory = ThemeFactory(), TerritoryFactory()
    ProposalFactory.create_batch(5, module=module, theme=theme, territory=territory)
    with CaptureQueriesContext(connection) as few:
        _list(client, module, limit=50)
    ProposalFactory.create_batch(45, module=module, theme=theme, territory=territory)
    with CaptureQueriesContext(connection) as many:
        assert len(_list(client, module, limit=50)["items"]) == 50
    assert len(many) == len(few)


def test_the_schema_declares_the_routes_and_their_errors(client):
    schema = client.get("/api/v1/openapi.json").json()
    paths = schema["paths"]
    listing = paths["/api/v1/proposals/modules/{module_id}/proposals"]["get"]
    assert {"200", "400", "404", "422"} <= set(listing["responses"])
    names = {p["name"] for p in listing["parameters"]}
    assert {"theme", "territory", "status", "q", "mine", "sort", "seed", "cursor", "limit"} <= names
    assert "bbox" in {p["name"] for p in paths["/api/v1/proposals/modules/{module_id}/geojson"]["get"]["parameters"]}
    assert "404" in paths["/api/v1/proposals/{proposal_id}"]["get"]["responses"]
