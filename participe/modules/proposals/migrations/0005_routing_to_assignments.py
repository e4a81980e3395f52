"""Routing to services moves to the platform (participe.assignments, decision 0008): each proposal given to a
service becomes an assignment (dated and signed from the audit log's last "proposals.assign" when there is one,
handled when a final answer is published), each private note a note of the platform; the agents' notification
preferences and past notifications follow the event to its new key. The next migration drops the old field and
table."""

from django.db import migrations

ASSIGNED_BEFORE, ASSIGNED_AFTER = "proposals.assigned", "assignments.assigned"
FINAL_ANSWERS = ("selected", "rejected", "done")
BATCH = 1000


def _proposal_type(apps):
    ContentType = apps.get_model("contenttypes", "ContentType")
    return ContentType.objects.get_or_create(app_label="proposals", model="proposal")[0]


def _last_assignments(apps, content_type):
    """target_id -> (created_at, actor_id) of the last "proposals.assign" of each proposal in the audit log."""
    AuditEntry = apps.get_model("activity", "AuditEntry")
    rows = AuditEntry.objects.filter(action="proposals.assign", target_type=content_type).order_by("created_at", "pk")
    return {target: (when, actor) for target, when, actor in rows.values_list("target_id", "created_at", "actor_id")}


def _routing_rows(apps, content_type, proposal):
    Assignment = apps.get_model("assignments", "Assignment")
    AssignmentEvent = apps.get_model("assignments", "AssignmentEvent")
    pk, module_id, service_id, updated_at, answer_status, answered_at, answered_by_id, signed = proposal
    assigned_at, actor_id = signed or (updated_at, None)
    done = answer_status in FINAL_ANSWERS and answered_at is not None and answered_at >= assigned_at
    common = {"content_type_id": content_type.pk, "object_id": pk, "module_id": module_id}
    assignment = Assignment(
        **common,
        service_id=service_id,
        assigned_at=assigned_at,
        assigned_by_id=actor_id,
        done_at=answered_at if done else None,
        done_by_id=answered_by_id if done else None,
    )
    event = AssignmentEvent(**common, kind="assigned", to_service_id=service_id, actor_id=actor_id, created_at=assigned_at)
    return assignment, event


def _flush(apps, assignments, events):
    apps.get_model("assignments", "Assignment").objects.bulk_create(assignments)
    apps.get_model("assignments", "AssignmentEvent").objects.bulk_create(events)
    assignments.clear()
    events.clear()


def move_assignments(apps, content_type):
    Proposal = apps.get_model("proposals", "Proposal")
    signed = _last_assignments(apps, content_type)
    fields = ("pk", "module_id", "service_id", "updated_at", "answer_status", "answered_at", "answered_by_id")
    assignments, events = [], []
    for row in Proposal.objects.filter(service__isnull=False).order_by("pk").values_list(*fields).iterator():
        assignment, event = _routing_rows(apps, content_type, (*row, signed.get(str(row[0]))))
        assignments.append(assignment)
        events.append(event)
        if len(assignments) >= BATCH:
            _flush(apps, assignments, events)
    _flush(apps, assignments, events)


def move_notes(apps, content_type):
    ProposalNote = apps.get_model("proposals", "ProposalNote")
    Note = apps.get_model("assignments", "Note")
    fields = ("proposal_id", "proposal__module_id", "author_id", "body", "created_at")
    notes = []
    for proposal_id, module_id, author_id, body, created_at in (
        ProposalNote.objects.order_by("pk").values_list(*fields).iterator()
    ):
        notes.append(
            Note(
                content_type_id=content_type.pk,
                object_id=proposal_id,
                module_id=module_id,
                author_id=author_id,
                body=body,
                created_at=created_at,
            )
        )
        if len(notes) >= BATCH:
            Note.objects.bulk_create(notes)
            notes = []
    Note.objects.bulk_create(notes)


def rename_event(apps, before, after):
    apps.get_model("notifications", "NotificationPreference").objects.filter(event=before).update(event=after)
    apps.get_model("notifications", "Notification").objects.filter(event=before).update(event=after)


def forwards(apps, schema_editor):
    content_type = _proposal_type(apps)
    move_assignments(apps, content_type)
    move_notes(apps, content_type)
    rename_event(apps, ASSIGNED_BEFORE, ASSIGNED_AFTER)


def backwards(apps, schema_editor):
    """Back to ``Proposal.service`` and ``ProposalNote`` (what only the platform knows — due dates, the history of
    reassignments — is lost)."""
    content_type = _proposal_type(apps)
    Proposal = apps.get_model("proposals", "Proposal")
    ProposalNote = apps.get_model("proposals", "ProposalNote")
    Assignment = apps.get_model("assignments", "Assignment")
    Note = apps.get_model("assignments", "Note")
    for assignment in Assignment.objects.filter(content_type=content_type).iterator():
        Proposal.objects.filter(pk=assignment.object_id).update(service_id=assignment.service_id)
    ProposalNote._meta.get_field("created_at").auto_now_add = False  # keep the notes' dates
    rows = Note.objects.filter(content_type=content_type).order_by("pk")
    ProposalNote.objects.bulk_create(
        ProposalNote(proposal_id=n.object_id, author_id=n.author_id, body=n.body, created_at=n.created_at)
        for n in rows.iterator()
    )
    for model in ("Assignment", "AssignmentEvent", "Note"):
        apps.get_model("assignments", model).objects.filter(content_type=content_type).delete()
    rename_event(apps, ASSIGNED_AFTER, ASSIGNED_BEFORE)


class Migration(migrations.Migration):
    dependencies = [
        ("proposals", "0004_list_indexes"),
        ("assignments", "0001_initial"),
        ("activity", "0001_initial"),
        ("notifications", "0001_initial"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
