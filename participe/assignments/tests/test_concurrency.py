"""Routing the same item at the same moment (PostgreSQL: real row locks, one connection per thread)."""

from __future__ import annotations

import pytest

from participe.assignments import services
from participe.assignments.models import Assignment, AssignmentEvent
from participe.notifications.models import Notification
from tests.concurrency import race
from tests.factories import ItemFactory, ServiceFactory, UserFactory, make_org_admin
from tests.testapp.models import Item

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def test_two_managers_giving_an_item_to_two_services_leave_one_assignment_and_both_steps():
    item = ItemFactory()
    services_ = [ServiceFactory(), ServiceFactory()]
    managers = [make_org_admin(), make_org_admin()]
    race(
        [
            lambda m=m, s=s: services.assign(actor=m, item=Item.objects.get(pk=item.pk), service=s)
            for m, s in zip(managers, services_, strict=True)
        ]
    )
    assignment = Assignment.objects.get()
    kinds = list(AssignmentEvent.objects.order_by("pk").values_list("kind", flat=True))
    assert kinds == ["assigned", "reassigned"]
    assert assignment.service_id == AssignmentEvent.objects.order_by("pk").last().to_service_id


def test_giving_an_item_to_the_same_service_ten_times_at_once_records_and_tells_once():
    item = ItemFactory()
    service = ServiceFactory()
    agent = UserFactory()
    service.members.add(agent)
    managers = [make_org_admin() for _ in range(10)]
    race([lambda m=m: services.assign(actor=m, item=Item.objects.get(pk=item.pk), service=service) for m in managers])
    assert Assignment.objects.count() == 1 and AssignmentEvent.objects.count() == 1
    assert Notification.objects.filter(recipient=agent).count() == 1


def test_overlapping_batches_never_deadlock():
    items = [ItemFactory() for _ in range(6)]
    first, second = ServiceFactory(), ServiceFactory()
    admin = make_org_admin()
    race(
        [
            lambda: services.assign_many(
                actor=admin, items=list(Item.objects.filter(pk__in=[i.pk for i in items[:4]])), service=first
            ),
            lambda: services.assign_many(
                actor=admin,
                items=list(Item.objects.filter(pk__in=[i.pk for i in items[2:]]).order_by("-pk")),
                service=second,
            ),
        ]
    )
    assert Assignment.objects.count() == 6
    assert AssignmentEvent.objects.filter(kind="reassigned").count() == 2  # the overlap moved once
