"""Who sees, writes and carries the commitments.

- The staff of a space (its administrators, and the organisation's) write its commitments: create, change,
  link what they answer, set the status, add steps, delete. Object: the space or the commitment.
- The agents of the service in charge of a commitment carry it: they add its steps and set its status and progress.
- Everyone who may see the space sees its published commitments; the staff and the service in charge also see the
  unpublished ones.
"""

from __future__ import annotations

from typing import Any

import rules

from participe.spaces.predicates import (
    can_reach_backoffice,
    can_view_space,
    is_agent,
    is_authenticated,
    is_space_staff,
)


@rules.predicate
def is_published(user: Any, commitment: Any) -> bool:
    return bool(getattr(commitment, "is_published", False))


@rules.predicate
def is_agent_of_service_in_charge(user: Any, commitment: Any) -> bool:
    """``user`` is an agent of the service that carries the commitment (in a session that passed the second
    factor: ``is_agent`` asks it)."""
    service_id = getattr(commitment, "service_id", None)
    if service_id is None or not is_authenticated(user) or not is_agent(user):
        return False
    if "_service_ids" not in user.__dict__:
        user.__dict__["_service_ids"] = frozenset(user.services.values_list("pk", flat=True))
    return service_id in user.__dict__["_service_ids"]


@rules.predicate
def may_view_commitment_of(user: Any, update: Any) -> bool:
    commitment = getattr(update, "commitment", None)
    return commitment is not None and bool(user.has_perm("commitments.view_commitment", commitment))


@rules.predicate
def carries_commitment_of(user: Any, update: Any) -> bool:
    commitment = getattr(update, "commitment", None)
    return commitment is not None and bool(user.has_perm("commitments.add_update", commitment))


manages = is_space_staff
carries = manages | is_agent_of_service_in_charge

# Object: the commitment.
rules.add_perm("commitments.view_commitment", (can_view_space & is_published) | carries)
rules.add_perm("commitments.change_commitment", manages)
rules.add_perm("commitments.delete_commitment", manages)
rules.add_perm("commitments.add_update", carries)
rules.add_perm("commitments.set_status", carries)
# Object: the space.
rules.add_perm("commitments.add_commitment", manages)
# Object: a step. Its files and what it says are seen through its commitment.
rules.add_perm("commitments.view_commitmentupdate", may_view_commitment_of)
rules.add_perm("commitments.change_commitmentupdate", carries_commitment_of)
# No object: the back-office's list of the commitments (the staff of some space, the agents).
rules.add_perm("commitments.access_backoffice", can_reach_backoffice)
