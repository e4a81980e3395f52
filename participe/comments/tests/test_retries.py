"""Issue #19, finding 9: a comment sent again (the client saw an error, the connection dropped) is posted once —
the form's one-time token and the API's ``Idempotency-Key`` header (``participe.core.idempotency``)."""

from __future__ import annotations

import re

import pytest
from django.contrib.contenttypes.models import ContentType

from participe.comments.models import Comment
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = "0f8e1c2d-4b5a-4c3d-9e8f-7a6b5c4d3e2f"


def api_url(item) -> str:
    return f"/api/v1/comments/{ContentType.objects.get_for_model(item).pk}/{item.pk}"


def form_url(item) -> str:
    return f"/commentaires/{ContentType.objects.get_for_model(item).pk}/{item.pk}/ajouter/"


def token_in(page: str) -> str:
    found = re.search(r'name="jeton" value="([^"]+)"', page)
    assert found, "the form carries no one-time token"
    return found.group(1)


def test_the_api_answers_a_retry_with_the_first_comment(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    body = {"body": "Un avis envoyé deux fois.", "stance": "favorable"}
    first = client.post(api_url(item), body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post(api_url(item), body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.json()["id"] == first.json()["id"]
    assert Comment.objects.count() == 1
    item.refresh_from_db()
    assert item.comments_count == 1
    other = client.post(api_url(item), body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY[::-1])
    assert other.status_code == 201  # another key: another comment
    assert Comment.objects.count() == 2


def test_a_key_is_the_senders_own(client):
    item = ItemFactory()
    body = {"body": "Même clé, autre personne.", "stance": "neutral"}
    for _ in range(2):
        client.force_login(UserFactory())
        response = client.post(api_url(item), body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
        assert response.status_code == 201
    assert Comment.objects.count() == 2


def test_a_bad_key_is_refused_with_a_clear_message(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    body = {"body": "Clé trop courte.", "stance": "neutral"}
    response = client.post(api_url(item), body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="court")
    assert response.status_code == 400
    assert "clé d'idempotence" in response.json()["detail"]
    assert not Comment.objects.exists()


def test_without_a_key_the_api_posts_as_before(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    body = {"body": "Sans clé.", "stance": "neutral"}
    assert client.post(api_url(item), body, content_type="application/json").status_code == 201
    assert client.post(api_url(item), body, content_type="application/json").status_code == 201
    assert Comment.objects.count() == 2


def test_the_form_sent_twice_posts_once(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    thread = f"/commentaires/{ContentType.objects.get_for_model(item).pk}/{item.pk}/"
    token = token_in(client.get(thread).content.decode())
    data = {"body": "Envoyé, erreur réseau, renvoyé.", "stance": "favorable", "jeton": token}
    first = client.post(form_url(item), data)
    again = client.post(form_url(item), data)
    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]  # the retry lands on the first comment
    assert Comment.objects.count() == 1
    assert token_in(client.get(thread).content.decode()) != token  # the next comment gets a new token


def test_a_form_with_errors_keeps_its_token(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    token = "jeton-de-test-0123456789abcdef"
    response = client.post(form_url(item), {"body": "Sans position", "jeton": token})
    assert response.status_code == 200
    assert token_in(response.content.decode()) == token  # nothing was written: the same attempt goes on
    assert not Comment.objects.exists()
    assert (
        client.post(form_url(item), {"body": "Avec position", "stance": "neutral", "jeton": token}).status_code == 302
    )
    assert Comment.objects.count() == 1
