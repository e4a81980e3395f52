"""The public pages and the back-office of the commitments."""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from participe.commitments.models import Commitment
from participe.commitments.tests.factories import CommitmentFactory, CommitmentUpdateFactory
from participe.notifications.models import Notification
from participe.notifications.services import follow
from tests.factories import SpaceFactory

pytestmark = pytest.mark.django_db


def test_the_follow_up_lists_published_commitments_with_filters(client, space, service):
    late = CommitmentFactory(
        space=space, title="Bancs", service=service, planned_date=timezone.localdate() - datetime.timedelta(days=3)
    )
    CommitmentFactory(space=space, title="Fontaine", status="done", progress=100)
    CommitmentFactory(space=space, title="Secret", is_published=False)
    CommitmentFactory(space=SpaceFactory(status="draft"), title="Brouillon")
    page = client.get(reverse("commitments:follow_up")).content.decode()
    assert "Bancs" in page and "Fontaine" in page and "Secret" not in page and "Brouillon" not in page
    filtered = client.get(reverse("commitments:follow_up"), {"retard": "on"}).content.decode()
    assert "Bancs" in filtered and "Fontaine" not in filtered
    by_status = client.get(reverse("commitments:follow_up"), {"statut": "done"}).content.decode()
    assert "Fontaine" in by_status and "Bancs" not in by_status
    assert late.is_overdue


def test_the_htmx_request_gets_the_results_only(client, space):
    CommitmentFactory(space=space, title="Bancs")
    response = client.get(reverse("commitments:follow_up"), headers={"HX-Request": "true"})
    assert "<html" not in response.content.decode() and "Bancs" in response.content.decode()


def test_a_space_list_and_a_commitment_page(client, space, item, manager):
    commitment = CommitmentFactory(space=space, title="Planter des arbres")
    commitment.sources.create(content_type_id=_ct(item), object_id=item.pk)
    CommitmentUpdateFactory(commitment=commitment, text="Les fosses sont creusées.")
    assert "Planter des arbres" in client.get(reverse("commitments:space", args=[space.slug])).content.decode()
    page = client.get(commitment.get_absolute_url()).content.decode()
    assert "Les fosses sont creusées." in page and item.title in page


def test_an_unpublished_commitment_is_not_found(client, space):
    commitment = CommitmentFactory(space=space, is_published=False)
    assert client.get(commitment.get_absolute_url()).status_code == 404


def test_the_agent_adds_a_step_in_the_back_office_and_the_follower_is_told(client, agent, service, space, resident):
    commitment = CommitmentFactory(space=space, service=service)
    follow(actor=resident, target=commitment)
    client.force_login(agent)
    assert client.get(reverse("commitments_backoffice:index")).status_code == 200
    assert client.get(commitment.get_backoffice_url()).status_code == 200
    response = client.post(
        reverse("commitments_backoffice:update_add", args=[commitment.pk]),
        {"text": "Les arbres sont livrés.", "progress": "70", "status": "works"},
    )
    assert response.status_code == 302
    commitment.refresh_from_db()
    assert commitment.progress == 70 and commitment.status == "works"
    assert Notification.objects.filter(recipient=resident, event="commitments.status").exists()


def test_a_wrong_step_keeps_what_was_typed(client, manager, space):
    commitment = CommitmentFactory(space=space)
    client.force_login(manager)
    response = client.post(
        reverse("commitments_backoffice:update_add", args=[commitment.pk]),
        {"text": "Abandon", "status": "abandoned"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Abandon" in page and "Ce champ est obligatoire." in page
    assert not commitment.updates.exists()


def test_the_manager_creates_and_edits_a_commitment(client, manager, space):
    client.force_login(manager)
    url = reverse("commitments_backoffice:create") + f"?demarche={space.slug}"
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "demarche": space.slug,
            "title": "Rénover le kiosque",
            "budget": "12 000,50",
            "status": "study",
            "progress": "0",
            "is_published": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()
    commitment = Commitment.objects.get(title="Rénover le kiosque")
    assert str(commitment.budget) == "12000.50"
    bad = client.post(
        reverse("commitments_backoffice:edit", args=[commitment.pk]), {"title": "Kiosque", "budget": "cher"}
    )
    assert bad.status_code == 200 and "Kiosque" in bad.content.decode()
    commitment.refresh_from_db()
    assert commitment.title == "Rénover le kiosque"


def test_a_resident_may_not_reach_the_back_office(client, resident, space):
    commitment = CommitmentFactory(space=space)
    client.force_login(resident)
    assert client.get(reverse("commitments_backoffice:index")).status_code == 403
    assert client.get(commitment.get_backoffice_url()).status_code == 403


def test_the_open_data_export(client, space):
    CommitmentFactory(space=space, title="Bancs", budget=1000)
    CommitmentFactory(space=space, title="Secret", is_published=False)
    csv_text = b"".join(client.get(reverse("commitments:export", args=["csv"])).streaming_content).decode()
    assert "Bancs" in csv_text and "Secret" not in csv_text and csv_text.startswith("\ufeffid,reference,titre")
    json_text = b"".join(client.get(reverse("commitments:export", args=["json"])).streaming_content).decode()
    assert '"titre": "Bancs"' in json_text


def test_the_item_tag_shows_its_commitments(rf, space, item, resident):
    from django.template import Context, Template

    commitment = CommitmentFactory(space=space, title="Planter des arbres")
    commitment.sources.create(content_type_id=_ct(item), object_id=item.pk)
    request = rf.get("/")
    request.user = resident
    html = Template("{% load commitments %}{% item_commitments item %}").render(
        Context({"request": request, "item": item})
    )
    assert "Planter des arbres" in html


def _ct(item):
    from django.contrib.contenttypes.models import ContentType

    return ContentType.objects.get_for_model(item).pk


def test_the_old_address_of_the_bilan_leads_to_its_new_one(client, space):
    old = client.get(reverse("commitments:bilan_moved", args=[space.slug]))
    assert (old.status_code, old["Location"]) == (301, reverse("restitution:bilan", args=[space.slug]))
    old = client.get(reverse("commitments:bilan_pdf_moved", args=[space.slug]))
    assert (old.status_code, old["Location"]) == (301, reverse("restitution:bilan_pdf", args=[space.slug]))
