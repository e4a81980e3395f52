"""Reads of routing to services: one item's assignment, a page of them, annotations and filters for a module's
lists, the queue of a service or of an agent across modules, counts and overdue items."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participe.assignments import selectors
from participe.assignments.selectors import ALL, DONE, QueueFilters
from participe.assignments.tests.factories import AssignmentFactory
from tests.factories import ItemFactory, ParticipationModuleFactory, ServiceFactory, make_org_admin
from tests.testapp.models import Item

pytestmark = pytest.mark.django_db

DAY = datetime.timedelta(days=1)


def test_the_assignment_of_an_item_is_read_once(item, service):
    AssignmentFactory(item=item, service=service)
    with CaptureQueriesContext(connection) as queries:
        assert selectors.assignment_of(item).service == service
        assert selectors.assignment_of(item).service == service
    assert len(queries) == 1
    other = ItemFactory(module=item.module)
    assert selectors.assignment_of(other) is None


def test_a_page_of_items_reads_its_assignments_in_one_query(module, service):
    items = [ItemFactory(module=module) for _ in range(5)]
    for found in items[:3]:
        AssignmentFactory(item=found, service=service)
    with CaptureQueriesContext(connection) as queries:
        selectors.prefetch_assignments(items)
        services_seen = [a.service.name if (a := selectors.assignment_of(i)) else None for i in items]
    assert len(queries) == 1
    assert services_seen == ["Espaces verts"] * 3 + [None, None]


def test_annotations_and_filters_for_a_module_s_lists(module, service):
    first, second, third = (ItemFactory(module=module) for _ in range(3))
    AssignmentFactory(item=first, service=service, due_at=timezone.now() + DAY)
    AssignmentFactory(item=second, service=ServiceFactory(name="Voirie"))
    rows = {i.pk: i for i in selectors.with_assignment(Item.objects.filter(module=module))}
    assert rows[first.pk].assignment_service_name == "Espaces verts" and rows[first.pk].assignment_due_at
    assert rows[third.pk].assignment_service_id is None
    qs = Item.objects.filter(module=module)
    assert list(selectors.assigned_to(qs, [service.pk])) == [first]
    assert list(selectors.unassigned(qs)) == [third]


def test_the_expected_delay_is_the_module_s_setting(module):
    assert selectors.expected_delay(module) is None
    module.settings = {"assignment_delay": "20"}
    assert selectors.expected_delay(module) == datetime.timedelta(days=20)
    module.settings = {"assignment_delay": "beaucoup"}
    assert selectors.expected_delay(module) is None


@pytest.fixture
def queue(service):
    """Items of two modules given to ``service``: overdue, due later, without date, handled; one of another service."""
    now = timezone.now()
    first, second = ParticipationModuleFactory(), ParticipationModuleFactory()
    made = {
        "late": AssignmentFactory(
            item=ItemFactory(module=first), service=service, due_at=now - DAY, assigned_at=now - 40 * DAY
        ),
        "soon": AssignmentFactory(item=ItemFactory(module=second), service=service, due_at=now + DAY),
        "undated": AssignmentFactory(item=ItemFactory(module=first), service=service),
        "done": AssignmentFactory(item=ItemFactory(module=first), service=service, due_at=now - DAY, done_at=now),
        "elsewhere": AssignmentFactory(item=ItemFactory(module=first), service=ServiceFactory()),
    }
    return made


def names(assignments, made):
    by_pk = {a.pk: name for name, a in made.items()}
    return [by_pk[a.pk] for a in assignments]


def test_the_queue_of_a_service_puts_overdue_first_then_by_due_date(service, queue):
    assert names(selectors.queue([service.pk]), queue) == ["late", "soon", "undated"]
    assert names(selectors.queue([service.pk], QueueFilters(status=DONE)), queue) == ["done"]
    assert len(selectors.queue([service.pk], QueueFilters(status=ALL))) == 4
    assert names(selectors.queue([service.pk], QueueFilters(overdue=True)), queue) == ["late"]
    assert names(selectors.queue([service.pk], QueueFilters(older_than_days=30)), queue) == ["late"]
    module = queue["soon"].module
    assert names(selectors.queue([service.pk], QueueFilters(module=module.pk)), queue) == ["soon"]


def test_the_queue_of_an_agent_spans_their_services_and_every_module(service, agent, queue):
    page = selectors.queue_page(agent, QueueFilters(), cursor=None, size=2)
    assert names(page.items, queue) == ["late", "soon"] and page.has_next
    assert page.items[0].item.pk == queue["late"].object_id
    rest = selectors.queue_page(agent, QueueFilters(), cursor=page.next_cursor, size=2)
    assert names(rest.items, queue) == ["undated"] and not rest.has_next
    admin_queue = selectors.queue_for(make_org_admin())
    assert len(admin_queue) == 4  # every service: "elsewhere" too
    assert not selectors.queue_for(ItemFactory().author).exists()  # a resident is in no service


def test_a_page_of_the_queue_costs_the_same_with_more_items(service, agent, queue):
    selectors.queue_page(agent, QueueFilters(), cursor=None)  # the agent's services, read once per request
    with CaptureQueriesContext(connection) as few:
        selectors.queue_page(agent, QueueFilters(), cursor=None)
    module = ParticipationModuleFactory()
    for _ in range(20):
        AssignmentFactory(item=ItemFactory(module=module), service=service)
    with CaptureQueriesContext(connection) as many:
        page = selectors.queue_page(agent, QueueFilters(), cursor=None)
    assert len(page.items) == 23 and len(many) == len(few)


def test_counts_per_service_and_overdue_items(service, queue):
    counts = selectors.counts_by_service([service.pk, queue["elsewhere"].service_id])
    assert counts[service.pk] == {"open": 3, "overdue": 1, "done": 1}
    assert counts[queue["elsewhere"].service_id] == {"open": 1, "overdue": 0, "done": 0}
    assert [a.pk for a in selectors.overdue()] == [queue["late"].pk]


def test_an_item_deleted_without_its_module_cleaning_up_shows_as_none(service, agent, queue):
    Item.objects.filter(pk=queue["late"].object_id).delete()
    page = selectors.queue_page(agent, QueueFilters(), cursor=None)
    assert page.items[0].item is None
