"""Routing to services: giving items to a service (one, many), moving and taking them back, due dates, handled
and reopened, notes; each checked, recorded in the history and the audit log, the agents told after commit."""

from __future__ import annotations

import datetime

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.assignments import selectors, services
from participe.assignments.models import Assignment, AssignmentEvent, Note
from participe.core.registry import registry
from participe.notifications.models import Notification, NotificationPreference
from participe.permissions.refusals import Refused
from tests.factories import ItemFactory, ServiceFactory, UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db


def fresh(item):
    selectors.forget_assignment(item)
    return selectors.assignment_of(item)


def test_giving_an_item_to_a_service_records_it_and_tells_its_agents_after_commit(
    item, manager, service, agent, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        assignment = services.assign(actor=manager, item=item, service=service, reason="Compétence espaces verts")
        assert not Notification.objects.exists()  # not before the commit
    assert len(callbacks) == 1
    assert assignment.service == service and assignment.assigned_by == manager and assignment.module == item.module
    assert assignment.due_at is None  # the test module declares no delay
    event = AssignmentEvent.objects.get()
    assert (event.kind, event.to_service, event.actor, event.reason) == (
        "assigned",
        service,
        manager,
        "Compétence espaces verts",
    )
    notification = Notification.objects.get(recipient=agent, event=services.ASSIGNED_EVENT)
    assert (
        notification.object_id == item.pk
        and "à traiter par le service Espaces verts" in notification.context["subject"]
    )
    entry = AuditEntry.objects.get(action="assignments.assign")
    assert entry.before == {"service": None, "due_at": None} and entry.after["service"] == "Espaces verts"
    assert entry.reason == "Compétence espaces verts"


def test_the_module_s_expected_delay_sets_the_due_date_and_the_agent_s_date_wins(item, manager, service):
    item.module.settings = {"assignment_delay": 15}
    item.module.save()
    assignment = services.assign(actor=manager, item=item, service=service)
    assert assignment.due_at - assignment.assigned_at == datetime.timedelta(days=15)
    due = timezone.now() + datetime.timedelta(days=2)
    services.assign(actor=manager, item=item, service=service, due_at=due)
    assert fresh(item).due_at == due and fresh(item).service == service
    assert [e.kind for e in AssignmentEvent.objects.order_by("pk")] == ["assigned", "due"]


def test_a_due_date_in_the_past_or_an_over_long_reason_is_refused(item, manager, service):
    with pytest.raises(ValidationError) as exc:
        services.assign(actor=manager, item=item, service=service, due_at=timezone.now() - datetime.timedelta(days=1))
    assert "due_at" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.assign(actor=manager, item=item, service=service, reason="x" * 1001)
    assert not Assignment.objects.exists()


def test_moving_an_item_to_another_service_reopens_it_and_keeps_the_history(item, manager, service):
    services.assign(actor=manager, item=item, service=service)
    services.mark_done(actor=manager, item=item)
    other = ServiceFactory(name="Voirie")
    services.assign(actor=manager, item=item, service=other, reason="Plutôt la voirie")
    assignment = Assignment.objects.get()
    assert assignment.service == other and assignment.done_at is None
    history = selectors.history_of(item)
    assert [e.kind for e in history] == ["assigned", "done", "reassigned"]
    assert (history[-1].from_service, history[-1].to_service, history[-1].reason) == (
        service,
        other,
        "Plutôt la voirie",
    )


def test_giving_an_item_again_to_its_service_changes_nothing(
    item, manager, service, django_capture_on_commit_callbacks
):
    services.assign(actor=manager, item=item, service=service)
    with django_capture_on_commit_callbacks(execute=True):
        assert services.assign_many(actor=manager, items=[item], service=service) == []
    assert AssignmentEvent.objects.count() == 1 and AuditEntry.objects.filter(action="assignments.assign").count() == 1


def test_taking_an_item_back_deletes_its_assignment_but_not_its_history(item, manager, service):
    services.assign(actor=manager, item=item, service=service)
    assert services.unassign(actor=manager, item=item, reason="Doublon") is True
    assert services.unassign(actor=manager, item=item) is False
    assert not Assignment.objects.exists() and fresh(item) is None
    assert [e.kind for e in selectors.history_of(item)] == ["assigned", "unassigned"]


def test_many_items_at_once_one_notification_per_module_and_few_queries(module, manager, service, agent):
    items = [ItemFactory(module=module) for _ in range(3)]
    services.assign(actor=manager, item=items[0], service=service)
    with CaptureQueriesContext(connection) as few:
        services.assign_many(actor=manager, items=items[:2], service=ServiceFactory())
    more = [ItemFactory(module=module) for _ in range(20)]
    with CaptureQueriesContext(connection) as many:
        changed = services.assign_many(actor=manager, items=more, service=ServiceFactory())
    assert len(changed) == 20
    assert len(many.captured_queries) <= len(few.captured_queries) + 2  # one query per step, not per item
    assert Assignment.objects.count() == 22


def test_one_notification_for_a_batch(module, manager, service, agent, django_capture_on_commit_callbacks):
    items = [ItemFactory(module=module) for _ in range(3)]
    with django_capture_on_commit_callbacks(execute=True):
        services.assign_many(actor=manager, items=items, service=service)
    notification = Notification.objects.get(recipient=agent)
    assert notification.context["subject"].startswith("3 ")
    assert notification.object_id == module.pk


def test_agents_who_turned_the_event_off_are_not_told(
    item, manager, service, agent, django_capture_on_commit_callbacks
):
    NotificationPreference.objects.create(user=agent, event=services.ASSIGNED_EVENT, in_app=False, email=False)
    with django_capture_on_commit_callbacks(execute=True):
        services.assign(actor=manager, item=item, service=service)
    assert not Notification.objects.exists()


def test_only_those_the_module_names_may_route_its_items(item, service, agent):
    outsider = UserFactory()
    with pytest.raises(Refused) as exc:
        services.assign(actor=outsider, item=item, service=service)
    assert exc.value.codes == ["not_manager"]
    with pytest.raises(Refused):
        services.assign(actor=agent, item=item, service=service)  # an agent works on items, the module routes them
    services.assign(actor=make_org_admin(), item=item, service=service)


def test_an_item_whose_resource_names_no_permission_is_not_routed(item, service):
    resource = registry.resource("testapp.Item")
    object.__setattr__(resource, "assign_permission", None)
    try:
        with pytest.raises(Refused) as exc:
            services.assign(actor=make_org_admin(), item=item, service=service)
        assert exc.value.codes == ["not_routed"]
    finally:
        object.__setattr__(resource, "assign_permission", "spaces.change_space")


def test_handled_and_reopened_by_the_agents_of_the_service(item, manager, service, agent):
    services.assign(actor=manager, item=item, service=service)
    assignment = services.mark_done(actor=agent, item=item)
    assert assignment.done_at is not None and assignment.done_by == agent
    assert services.mark_done(actor=agent, item=item) is None  # already handled
    assert services.reopen(actor=agent, item=item).done_at is None
    with pytest.raises(Refused):
        services.mark_done(actor=make_agent(), item=item)  # an agent of another service
    assert AuditEntry.objects.filter(action__in=["assignments.done", "assignments.reopen"]).count() == 2


def test_marking_done_an_item_given_to_no_service_needs_nothing(item):
    assert services.mark_done_many(actor=UserFactory(), items=[item]) == []


def test_notes_are_checked_audited_and_deleted_by_their_author_only(item, manager, service, agent):
    with pytest.raises(Refused):
        services.note_add(actor=agent, item=item, body="Avant d'être chargé")  # not yet their service's
    services.assign(actor=manager, item=item, service=service)
    note = services.note_add(actor=agent, item=item, body="  Voir avec la voirie.  ")
    assert note.body == "Voir avec la voirie." and note.author == agent and note.module == item.module
    with pytest.raises(ValidationError):
        services.note_add(actor=agent, item=item, body="   ")
    with pytest.raises(ValidationError):
        services.note_add(actor=agent, item=item, body="x" * 5001)
    with pytest.raises(Refused) as exc:
        services.note_delete(actor=manager, note=note)
    assert exc.value.codes == ["not_note_author"]
    services.note_delete(actor=agent, note=note)
    assert not Note.objects.exists()
    assert AuditEntry.objects.get(action="assignments.note_delete").before["body"] == "Voir avec la voirie."


def test_a_note_authorised_by_another_permission_of_the_module(item, manager):
    resident = UserFactory()
    with pytest.raises(Refused):
        services.note_add(actor=resident, item=item, body="Nom", authorised_by="spaces.change_space")
    services.note_add(actor=manager, item=item, body="Nom : Mme Roy", authorised_by="spaces.change_space")
    assert Note.objects.get().body == "Nom : Mme Roy"


def test_deleting_an_item_deletes_its_routing_and_notes(item, manager, service):
    services.assign(actor=manager, item=item, service=service)
    services.note_add(actor=manager, item=item, body="Une note")
    registry.delete_shared(item)
    content_type = ContentType.objects.get_for_model(item)
    for model in (Assignment, AssignmentEvent, Note):
        assert not model.objects.filter(content_type=content_type, object_id=item.pk).exists()
