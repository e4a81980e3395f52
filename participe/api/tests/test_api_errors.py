"""Error answers of the API: each operation documents the ones it returns, with their body's schema."""

from __future__ import annotations

import pytest

from participe.api.api import framework_errors
from tests.factories import ModuleFactory, UserFactory

pytestmark = pytest.mark.django_db

HUGE = 2**63  # one more than a 64-bit identifier holds
ERROR = "#/components/schemas/ErrorOut"
VALIDATION = "#/components/schemas/ValidationErrorOut"


@pytest.fixture
def schema(client):
    return client.get("/api/v1/openapi.json").json()


def documented(schema, path, method="get"):
    responses = schema["paths"][f"/api/v1{path}"][method]["responses"]
    return {
        int(code): body.get("content", {}).get("application/json", {}).get("schema", {})
        for code, body in responses.items()
    }


def test_the_error_schemas_are_components(schema):
    components = schema["components"]["schemas"]
    assert components["ErrorOut"]["properties"]["detail"]["type"] == "string"
    assert components["ValidationErrorOut"]["properties"]["detail"]["type"] == "array"


@pytest.mark.parametrize(
    ("path", "codes"),
    [
        ("/spaces", {400, 422}),
        ("/spaces/{slug}", {404}),
        ("/spaces/{slug}/modules", {404}),
        ("/modules/{module_id}/phases", {404, 422}),
        ("/debate/modules/{module_id}/subjects", {404, 422}),
        ("/debate/subjects/{subject_id}", {404, 422}),
        ("/surveys/modules/{module_id}/questionnaire", {404, 422}),
        ("/surveys/modules/{module_id}/results", {403, 404, 422}),
    ],
)
def test_each_operation_declares_its_errors_with_their_schema(schema, path, codes):
    found = documented(schema, path)
    assert codes <= set(found)
    for code in codes:
        assert found[code] == {"$ref": VALIDATION if code == 422 else ERROR}


def test_every_operation_documents_what_the_framework_returns(schema):
    for path, item in schema["paths"].items():
        for method, operation in item.items():
            codes = {int(code) for code in operation["responses"]}
            parameters = operation.get("parameters", [])
            if parameters or "requestBody" in operation:
                assert 422 in codes, (method, path)
            if any(p["in"] == "path" for p in parameters):
                assert 404 in codes, (method, path)
            if "requestBody" in operation:
                assert 400 in codes, (method, path)
            if operation.get("security"):
                assert {401, 403} <= codes, (method, path)
            if method in {"post", "put", "patch", "delete"}:
                assert {413, 429} <= codes, (method, path)


def test_framework_errors_keep_what_an_operation_declares_itself():
    operation = {"parameters": [{"in": "query", "name": "q"}], "security": [{"SessionAuth": []}]}
    assert set(framework_errors(operation, "get")) == {401, 403, 414, 422}
    assert set(framework_errors({}, "get")) == set()
    assert set(framework_errors({}, "post")) == {403, 413, 429}  # a body too large, too many writes
    assert set(framework_errors({"requestBody": {}}, "post")) == {400, 403, 413, 414, 422, 429}


@pytest.mark.parametrize(
    "path",
    [
        "/modules/abc/phases",
        f"/modules/{HUGE}/phases",
        "/modules/0/phases",
        "/debate/modules/abc/subjects",
        f"/debate/subjects/{HUGE}",
        "/surveys/modules/abc/questionnaire",
        f"/surveys/modules/{HUGE}/results",
        "/surveys/modules/1/results?territory=abc",
    ],
)
def test_a_bad_parameter_is_a_422_with_the_validation_errors(client, path):
    response = client.get(f"/api/v1{path}")
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail and {"loc", "msg", "type"} <= set(detail[0])


@pytest.mark.parametrize(
    "path",
    [
        "/spaces/nulle-part",
        "/spaces/nulle-part/modules",
        "/modules/999999/phases",
        "/debate/modules/999999/subjects",
        "/debate/subjects/999999",
        "/surveys/modules/999999/questionnaire",
        "/surveys/modules/999999/results",
    ],
)
def test_what_does_not_exist_is_a_404_with_a_detail(client, path):
    response = client.get(f"/api/v1{path}")
    assert response.status_code == 404
    assert isinstance(response.json()["detail"], str)


def test_a_module_of_another_type_is_not_found_in_a_module_route(client):
    module = ModuleFactory()
    assert client.get(f"/api/v1/debate/modules/{module.pk}/subjects").json() == {"detail": "Not Found"}


def test_a_bad_filter_is_a_400_with_a_detail(client):
    response = client.get("/api/v1/spaces?timing=soon")
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


def test_a_body_that_cannot_be_parsed_is_a_400(client):
    client.force_login(UserFactory())
    response = client.post("/api/v1/notifications/follows", data=b"\x00", content_type="application/json")
    assert response.status_code == 400
    assert isinstance(response.json()["detail"], str)


def test_an_operation_behind_authentication_is_a_401_without_a_session(client, schema):
    assert 401 in documented(schema, "/notifications/")
    response = client.get("/api/v1/notifications/")
    assert response.status_code == 401
    assert isinstance(response.json()["detail"], str)


def test_the_platform_routers_declare_the_errors_their_code_raises(schema):
    """Errors raised by hand in the routers of the platform's shared services are in their own declarations."""
    declared = {
        ("get", "/notifications/"): {400},
        ("post", "/notifications/follows"): {404},
        ("post", "/notifications/follows/delete"): {404},
        ("get", "/comments/{content_type_id}/{object_id}"): {400, 404},
        ("post", "/comments/{content_type_id}/{object_id}"): {400, 403, 404},
        ("post", "/moderation/reports"): {400, 403, 404, 409},
        ("delete", "/supports/{content_type_id}/{object_id}"): {403, 409},
        ("get", "/search/"): {422},
    }
    for (method, path), codes in declared.items():
        operation = schema["paths"][f"/api/v1{path}"][method]
        assert codes <= {int(code) for code in operation["responses"]}, (method, path)


def test_a_refused_search_filter_is_a_validation_error_like_the_others(client):
    response = client.get("/api/v1/search/", {"q": "banc", "sort": "au-hasard"})
    assert response.status_code == 422
    detail = response.json()["detail"]
    assert isinstance(detail, list) and detail[0]["loc"][0] == "query"


def test_no_two_schemas_of_the_api_share_a_name():
    """The OpenAPI components are named after the schema classes: two classes of one name would share one
    component, and one of their operations would be documented with the other's shape."""
    from ninja import Schema

    from participe.api.api import api

    api.get_openapi_schema()  # every router imported

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    ours = [c for c in subclasses(Schema) if c.__module__.startswith("participe.")]
    names = [c.__name__ for c in ours]
    assert sorted({n for n in names if names.count(n) > 1}) == []
