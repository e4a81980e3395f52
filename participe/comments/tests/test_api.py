"""The comments API: reading a thread by keyset pages, posting with the session and its CSRF token."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client

from participe.comments.models import Comment, Stance
from participe.comments.tests.factories import CommentFactory
from participe.spaces.models import Space
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def api_url(item) -> str:
    return f"/api/v1/comments/{ContentType.objects.get_for_model(item).pk}/{item.pk}"


def test_it_lists_a_thread_by_pages_with_counts_and_first_replies(client):
    item = ItemFactory(comments_count=3, comments_favorable_count=3)
    first = CommentFactory(item=item, body="Premier")
    for n in range(4):
        CommentFactory(item=item, parent=first, stance="", body=f"Réponse {n}")
    CommentFactory(item=item, body="Deuxième")
    CommentFactory(item=item, body="Troisième", author=None)
    data = client.get(api_url(item), {"limit": 2}).json()
    assert data["counts"] == {"total": 3, "favorable": 3, "neutral": 0, "unfavorable": 0}
    assert [c["body"] for c in data["items"]] == ["Premier", "Deuxième"]
    assert [r["body"] for r in data["items"][0]["replies"]] == ["Réponse 0", "Réponse 1", "Réponse 2"]
    assert data["items"][0]["more_replies"] == 1
    following = client.get(api_url(item), {"limit": 2, "cursor": data["next_cursor"]}).json()
    assert [c["author"] for c in following["items"]] == ["participant supprimé"]
    assert following["next_cursor"] is None
    replies = client.get(f"/api/v1/comments/comment/{first.pk}/replies").json()
    assert len(replies["items"]) == 4


def test_it_checks_its_parameters_and_visibility(client):
    item = ItemFactory()
    assert client.get(api_url(item), {"sort": "hasard"}).status_code == 400
    assert client.get(api_url(item), {"limit": 500}).status_code == 400
    private = ItemFactory(module__space__visibility=Space.Visibility.PRIVATE)
    assert client.get(api_url(private)).status_code == 404


def test_posting_needs_a_session_and_its_csrf_token():
    item = ItemFactory()
    user = UserFactory()
    anonymous = Client(enforce_csrf_checks=True)
    response = anonymous.post(api_url(item), {"body": "Bonjour", "stance": "neutral"}, content_type="application/json")
    assert (response.status_code, response.json()) == (403, {"detail": "CSRF check Failed"})
    anonymous.get("/")  # with the CSRF token, a visitor is still not signed in
    response = anonymous.post(
        api_url(item),
        {"body": "Bonjour", "stance": "neutral"},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=anonymous.cookies["csrftoken"].value,
    )
    assert (response.status_code, response.json()) == (401, {"detail": "Unauthorized"})
    assert not Comment.objects.exists()
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    response = client.post(api_url(item), {"body": "Bonjour", "stance": "neutral"}, content_type="application/json")
    assert (response.status_code, response.json()) == (403, {"detail": "CSRF check Failed"})  # no CSRF token
    client.get("/")  # sets the CSRF cookie
    token = client.cookies["csrftoken"].value
    response = client.post(
        api_url(item),
        {"body": "Bonjour", "stance": Stance.NEUTRAL},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201, response.content
    assert response.json()["stance"] == "neutral"
    item.refresh_from_db()
    assert item.comments_neutral_count == 1
    response = client.post(
        api_url(item),
        {"body": "Réponse", "parent_id": Comment.objects.get().pk},
        content_type="application/json",
        HTTP_X_CSRFTOKEN=token,
    )
    assert response.status_code == 201
    response = client.post(
        api_url(item), {"body": "", "stance": "neutral"}, content_type="application/json", HTTP_X_CSRFTOKEN=token
    )
    assert response.status_code == 400


def test_a_refusal_answers_403_with_the_reasons_of_the_permission_layer(client):
    item = ItemFactory()
    item.module.phases.update(phase_type="information")
    client.force_login(UserFactory())
    response = client.post(api_url(item), {"body": "Bonjour", "stance": "neutral"}, content_type="application/json")
    assert response.status_code == 403
    body = response.json()
    assert body["detail"] == "Les commentaires ne sont pas ouverts pendant cette étape."
    assert [r["code"] for r in body["reasons"]] == ["phase_closed"]
    assert not Comment.objects.exists()


def test_the_schema_documents_the_routes(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    assert "/api/v1/comments/{content_type_id}/{object_id}" in paths
    assert "post" in paths["/api/v1/comments/{content_type_id}/{object_id}"]
