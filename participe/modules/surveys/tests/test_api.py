"""API of the surveys module: the structure of a questionnaire, its aggregated results when published."""

from __future__ import annotations

import pytest

from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from participe.spaces.models import Space
from tests.factories import TerritoryFactory, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    s = sample_questionnaire()
    submit(s.questionnaire, full_answers(s, comment="Un secret"))
    submit(s.questionnaire, full_answers(s, transport=s.choice(s.transport, "Bus"), age=20))
    return s


def publish(sample, **values):
    module = sample.questionnaire.module
    module.settings = {**module.settings, "results_public": True, **values}
    module.save()


def url(sample, what):
    return f"/api/v1/surveys/modules/{sample.questionnaire.module_id}/{what}"


def test_the_structure_of_a_questionnaire(client, sample):
    s = sample
    data = client.get(url(s, "questionnaire")).json()
    assert data["module_id"] == s.questionnaire.module_id and data["responses_count"] == 2
    assert data["results_public"] is False
    questions = data["questions"]
    assert [q["kind"] for q in questions][:4] == ["single", "multiple", "section", "ranking"]
    assert [q["number"] for q in questions] == [1, 2, None, 3, 4, 5, None, 6, 7, 8, 9, 10]
    reasons = questions[1]
    assert reasons["condition"] == {"question_id": s.transport.pk, "choice_ids": [s.choice(s.transport, "Voiture").pk]}
    assert questions[4]["config"]["max_label"] == "Tout à fait"
    assert [r["label"] for r in questions[5]["rows"]] == ["Piscine", "Médiathèque"]


def test_results_are_served_only_when_published(client, sample):
    assert client.get(url(sample, "results")).status_code == 404
    publish(sample)
    data = client.get(url(sample, "results")).json()
    assert data["respondents"] == 2
    first = data["questions"][0]
    assert first["number"] == 1 and first["answered"] == 2
    assert [(c["label"], c["count"], c["percent"]) for c in first["choices"][:2]] == [
        ("Voiture", 1, 50.0),
        ("Bus", 1, 50.0),
    ]
    age = next(q for q in data["questions"] if q["kind"] == "number")
    assert age["stats"]["median"] == 31 and age["stats"]["minimum"] == 20
    assert "Un secret" not in str(data)


def test_staff_read_the_results_before_they_are_published(client, sample):
    client.force_login(make_org_admin())
    response = client.get(url(sample, "results"))
    assert response.status_code == 200
    data = response.json()
    assert data["respondents"] == 2 and data["questions"][0]["answered"] == 2
    client.logout()
    assert client.get(url(sample, "results")).status_code == 404  # not yet for everyone


def test_results_of_a_territory(client, sample):
    publish(sample)
    north = TerritoryFactory()
    for _n in range(10):
        submit(sample.questionnaire, full_answers(sample), territory=north)
    data = client.get(url(sample, "results"), {"territory": north.pk}).json()
    assert data["respondents"] == 10 and data["territory_id"] == north.pk
    assert client.get(url(sample, "results"), {"territory": 999999}).status_code == 404
    few = TerritoryFactory()
    submit(sample.questionnaire, full_answers(sample), territory=few)
    assert client.get(url(sample, "results"), {"territory": few.pk}).status_code == 403


def test_private_spaces_and_other_modules_are_not_found(client, sample):
    publish(sample)
    Space.objects.filter(pk=sample.questionnaire.module.space_id).update(visibility=Space.Visibility.PRIVATE)
    assert client.get(url(sample, "questionnaire")).status_code == 404
    assert client.get(url(sample, "results")).status_code == 404
    assert client.get("/api/v1/surveys/modules/999999/questionnaire").status_code == 404


def test_the_routes_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/surveys/modules/{module_id}/questionnaire" in paths
    results = paths["/api/v1/surveys/modules/{module_id}/results"]["get"]
    assert [p["name"] for p in results["parameters"]] == ["module_id", "territory"]


def test_error_answers_are_documented_with_their_body(client, sample):
    results = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/surveys/modules/{module_id}/results"]
    assert {"200", "403", "404", "422"} <= set(results["get"]["responses"])
    publish(sample)
    few = TerritoryFactory()
    submit(sample.questionnaire, full_answers(sample), territory=few)
    refused = client.get(url(sample, "results"), {"territory": few.pk})
    assert refused.status_code == 403 and isinstance(refused.json()["detail"], str)
    assert client.get(f"/api/v1/surveys/modules/{2**63}/questionnaire").status_code == 422
