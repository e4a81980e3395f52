"""The queue of the services in the back-office (« File d'attente des services ») and the deletion of a note."""

from __future__ import annotations

import datetime
import html

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from participe.assignments.models import Note
from participe.assignments.tests.factories import AssignmentFactory, NoteFactory
from tests.factories import (
    ItemFactory,
    ParticipationModuleFactory,
    ServiceFactory,
    UserFactory,
    make_org_admin,
    make_space_role,
    with_totp,
)

pytestmark = pytest.mark.django_db
QUEUE = reverse("assignments_backoffice:queue")


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def agent_client(client, agent):
    client.force_login(with_totp(agent))
    return client


def test_the_agent_finds_what_is_given_to_their_service_in_every_module_overdue_first(agent_client, service, item):
    now = timezone.now()
    proposal = ItemFactory(title="Un composteur au square")  # an item of another module
    AssignmentFactory(item=item, service=service, due_at=now + datetime.timedelta(days=5))
    AssignmentFactory(item=proposal, service=service, due_at=now - datetime.timedelta(days=1))
    AssignmentFactory(item=ItemFactory(title="Pour un autre service"), service=ServiceFactory())
    page = text(agent_client.get(QUEUE))
    assert page.index("Un composteur au square") < page.index("Des bancs à l'ombre")
    assert "Pour un autre service" not in page
    assert page.count("en retard") >= 2  # the count of the service and the mark of the proposal
    assert proposal.get_backoffice_url() in page and item.get_backoffice_url() in page
    assert proposal.module.space.title in page and "Espaces verts" in page
    overdue = text(agent_client.get(QUEUE, {"retard": "on"}))
    assert "Un composteur au square" in overdue and "Des bancs à l'ombre" not in overdue
    by_module = text(agent_client.get(QUEUE, {"module": item.module.pk}))
    assert "Des bancs à l'ombre" in by_module and "Un composteur au square" not in by_module


def test_the_queue_costs_the_same_with_more_items(agent_client, service):
    module = ParticipationModuleFactory()
    AssignmentFactory(item=ItemFactory(module=module), service=service)
    agent_client.get(QUEUE)
    with CaptureQueriesContext(connection) as few:
        agent_client.get(QUEUE)
    for _ in range(15):
        AssignmentFactory(item=ItemFactory(module=ParticipationModuleFactory()), service=service)
        AssignmentFactory(item=ItemFactory(), service=service)
    with CaptureQueriesContext(connection) as many:
        response = agent_client.get(QUEUE)
    assert response.content.decode().count("<tr>") == 2 + 1 + 31  # two headers, the service's figures, 31 items
    assert len(many) == len(few)  # one query per model of the page, not one per row


def test_the_queue_is_for_agents_and_organisation_admins(client, module, service):
    assert client.get(QUEUE).status_code == 302  # to the login page
    client.force_login(UserFactory())
    assert client.get(QUEUE).status_code == 403
    client.force_login(make_space_role(module.space, "moderator"))
    assert client.get(QUEUE).status_code == 403
    client.force_login(make_org_admin())
    AssignmentFactory(item=ItemFactory(title="Pour la voirie"), service=service)
    page = text(client.get(QUEUE))
    assert "Pour la voirie" in page and "Les services" in page


def test_the_menu_leads_agents_to_the_queue(agent_client, client):
    page = text(agent_client.get(reverse("backoffice:dashboard")))
    assert QUEUE in page and "File d'attente des services" in page


def test_a_note_is_deleted_by_its_author_only_and_the_item_s_page_comes_back(agent_client, agent, service, item):
    AssignmentFactory(item=item, service=service)
    mine, theirs = NoteFactory(item=item, author=agent), NoteFactory(item=item)
    url = reverse("assignments_backoffice:note_delete", args=[mine.pk])
    assert agent_client.get(url).status_code == 405
    response = agent_client.post(url)
    assert response["Location"] == item.get_backoffice_url() + "#notes"
    agent_client.post(reverse("assignments_backoffice:note_delete", args=[theirs.pk]))
    assert list(Note.objects.all()) == [theirs]


def test_a_note_of_an_item_out_of_reach_is_not_found(agent_client, item):
    note = NoteFactory(item=item)
    assert agent_client.post(reverse("assignments_backoffice:note_delete", args=[note.pk])).status_code == 404
