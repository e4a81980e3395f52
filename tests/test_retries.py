"""Issue #19, finding 9: every creating request of the API takes an ``Idempotency-Key``; sent again with the same
key, it answers 200 with the first result instead of a duplicate or an error (``participe.core.idempotency``).
Comments: ``participe/comments/tests/test_retries.py``; proposals: the module's ``test_retries.py``."""

from __future__ import annotations

import pytest
from django.contrib.contenttypes.models import ContentType

from participe.attachments.models import Attachment
from participe.attachments.tests.factories import pdf_bytes, upload
from participe.moderation.models import Report
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db

KEY = "b7f0c1e2-9d3a-4e5b-8c6d-1a2b3c4d5e6f"


def test_a_report_sent_again_answers_with_the_first(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    body = {"content_type": ContentType.objects.get_for_model(item).pk, "object_id": item.pk, "reason": "spam"}
    first = client.post("/api/v1/moderation/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post("/api/v1/moderation/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY=KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json() == again.json()
    assert Report.objects.count() == 1
    other = client.post("/api/v1/moderation/reports", body, content_type="application/json")
    assert other.status_code == 409  # without the key, a second report is still refused as before


def test_an_upload_sent_again_answers_with_the_first(client):
    item = ItemFactory()
    client.force_login(item.author)
    url = f"/api/v1/attachments/{ContentType.objects.get_for_model(item).pk}/{item.pk}"
    first = client.post(url, {"file": upload("plan.pdf", pdf_bytes()), "title": "Plan"}, HTTP_IDEMPOTENCY_KEY=KEY)
    again = client.post(url, {"file": upload("plan.pdf", pdf_bytes()), "title": "Plan"}, HTTP_IDEMPOTENCY_KEY=KEY)
    assert (first.status_code, again.status_code) == (201, 200)
    assert first.json()["id"] == again.json()["id"]
    assert Attachment.objects.count() == 1


def test_a_bad_key_is_a_clear_400(client):
    item = ItemFactory()
    client.force_login(UserFactory())
    body = {"content_type": ContentType.objects.get_for_model(item).pk, "object_id": item.pk, "reason": "spam"}
    response = client.post(
        "/api/v1/moderation/reports", body, content_type="application/json", HTTP_IDEMPOTENCY_KEY="x"
    )
    assert response.status_code == 400
    assert "clé d'idempotence" in response.json()["detail"]
    assert not Report.objects.exists()
