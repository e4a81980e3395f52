"""Who routes items (the item's module says), works on them (the agents of the service they are given to),
deletes a note (its author), reads the queues (agents, organisation administrators)."""

from __future__ import annotations

import pytest

from participe.assignments.rules import is_agent_of_assigned_service, service_ids_of
from participe.assignments.selectors import forget_assignment
from participe.assignments.tests.factories import AssignmentFactory, NoteFactory
from tests.factories import ServiceFactory, SpaceFactory, UserFactory, make_agent, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


def test_the_module_s_permission_decides_who_routes(item, manager, agent):
    assert manager.has_perm("assignments.change_assignment", item)
    assert make_org_admin().has_perm("assignments.change_assignment", item)
    assert not agent.has_perm("assignments.change_assignment", item)
    assert not make_space_role(SpaceFactory(), "admin").has_perm("assignments.change_assignment", item)
    assert not UserFactory().has_perm("assignments.change_assignment", item)


def test_the_agents_of_the_assigned_service_work_on_the_item(item, service, agent, manager):
    assert not agent.has_perm("assignments.add_note", item)
    AssignmentFactory(item=item, service=service)
    forget_assignment(item)  # what the item's object remembers (one request) is read again
    assert is_agent_of_assigned_service(agent, item)
    assert service_ids_of(agent) == frozenset({service.pk})
    for perm in ("assignments.add_note", "assignments.view_note", "assignments.close_assignment"):
        assert agent.has_perm(perm, item) and manager.has_perm(perm, item)
        assert not make_agent().has_perm(perm, item)  # an agent of another service


def test_a_blocked_agent_works_on_nothing(item, service, agent):
    AssignmentFactory(item=item, service=service)
    agent.blocked_at = agent.date_joined
    assert not is_agent_of_assigned_service(agent, item)


def test_only_its_author_deletes_a_note_while_they_work_on_the_item(item, service, agent, manager):
    AssignmentFactory(item=item, service=service)
    note = NoteFactory(item=item, author=agent)
    assert agent.has_perm("assignments.delete_note", note)
    assert not manager.has_perm("assignments.delete_note", note)
    service.members.remove(agent)
    agent = type(agent).objects.get(pk=agent.pk)  # a new request: the services are read again
    assert not agent.has_perm("assignments.delete_note", note)


def test_agents_and_organisation_admins_read_the_queues(manager):
    assert make_agent().has_perm("assignments.view_queue")
    assert make_org_admin().has_perm("assignments.view_queue")
    assert not manager.has_perm("assignments.view_queue")  # a space's admin in no service
    assert not UserFactory().has_perm("assignments.view_queue")
    ServiceFactory().members.add(manager)
    assert type(manager).objects.get(pk=manager.pk).has_perm("assignments.view_queue")
