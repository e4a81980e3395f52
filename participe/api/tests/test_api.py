"""The public REST API under /api/v1/."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from participe.spaces.models import Space, SpaceMembership
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory, TerritoryFactory, ThemeFactory, UserFactory

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_it_publishes_a_valid_openapi_3_schema_listing_the_routes(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema["openapi"].startswith("3.")
    assert schema["info"]["title"] == "Participe API"
    assert schema["info"]["version"] == "1"
    assert {
        "/api/v1/organisation",
        "/api/v1/territories",
        "/api/v1/themes",
        "/api/v1/spaces",
        "/api/v1/spaces/{slug}",
        "/api/v1/spaces/{slug}/modules",
        "/api/v1/modules/{module_id}/phases",
    } <= set(schema["paths"])
    methods = {"get", "put", "post", "delete", "options", "head", "patch", "trace"}
    operation_ids = []
    for path, item in schema["paths"].items():
        assert path.startswith("/")
        for method, operation in item.items():
            assert method in methods
            assert operation["responses"], (path, method)
            operation_ids.append(operation["operationId"])
            for parameter in operation.get("parameters", []):
                assert parameter["in"] in {"query", "path", "header", "cookie"}
                if parameter["in"] == "path":
                    assert parameter["required"] is True
                    assert "{" + parameter["name"] + "}" in path
    assert len(operation_ids) == len(set(operation_ids))
    for ref in set(_refs(schema)):  # every reference resolves
        assert ref.startswith("#/")
        node = schema
        for part in ref[2:].split("/"):
            node = node[part]
    list_params = {p["name"] for p in schema["paths"]["/api/v1/spaces"]["get"]["parameters"]}
    assert {"timing", "territory", "theme", "kind", "cursor", "limit"} <= list_params


def test_it_serves_the_organisation_territories_and_themes(client):
    commune = TerritoryFactory(name="Lumerac", slug="lumerac")
    TerritoryFactory(name="Les Tilleuls", slug="tilleuls", parent=commune)
    ThemeFactory(name="Mobilité", slug="mobilite")
    assert client.get("/api/v1/organisation").json()["name"]
    territories = {t["slug"]: t for t in client.get("/api/v1/territories").json()}
    assert territories["tilleuls"]["parent_id"] == commune.pk
    assert [t["slug"] for t in client.get("/api/v1/themes").json()] == ["mobilite"]


@pytest.fixture
def spaces():
    today = timezone.localdate()
    territory = TerritoryFactory(slug="tilleuls")
    theme = ThemeFactory(slug="mobilite")
    ongoing = SpaceFactory(title="En cours", slug="en-cours")
    ongoing.territories.set([territory])
    ongoing.themes.set([theme])
    SpaceFactory(title="À venir", slug="a-venir", start_date=today + 3 * DAY, kind=Space.Kind.ASSEMBLY)
    SpaceFactory(title="Finie", slug="finie", start_date=today - 90 * DAY, end_date=today - 30 * DAY)
    SpaceFactory(title="Privée", slug="privee", visibility=Space.Visibility.PRIVATE)
    SpaceFactory(title="Brouillon", slug="brouillon", status=Space.Status.DRAFT)


def slugs(response) -> set[str]:
    assert response.status_code == 200, response.content
    return {item["slug"] for item in response.json()["items"]}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("", {"en-cours", "a-venir", "finie"}),
        ("?timing=ongoing", {"en-cours"}),
        ("?timing=upcoming", {"a-venir"}),
        ("?timing=finished", {"finie"}),
        ("?territory=tilleuls", {"en-cours"}),
        ("?theme=mobilite", {"en-cours"}),
        ("?kind=assembly", {"a-venir"}),
    ],
)
def test_it_lists_visible_spaces_with_filters(client, spaces, query, expected):
    assert slugs(client.get(f"/api/v1/spaces{query}")) == expected


def test_it_shows_private_spaces_to_their_members_only(client, spaces):
    member = UserFactory()
    SpaceMembership.objects.create(space=Space.objects.get(slug="privee"), user=member, role="member")
    client.force_login(UserFactory())
    assert "privee" not in slugs(client.get("/api/v1/spaces"))
    assert client.get("/api/v1/spaces/privee").status_code == 404
    client.force_login(member)
    assert "privee" in slugs(client.get("/api/v1/spaces"))
    assert client.get("/api/v1/spaces/privee").status_code == 200


@pytest.mark.parametrize("slug", ["privee", "brouillon", "absente"])
def test_it_answers_404_for_spaces_a_visitor_may_not_see(client, spaces, slug):
    assert client.get(f"/api/v1/spaces/{slug}").status_code == 404
    assert client.get(f"/api/v1/spaces/{slug}/modules").status_code == 404


def test_it_pages_with_a_cursor(client):
    for n in range(7):
        SpaceFactory(slug=f"espace-{n}", start_date=None if n % 3 == 0 else timezone.localdate())
    seen, cursor, pages = [], None, 0
    while True:
        response = client.get("/api/v1/spaces", {"limit": 3} | ({"cursor": cursor} if cursor else {}))
        body = response.json()
        seen += [item["slug"] for item in body["items"]]
        pages += 1
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert pages == 3
    assert sorted(seen) == sorted(f"espace-{n}" for n in range(7))
    assert len(seen) == len(set(seen))


@pytest.mark.parametrize("query", ["?timing=soon", "?limit=0", "?limit=101", "?limit=-1"])
def test_it_answers_400_to_a_bad_filter(client, query):
    response = client.get(f"/api/v1/spaces{query}")
    assert response.status_code == 400
    assert "detail" in response.json()


def test_it_answers_a_bad_limit_type_with_a_validation_error(client):
    response = client.get("/api/v1/spaces?limit=beaucoup")
    assert response.status_code == 422
    [error] = response.json()["detail"]
    assert (error["type"], error["loc"]) == ("int_parsing", ["query", "limit"])


def test_it_refuses_a_bad_cursor_with_a_400(client, spaces):
    response = client.get("/api/v1/spaces?cursor=WyJ4IiwgInkiXQ")  # issue #19, finding 8: never silently page one
    assert response.status_code == 400
    assert response.json()["detail"].startswith("Invalid cursor")


def test_it_details_a_space_with_its_modules_and_phases(client):
    now = timezone.now()
    space = SpaceFactory(slug="budget", description="<p>Texte</p>")
    module = ModuleFactory(space=space, title="Informations", slug="informations")
    ModuleFactory(space=space, is_published=False)
    current = PhaseFactory(module=module, name="Information", start=now - DAY, end=now + DAY)
    PhaseFactory(module=module, name="Restitution", phase_type="restitution", start=now + DAY, end=now + 9 * DAY)
    body = client.get("/api/v1/spaces/budget").json()
    assert body["slug"] == "budget"
    assert body["description"] == "<p>Texte</p>"
    assert body["url"] == "http://testserver/demarches/budget/"
    assert [m["slug"] for m in body["modules"]] == ["informations"]
    phases = body["modules"][0]["phases"]
    assert [(p["name"], p["is_active"], p["capabilities"]) for p in phases] == [
        ("Information", True, ["view"]),
        ("Restitution", False, ["view"]),
    ]
    assert phases[0]["id"] == current.pk
    assert (
        client.get("/api/v1/spaces/budget/modules").json()[0]["url"]
        == "http://testserver/demarches/budget/informations/"
    )
    assert len(client.get(f"/api/v1/modules/{module.pk}/phases").json()) == 2


def test_it_hides_the_phases_of_a_module_one_may_not_see(client):
    hidden = ModuleFactory(space=SpaceFactory(status=Space.Status.DRAFT))
    unpublished = ModuleFactory(is_published=False)
    assert client.get(f"/api/v1/modules/{hidden.pk}/phases").status_code == 404
    assert client.get(f"/api/v1/modules/{unpublished.pk}/phases").status_code == 404
    assert client.get("/api/v1/modules/999999/phases").status_code == 404
