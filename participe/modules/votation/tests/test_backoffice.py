"""The votation's back-office: the question with its election's settings, options with an image, the decision."""

from __future__ import annotations

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from participe.ballots import services as ballots
from participe.modules.votation.models import Option, Question
from participe.modules.votation.tests.factories import VotationModuleFactory, make_votation, option_ids
from tests.factories import make_agent, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(client):
    user = make_org_admin()
    client.force_login(user)
    return user


def png() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (20, 10), "green").save(buffer, format="PNG")
    return SimpleUploadedFile("place.png", buffer.getvalue(), content_type="image/png")


def test_the_question_page_creates_the_question_and_its_election(client, admin):
    module = VotationModuleFactory()
    page = client.post(
        f"/gestion/m/votation/{module.pk}/",
        {"text": "Quel nom ?", "kind": "single", "min_choices": 1, "channels": "both", "publish_receipts": "on"},
    )
    assert page.status_code == 302, page.content.decode()[:2000]
    question = Question.objects.get(module=module)
    assert question.election.channels == "both" and question.election.publish_receipts
    added = client.post(
        f"/gestion/m/votation/{module.pk}/options/ajouter/",
        {"title": "Place des Tilleuls", "image": png(), "image_alt": "Les tilleuls", "position": 1},
    )
    assert added.status_code == 302
    assert Option.objects.get(question=question).image.name.endswith(".jpg")  # re-encoded, EXIF dropped
    assert "Place des Tilleuls" in client.get(f"/gestion/m/votation/{module.pk}/").content.decode()


def test_the_decision_is_published_after_the_count(client, admin):
    question = make_votation(admin=admin)
    data = {"status": "followed", "text": "Le conseil municipal adopte le nom choisi.", "publier": "1"}
    refused = client.post(f"/gestion/m/votation/{question.module.pk}/decision/", data)
    assert "La décision se publie après le dépouillement" in refused.content.decode()
    ballots.election_close(actor=admin, election=question.election)
    ballots.election_count(actor=admin, election=question.election)
    assert client.post(f"/gestion/m/votation/{question.module.pk}/decision/", data).status_code == 302
    question.refresh_from_db()
    assert question.decision_status == "followed" and question.decision_published_at
    assert (
        "Le conseil municipal adopte le nom choisi." in client.get(question.module.get_absolute_url()).content.decode()
    )


def test_an_agent_outside_the_space_cannot_manage_it(client):
    question = make_votation()
    client.force_login(make_agent())
    assert client.get(f"/gestion/m/votation/{question.module.pk}/").status_code == 403
    assert client.get(f"/gestion/m/votation/options/{option_ids(question)[0]}/modifier/").status_code == 403
