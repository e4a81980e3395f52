"""Who routes items to services, works on them, writes and deletes internal notes, reads the queues.

Who may give an item to a service is the item's module's decision: its resource names a permission
(``Resource.assign_permission``, e.g. ``proposals.manage_proposals``) checked on the item's module; this app never
knows a module. The agents of the service an item is given to work on it (notes, handled or not).
"""

from __future__ import annotations

from typing import Any

import rules

from participe.assignments.selectors import assign_permission_for, assignment_of, service_ids_of
from participe.spaces.predicates import is_agent, is_authenticated, is_org_admin

__all__ = ["is_agent_of_assigned_service", "service_ids_of"]


@rules.predicate
def may_route(user: Any, item: Any) -> bool:
    """``user`` holds, on the item's module, the permission its resource names for routing it."""
    perm = assign_permission_for(item)
    module = getattr(item, "module", None)
    return bool(perm and module is not None and is_authenticated(user) and user.has_perm(perm, module))


@rules.predicate
def is_agent_of_assigned_service(user: Any, item: Any) -> bool:
    """``user`` is an agent of the service the item is given to."""
    if item is None or not hasattr(item, "_meta") or not is_authenticated(user):
        return False
    if not is_agent(user):  # cached for the request (the header asks too): no need to read the item's assignment
        return False
    assignment = assignment_of(item)
    return assignment is not None and assignment.service_id in service_ids_of(user)


@rules.predicate
def is_note_author(user: Any, note: Any) -> bool:
    return bool(note is not None and is_authenticated(user) and note.author_id == user.pk)


def _note_item(note: Any) -> Any:
    return getattr(note, "target", None) if note is not None else None


@rules.predicate
def may_work_on_note_item(user: Any, note: Any) -> bool:
    item = _note_item(note)
    return bool(item is not None and (may_route(user, item) or is_agent_of_assigned_service(user, item)))


may_work_on = may_route | is_agent_of_assigned_service

# Object: the item.
rules.add_perm("assignments.change_assignment", may_route)
rules.add_perm("assignments.close_assignment", may_work_on)
rules.add_perm("assignments.view_note", may_work_on)
rules.add_perm("assignments.add_note", may_work_on)
# Object: the note. Its author only, while they still work on the item.
rules.add_perm("assignments.delete_note", is_note_author & may_work_on_note_item)
# No object: the queues of the services.
rules.add_perm("assignments.view_queue", is_agent | is_org_admin)
