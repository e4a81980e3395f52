"""Every write of routing to services: give items to a service (one or many), take them back, mark them handled
or reopen them, write and delete internal notes; ``delete_for`` when a module deletes an item.

Each service takes the ``actor`` and checks its permission itself (``require``: the item's module decides who
routes its items, see ``rules``), runs in a transaction under row locks on the items (always in primary-key order,
so overlapping selections never deadlock; the same lock the modules take on their items), records each step in the
item's routing history and in the audit log, and tells the agents of the service once the transaction has
committed (one notification for a batch).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.accounts.models import User
from participe.activity.services import audit, audit_many
from participe.assignments import selectors
from participe.assignments.models import Assignment, AssignmentEvent, Note
from participe.notifications.services import notify
from participe.organisation.models import Service
from participe.permissions.refusals import Reason, Refused, require

ASSIGNED_EVENT = "assignments.assigned"
MAX_NOTE_LENGTH = 5000
MAX_REASON_LENGTH = 1000
NOT_ROUTED = Reason("not_routed", gettext_lazy("Cet élément ne peut pas être confié à un service."))
NOT_MANAGER = Reason(
    "not_manager", gettext_lazy("Seuls les gestionnaires de ce module confient ses éléments aux services.")
)
NOT_WORKING_ON = Reason(
    "not_working_on", gettext_lazy("Seuls les agents du service chargé et les gestionnaires du module y ont accès.")
)
NOT_NOTE_AUTHOR = Reason("not_note_author", gettext_lazy("Seul l'auteur d'une note peut la supprimer."))


# --- checks -------------------------------------------------------------------------------------------------------
def _require_routable(actor: User, item: Model, authorised_by: str | None = None) -> None:
    if not selectors.is_assignable(item):
        raise Refused(NOT_ROUTED)
    if authorised_by is not None:
        require(actor, authorised_by, item.module, reason=NOT_MANAGER)  # type: ignore[attr-defined]
    else:
        require(actor, "assignments.change_assignment", item, reason=NOT_MANAGER)


def _check_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if len(reason) > MAX_REASON_LENGTH:
        raise ValidationError({"reason": _("Un motif fait au plus %(n)s caractères.") % {"n": MAX_REASON_LENGTH}})
    return reason


def _check_due(due_at: datetime.datetime | None, now: datetime.datetime) -> None:
    if due_at is not None and due_at < now:
        raise ValidationError({"due_at": _("L'échéance ne peut pas être dans le passé.")})


# --- locks --------------------------------------------------------------------------------------------------------
def _lock_items(items: Iterable[Model]) -> list[Model]:
    """Lock the items' rows, one query per model, in primary-key order; the items come back in that order."""
    by_model: dict[type[Model], dict[int, Model]] = defaultdict(dict)
    for item in items:
        by_model[type(item)][int(item.pk)] = item
    locked: list[Model] = []
    for model, found in sorted(by_model.items(), key=lambda pair: pair[0]._meta.label):
        ids = list(
            model._default_manager.select_for_update(of=("self",))
            .filter(pk__in=sorted(found))
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        locked.extend(found[pk] for pk in ids)
    return locked


def _current(items: Sequence[Model]) -> dict[tuple[int, int], Assignment]:
    """The assignments of the (locked) items, one query per model, keyed by target."""
    by_type: dict[int, list[int]] = defaultdict(list)
    for item in items:
        content_type_id, object_id = selectors.target_reference(item)
        by_type[content_type_id].append(object_id)
    found: dict[tuple[int, int], Assignment] = {}
    for content_type_id, ids in by_type.items():
        rows = Assignment.objects.select_related("service").filter(content_type_id=content_type_id, object_id__in=ids)
        found.update({(a.content_type_id, a.object_id): a for a in rows})
    return found


# --- assigning ----------------------------------------------------------------------------------------------------
@dataclass
class _Plan:
    """What a batch changes, gathered before writing it with one query per step."""

    now: datetime.datetime
    created: list[Assignment] = field(default_factory=list)
    updated: list[Assignment] = field(default_factory=list)
    removed: list[int] = field(default_factory=list)
    events: list[AssignmentEvent] = field(default_factory=list)
    audits: list[tuple[Model, dict[str, Any], dict[str, Any]]] = field(default_factory=list)
    changed: list[Model] = field(default_factory=list)
    notified: list[Model] = field(default_factory=list)


def _due(item: Model, given: datetime.datetime | None, now: datetime.datetime, delays: dict[int, Any]) -> Any:
    """The due date given, else the module's expected delay from now (read once per module), else none."""
    if given is not None:
        return given
    module = item.module  # type: ignore[attr-defined]
    if module.pk not in delays:
        delays[module.pk] = selectors.expected_delay(module)
    delay = delays[module.pk]
    return now + delay if delay is not None else None


def _event(item: Model, kind: str, actor: User | None, now: datetime.datetime, **values: Any) -> AssignmentEvent:
    content_type_id, object_id = selectors.target_reference(item)
    return AssignmentEvent(
        content_type_id=content_type_id,
        object_id=object_id,
        module_id=item.module_id,  # type: ignore[attr-defined]
        kind=kind,
        actor=actor,
        created_at=now,
        **values,
    )


def _plan_unassign(plan: _Plan, *, actor: User, item: Model, current: Assignment, reason: str) -> None:
    plan.removed.append(current.pk)
    plan.events.append(
        _event(item, AssignmentEvent.Kind.UNASSIGNED, actor, plan.now, from_service=current.service, reason=reason)
    )


def _plan_move(
    plan: _Plan, *, actor: User, item: Model, current: Assignment | None, service: Service, due: Any, reason: str
) -> None:
    """Give the item to ``service`` (a first time, or from another service: it is then open again)."""
    previous = current.service if current is not None else None
    if current is None:
        content_type_id, object_id = selectors.target_reference(item)
        assignment = Assignment(content_type_id=content_type_id, object_id=object_id, module_id=item.module_id)  # type: ignore[attr-defined]
        plan.created.append(assignment)
    else:
        assignment = current
        plan.updated.append(assignment)
    assignment.service, assignment.assigned_at, assignment.assigned_by = service, plan.now, actor
    assignment.due_at, assignment.done_at, assignment.done_by = due, None, None
    kind = AssignmentEvent.Kind.ASSIGNED if current is None else AssignmentEvent.Kind.REASSIGNED
    plan.events.append(
        _event(item, kind, actor, plan.now, from_service=previous, to_service=service, due_at=due, reason=reason)
    )
    plan.notified.append(item)


def _plan_one(
    plan: _Plan, *, actor: User, item: Model, current: Assignment | None, service: Service | None, due: Any, reason: str
) -> None:
    """Add to ``plan`` what giving ``item`` to ``service`` (None: to none) changes; nothing when it is already so
    (the same service, and no new due date)."""
    before = {"service": current.service.name if current else None, "due_at": current.due_at if current else None}
    if service is None and current is not None:
        _plan_unassign(plan, actor=actor, item=item, current=current, reason=reason)
    elif service is not None and (current is None or current.service_id != service.pk):
        _plan_move(plan, actor=actor, item=item, current=current, service=service, due=due, reason=reason)
    elif service is not None and current is not None and due is not None and due != current.due_at:
        current.due_at = due
        plan.updated.append(current)
        plan.events.append(
            _event(item, AssignmentEvent.Kind.DUE, actor, plan.now, to_service=service, due_at=due, reason=reason)
        )
    else:
        return
    after = {"service": service.name if service else None, "due_at": due if service else None}
    plan.audits.append((item, before, after))
    plan.changed.append(item)


def _write(plan: _Plan, actor: User, reason: str) -> None:
    Assignment.objects.bulk_create(plan.created)
    Assignment.objects.bulk_update(
        plan.updated, ["service", "assigned_at", "assigned_by", "due_at", "done_at", "done_by"]
    )
    if plan.removed:
        Assignment.objects.filter(pk__in=plan.removed).delete()
    AssignmentEvent.objects.bulk_create(plan.events)
    audit_many(actor=actor, action="assignments.assign", entries=plan.audits, reason=reason)
    for item in plan.changed:
        selectors.forget_assignment(item)


def _notify(*, actor: User, service: Service, items: Sequence[Model]) -> None:
    """Tell the agents of ``service`` what was given to them: one notification per module for a batch."""
    by_module: dict[int, list[Model]] = defaultdict(list)
    for item in items:
        by_module[item.module_id].append(item)  # type: ignore[attr-defined]
    agents = list(service.members.all())
    if not agents:
        return
    for group in by_module.values():
        first = group[0]
        if len(group) == 1:
            target: Any = first
            subject = _("%(item)s à traiter par le service %(service)s") % {
                "item": capfirst(first._meta.verbose_name),
                "service": service.name,
            }
        else:
            target = first.module  # type: ignore[attr-defined]
            subject = _("%(n)s %(items)s à traiter par le service %(service)s") % {
                "n": len(group),
                "items": first._meta.verbose_name_plural,
                "service": service.name,
            }
        transaction.on_commit(partial(_tell, actor=actor, target=target, agents=agents, subject=subject), robust=True)


def _tell(*, actor: User, target: Model, agents: list[User], subject: str) -> None:
    notify(event=ASSIGNED_EVENT, target=target, actor=actor, recipients=agents, context={"subject": subject})


@transaction.atomic
def assign_many(
    *,
    actor: User,
    items: Iterable[Model],
    service: Service | None,
    due_at: datetime.datetime | None = None,
    reason: str = "",
    authorised_by: str | None = None,
) -> list[Model]:
    """Give ``items`` to ``service`` (None: take them back from any service); returns those that changed.

    The due date is ``due_at`` when given, else the module's expected delay (``assignment_delay``) from now; an item
    already with ``service`` only takes the new ``due_at``. Moving an item to another service reopens it. Each step
    is in the item's history (with ``reason``) and in the audit log; the service's agents are told after commit.
    Raises ``Refused`` when the actor may not route one of the items (nothing is written).

    ``authorised_by``: a permission of the items' module that allows this routing as part of another act of the
    actor's (a resident's report given to the service its category names for its place); the actor may then be
    a visitor without account (recorded as nobody).
    """
    items = list(items)
    now = timezone.now()
    reason = _check_reason(reason)
    _check_due(due_at, now)
    for item in items:
        _require_routable(actor, item, authorised_by)
    if not getattr(actor, "is_authenticated", False):
        actor = None  # type: ignore[assignment]
    locked = _lock_items(items)
    current = _current(locked)
    plan = _Plan(now=now)
    delays: dict[int, Any] = {}
    for item in locked:
        found = current.get(selectors.target_reference(item))
        staying = found is not None and service is not None and found.service_id == service.pk
        # The same service again keeps its date unless a new one is given; a new service starts the module's delay.
        due = due_at if staying or service is None else _due(item, due_at, now, delays)
        _plan_one(plan, actor=actor, item=item, current=found, service=service, due=due, reason=reason)
    _write(plan, actor, reason)
    if service is not None and plan.notified:
        _notify(actor=actor, service=service, items=plan.notified)
    return plan.changed


def assign(
    *,
    actor: User,
    item: Model,
    service: Service,
    due_at: datetime.datetime | None = None,
    reason: str = "",
    authorised_by: str | None = None,
) -> Assignment | None:
    """Give one item to ``service`` (see ``assign_many``); returns its assignment."""
    assign_many(actor=actor, items=[item], service=service, due_at=due_at, reason=reason, authorised_by=authorised_by)
    return selectors.assignment_of(item)


def unassign(*, actor: User, item: Model, reason: str = "") -> bool:
    """Take an item back from its service; False when it was given to none."""
    return bool(assign_many(actor=actor, items=[item], service=None, reason=reason))


# --- handled, reopened --------------------------------------------------------------------------------------------
def _close(*, actor: User | None, items: Iterable[Model], done: bool, on_behalf_of: str = "") -> list[Assignment]:
    """Mark handled (or open again) those of the items whose assignment changes: the permission is checked on
    them only (an item given to no service needs nothing: a module may call this after any answer).

    ``actor`` None: no person acts, an authority an administrator set up does (``on_behalf_of`` names it, e.g. the
    Open311 endpoint a report was forwarded to, whose answer closes the report); it is written in the audit log."""
    if actor is None and not on_behalf_of.strip():
        raise ValueError("Closing an assignment with no actor needs the authority it is done on behalf of.")
    locked = _lock_items(list(items))
    current = _current(locked)
    pending = [(i, a) for i in locked if (a := current.get(selectors.target_reference(i))) and a.is_done != done]
    if actor is not None:
        for item, _assignment in pending:
            require(actor, "assignments.close_assignment", item, reason=NOT_WORKING_ON)
    now = timezone.now()
    changed, events, audits = [], [], []
    for item, assignment in pending:
        assignment.done_at, assignment.done_by = (now, actor) if done else (None, None)
        kind = AssignmentEvent.Kind.DONE if done else AssignmentEvent.Kind.REOPENED
        changed.append(assignment)
        events.append(_event(item, kind, actor, now, to_service=assignment.service))
        audits.append((item, {"done": not done}, {"done": done, "service": assignment.service.name}))
        selectors.forget_assignment(item)
    Assignment.objects.bulk_update(changed, ["done_at", "done_by"])
    AssignmentEvent.objects.bulk_create(events)
    audit_many(
        actor=actor,
        action="assignments.done" if done else "assignments.reopen",
        entries=audits,
        reason=on_behalf_of.strip()[:MAX_REASON_LENGTH],
    )
    return changed


@transaction.atomic
def mark_done_many(*, actor: User | None, items: Iterable[Model], on_behalf_of: str = "") -> list[Assignment]:
    """The module says these items are handled (proposals: an answer is published); items given to no service,
    or already handled, are left as they are. Returns the assignments closed. ``actor`` None: see ``_close``."""
    return _close(actor=actor, items=items, done=True, on_behalf_of=on_behalf_of)


def mark_done(*, actor: User | None, item: Model, on_behalf_of: str = "") -> Assignment | None:
    """Mark one item handled (see ``mark_done_many``); its assignment, or None when nothing changed."""
    changed = mark_done_many(actor=actor, items=[item], on_behalf_of=on_behalf_of)
    return changed[0] if changed else None


@transaction.atomic
def reopen_many(*, actor: User | None, items: Iterable[Model], on_behalf_of: str = "") -> list[Assignment]:
    """Back to work: the items are open again for their services (those not handled are left as they are)."""
    return _close(actor=actor, items=items, done=False, on_behalf_of=on_behalf_of)


def reopen(*, actor: User | None, item: Model, on_behalf_of: str = "") -> Assignment | None:
    """Reopen one item (see ``reopen_many``); its assignment, or None when nothing changed."""
    changed = reopen_many(actor=actor, items=[item], on_behalf_of=on_behalf_of)
    return changed[0] if changed else None


# --- notes --------------------------------------------------------------------------------------------------------
def _check_note(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": _("Écrivez la note.")})
    if len(body) > MAX_NOTE_LENGTH:
        raise ValidationError({"body": _("Une note fait au plus %(n)s caractères.") % {"n": MAX_NOTE_LENGTH}})
    return body


@transaction.atomic
def note_add(*, actor: User, item: Model, body: str, authorised_by: str | None = None) -> Note:
    """An internal note of the agents on an item (never public, never exported).

    ``authorised_by``: a permission of the item's module that allows this note as part of another act of the
    actor's (the name a resident without account gave at the counter, kept when an agent enters their proposal);
    by default the actor must work on the item (``assignments.add_note``).
    """
    body = _check_note(body)
    if authorised_by is not None:
        require(actor, authorised_by, item.module, reason=NOT_WORKING_ON)  # type: ignore[attr-defined]
    else:
        require(actor, "assignments.add_note", item, reason=NOT_WORKING_ON)
    content_type_id, object_id = selectors.target_reference(item)
    note = Note.objects.create(
        content_type_id=content_type_id,
        object_id=object_id,
        module_id=item.module_id,  # type: ignore[attr-defined]
        author=actor,
        body=body,
    )
    audit(actor=actor, action="assignments.note_add", target=item, after={"note": note.pk, "body": body})
    return note


@transaction.atomic
def note_delete(*, actor: User, note: Note) -> None:
    """Its author deletes a note (the audit log keeps its text)."""
    if note.author_id != actor.pk:
        raise Refused(NOT_NOTE_AUTHOR)
    require(actor, "assignments.delete_note", note, reason=NOT_WORKING_ON)
    target = note.target
    audit(
        actor=actor,
        action="assignments.note_delete",
        target=target if target is not None else note,
        before={"note": note.pk, "body": note.body},
    )
    note.delete()


# --- an item deleted ----------------------------------------------------------------------------------------------
def delete_for(target: Model) -> None:
    """Delete the assignment, the routing history and the notes of an item its module deletes (generic references
    cascade nowhere: ``registry.delete_shared`` calls this)."""
    content_type_id, object_id = selectors.target_reference(target)
    for model in (Assignment, AssignmentEvent, Note):
        model.objects.filter(content_type_id=content_type_id, object_id=object_id).delete()  # type: ignore[attr-defined]
    selectors.forget_assignment(target)
