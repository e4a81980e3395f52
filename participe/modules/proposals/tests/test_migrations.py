"""The move of routing to services into the platform keeps the data: a proposal's service becomes its assignment
(dated and signed from the audit log), its notes become the platform's notes, the agents' notification
preferences follow the event to its new key; and back."""

from __future__ import annotations

import datetime

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [
    ("proposals", "0004_list_indexes"),
    ("assignments", "0001_initial"),
    ("activity", "0001_initial"),
    ("notifications", "0001_initial"),
    ("accounts", "0002_initial"),
    ("spaces", "0001_initial"),  # the models the seed writes, as the proposals migrations knew them
]
AFTER = [("proposals", "0006_drop_service_and_notes")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


def migrate_to_the_latest():
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def _seed(apps):
    """Two proposals (one given to a service, answered; one without), a note, an audit entry, a preference."""
    now = timezone.now()
    get = apps.get_model
    user = get("accounts", "User").objects.create(email="agent@example.org", pseudonym="agent-migration")
    service = get("organisation", "Service").objects.create(name="Voirie")
    space = get("spaces", "Space").objects.create(title="Démarche", slug="demarche")
    module = get("spaces", "Module").objects.create(space=space, module_type="proposals", title="Idées", slug="idees")
    Proposal = get("proposals", "Proposal")
    common = {"module": module, "body": "<p>Texte</p>", "status": "published", "published_at": now}
    routed = Proposal.objects.create(
        title="Routée", service=service, answer_status="selected", answered_at=now, answered_by=user, **common
    )
    Proposal.objects.create(title="Libre", **common)
    get("proposals", "ProposalNote").objects.create(proposal=routed, author=user, body="Voir le devis.")
    content_type = get("contenttypes", "ContentType").objects.get_or_create(app_label="proposals", model="proposal")[0]
    signed = get("activity", "AuditEntry").objects.create(
        actor=user, action="proposals.assign", target_type=content_type, target_id=str(routed.pk)
    )
    when = now - datetime.timedelta(days=3)
    get("activity", "AuditEntry").objects.filter(pk=signed.pk).update(created_at=when)
    get("notifications", "NotificationPreference").objects.create(user=user, event="proposals.assigned", email=False)
    return routed.pk, service.pk, user.pk, when


def test_the_data_moves_to_the_platform_and_back():
    apps = migrate(BEFORE)
    routed_pk, service_pk, user_pk, when = _seed(apps)

    apps = migrate(AFTER)
    assignment = apps.get_model("assignments", "Assignment").objects.get()
    assert (assignment.object_id, assignment.service_id, assignment.assigned_by_id) == (routed_pk, service_pk, user_pk)
    assert assignment.assigned_at == when and assignment.done_at is not None  # a final answer: handled
    event = apps.get_model("assignments", "AssignmentEvent").objects.get()
    assert event.kind == "assigned" and event.to_service_id == service_pk
    note = apps.get_model("assignments", "Note").objects.get()
    assert (note.object_id, note.author_id, note.body) == (routed_pk, user_pk, "Voir le devis.")
    preference = apps.get_model("notifications", "NotificationPreference").objects.get()
    assert preference.event == "assignments.assigned" and not preference.email

    apps = migrate(BEFORE)
    Proposal = apps.get_model("proposals", "Proposal")
    assert Proposal.objects.get(pk=routed_pk).service_id == service_pk
    assert Proposal.objects.filter(service__isnull=True).count() == 1
    assert apps.get_model("proposals", "ProposalNote").objects.get().body == "Voir le devis."
    assert not apps.get_model("assignments", "Assignment").objects.exists()
    assert apps.get_model("notifications", "NotificationPreference").objects.get().event == "proposals.assigned"
    migrate_to_the_latest()
