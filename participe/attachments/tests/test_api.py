"""/api/v1/attachments/: the list of a resource's attachments, and uploading one."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from participe.attachments import services
from participe.attachments.models import Attachment
from participe.attachments.tests.factories import jpeg_bytes, pdf_bytes, upload
from participe.spaces.models import Space
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def api_url(item) -> str:
    return f"/api/v1/attachments/{ContentType.objects.get_for_model(item).pk}/{item.pk}"


@pytest.fixture
def item():
    return ItemFactory()


def test_it_lists_the_attachments_of_a_resource_with_urls_type_size_and_alt(client, item):
    photo = services.attachment_add(
        actor=item.author, target=item, uploaded_file=upload("photo.jpg", jpeg_bytes()), title="Le square"
    )
    services.attachment_add(actor=item.author, target=item, uploaded_file=upload("plan.pdf", pdf_bytes()), title="")
    response = client.get(api_url(item))
    assert response.status_code == 200
    image, document = response.json()
    assert image["id"] == photo.pk
    assert image["kind"] == "image"
    assert image["alt"] == "Le square"
    assert image["url"] == f"http://testserver/pieces-jointes/{photo.pk}/"
    assert image["thumbnail_url"] == f"http://testserver/pieces-jointes/{photo.pk}/miniature/"
    assert (image["width"], image["height"]) == (600, 800)
    assert document["kind"] == "document"
    assert document["alt"] is None
    assert document["thumbnail_url"] is None
    assert document["mime_type"] == "application/pdf"
    assert document["type_label"] == "PDF"
    assert document["original_name"] == "plan.pdf"
    assert document["size"] == len(pdf_bytes())


def test_it_hides_the_attachments_of_a_private_space(client, item):
    Space.objects.filter(pk=item.module.space_id).update(visibility=Space.Visibility.PRIVATE)
    assert client.get(api_url(item)).status_code == 404
    assert client.get("/api/v1/attachments/999/1").status_code == 404


def test_the_author_uploads_a_file(client, item):
    client.force_login(item.author)
    response = client.post(api_url(item), {"file": upload("plan.pdf", pdf_bytes()), "title": "Plan"})
    assert response.status_code == 201
    assert response.json()["title"] == "Plan"
    assert Attachment.objects.get().mime_type == "application/pdf"


def test_an_upload_is_refused_with_reasons(client, item):
    client.force_login(item.author)
    response = client.post(api_url(item), {"file": upload("photo.jpg", jpeg_bytes())})
    assert response.status_code == 400
    assert "texte alternatif" in response.json()["errors"]["title"][0]
    response = client.post(api_url(item), {"file": upload("photo.jpg", b"#!/bin/sh\n"), "title": "x"})
    assert response.status_code == 400
    assert "n'est pas accepté" in response.json()["detail"]
    assert not Attachment.objects.exists()


def test_uploading_needs_to_be_signed_in_and_allowed(client, item):
    assert client.post(api_url(item), {"file": upload("plan.pdf", pdf_bytes())}).status_code == 401
    client.force_login(UserFactory())
    assert client.post(api_url(item), {"file": upload("plan.pdf", pdf_bytes())}).status_code == 403
    assert not Attachment.objects.exists()


def test_the_session_api_checks_the_csrf_token(item):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(item.author)
    assert client.post(api_url(item), {"file": upload("plan.pdf", pdf_bytes())}).status_code == 403
