"""Read endpoints under /api/v1/debate/."""

from __future__ import annotations

import pytest
from django.utils import timezone

from participe.modules.debate.models import Subject
from participe.modules.debate.tests.factories import DebateModuleFactory, SubjectFactory
from participe.spaces.models import Space
from tests.factories import ModuleFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_it_lists_the_published_questions_of_a_debate_in_order(client):
    module = DebateModuleFactory()
    SubjectFactory(module=module, title="Seconde", position=2)
    first = SubjectFactory(
        module=module,
        title="Première",
        position=1,
        comments_count=3,
        comments_favorable_count=2,
        comments_unfavorable_count=1,
    )
    SubjectFactory(module=module, title="Brouillon", status=Subject.Status.DRAFT)
    response = client.get(f"/api/v1/debate/modules/{module.pk}/subjects")
    assert response.status_code == 200
    items = response.json()
    assert [s["title"] for s in items] == ["Première", "Seconde"]
    assert items[0]["id"] == first.pk
    assert items[0]["stances"] == {"favorable": 2, "neutral": 0, "unfavorable": 1}
    assert items[0]["comments_count"] == 3
    assert items[0]["url"].endswith(first.get_absolute_url())
    assert items[0]["synthesis_published"] is False


def test_the_list_answers_404_for_what_is_not_a_visible_debate(client):
    assert client.get(f"/api/v1/debate/modules/{ModuleFactory().pk}/subjects").status_code == 404
    private = DebateModuleFactory(space__visibility=Space.Visibility.PRIVATE)
    assert client.get(f"/api/v1/debate/modules/{private.pk}/subjects").status_code == 404
    assert client.get("/api/v1/debate/modules/999999/subjects").status_code == 404


def test_a_question_gives_its_presentation_and_its_synthesis_once_published(client):
    subject = SubjectFactory(body="<p>Le contexte</p>", synthesis="<p>Brouillon de synthèse</p>")
    data = client.get(f"/api/v1/debate/subjects/{subject.pk}").json()
    assert data["body"] == "<p>Le contexte</p>"
    assert data["synthesis"] is None and data["synthesis_published_at"] is None
    assert data["image"] is None
    Subject.objects.filter(pk=subject.pk).update(synthesis_published_at=timezone.now())
    data = client.get(f"/api/v1/debate/subjects/{subject.pk}").json()
    assert data["synthesis"] == "<p>Brouillon de synthèse</p>" and data["synthesis_published"] is True


def test_a_draft_or_private_question_is_not_found(client):
    assert client.get(f"/api/v1/debate/subjects/{SubjectFactory(status=Subject.Status.DRAFT).pk}").status_code == 404
    private = SubjectFactory(module__space__visibility=Space.Visibility.PRIVATE)
    client.force_login(UserFactory())
    assert client.get(f"/api/v1/debate/subjects/{private.pk}").status_code == 404


def test_the_routes_are_in_the_openapi_schema(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/debate/modules/{module_id}/subjects" in paths
    assert "/api/v1/debate/subjects/{subject_id}" in paths


@pytest.mark.parametrize("path", ["/modules/abc/subjects", f"/modules/{2**63}/subjects", "/subjects/0"])
def test_a_bad_identifier_is_a_422_and_is_documented(client, path):
    response = client.get(f"/api/v1/debate{path}")
    assert response.status_code == 422
    assert response.json()["detail"][0]["loc"][0] == "path"
    responses = client.get("/api/v1/openapi.json").json()["paths"]["/api/v1/debate/subjects/{subject_id}"]["get"]
    assert {"200", "404", "422"} <= set(responses["responses"])
