"""/api/v1/moderation/: reasons (public), report a content (session + CSRF), the moderators' queue."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.test import Client
from django.utils import timezone

from participe.moderation import services
from participe.moderation.models import Report
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db

REPORTS = "/api/v1/moderation/reports"


def payload(item, **extra):
    return {"content_type": ContentType.objects.get_for_model(item).pk, "object_id": item.pk, "reason": "spam", **extra}


def test_the_reasons_are_public(client):
    data = client.get("/api/v1/moderation/reasons").json()
    assert {"value": "abusive", "label": "Propos injurieux ou haineux"} in data


def test_a_participant_reports_once(client, item):
    client.force_login(UserFactory())
    response = client.post(REPORTS, payload(item, details="Publicité"), content_type="application/json")
    assert response.status_code == 201 and response.json()["reason"] == "spam"
    assert Report.objects.get().details == "Publicité"
    response = client.post(REPORTS, payload(item), content_type="application/json")
    assert response.status_code == 409 and "déjà signalé" in response.json()["detail"]


def test_reporting_needs_a_session_and_the_csrf_token(client, item):
    assert client.post(REPORTS, payload(item), content_type="application/json").status_code == 401
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(UserFactory())
    assert strict.post(REPORTS, payload(item), content_type="application/json").status_code == 403
    assert not Report.objects.exists()


def test_bad_reports_are_refused_with_a_message(client, item):
    client.force_login(UserFactory())
    response = client.post(REPORTS, payload(item, reason="other"), content_type="application/json")
    assert response.status_code == 400 and "Précisez" in response.json()["detail"]
    response = client.post(REPORTS, payload(item.module), content_type="application/json")
    assert response.status_code == 404


def test_a_blocked_account_cannot_report(client, item):
    client.force_login(UserFactory(blocked_at=timezone.now()))
    assert client.post(REPORTS, payload(item), content_type="application/json").status_code == 403


def test_the_queue_is_for_moderators_and_scoped_to_their_spaces(client, item, space_moderator):
    services.report_create(actor=UserFactory(), target=item, reason="spam")
    services.report_create(actor=UserFactory(), target=ItemFactory(), reason="spam")
    client.force_login(UserFactory())
    assert client.get("/api/v1/moderation/queue").status_code == 403
    client.force_login(space_moderator)
    data = client.get("/api/v1/moderation/queue").json()
    assert [row["object_id"] for row in data["items"]] == [item.pk]
    assert data["items"][0]["content_type"] == "testapp.item" and data["items"][0]["reports_count"] == 1
