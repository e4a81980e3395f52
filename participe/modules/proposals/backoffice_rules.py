"""Who analyses and answers the proposals of a module in the back-office.

- The staff of the space (organisation administrators, administrators of the space) run the module: they see
  every proposal, assign them to the services, publish the answers, export, import, enter proposals received on
  paper.
- The agents of a service see and analyse the proposals assigned to their service (notes, feasibility, cost,
  a prepared answer); the staff of the space publish what they prepared. Any agent may enter a proposal received
  at the counter, on paper or in a meeting for a resident.

Registered when the module's manifest is loaded (start-up), like the rules of its ``rules.py``.
"""

from __future__ import annotations

from typing import Any

import rules

from participe.permissions.predicates import is_agent, is_authenticated, is_space_staff


def service_ids_of(user: Any) -> frozenset[int]:
    """Ids of the services ``user`` belongs to, cached on the user object for the request."""
    if not is_authenticated(user):
        return frozenset()
    if "_proposals_service_ids" not in user.__dict__:
        user.__dict__["_proposals_service_ids"] = frozenset(user.services.values_list("pk", flat=True))
    return user.__dict__["_proposals_service_ids"]  # type: ignore[no-any-return]


@rules.predicate
def is_agent_of_assigned_service(user: Any, proposal: Any) -> bool:
    """``user`` belongs to the service the proposal is assigned to."""
    service_id = getattr(proposal, "service_id", None)
    return service_id is not None and service_id in service_ids_of(user)


can_manage = is_space_staff
can_see_module_analysis = is_space_staff | is_agent
can_analyse = is_space_staff | is_agent_of_assigned_service

# Object: the module.
rules.add_perm("proposals.manage_proposals", can_manage)
rules.add_perm("proposals.view_analysis", can_see_module_analysis)
rules.add_perm("proposals.export_proposals", can_see_module_analysis)
rules.add_perm("proposals.import_proposals", can_manage)
rules.add_perm("proposals.enter_on_behalf", can_see_module_analysis)
# Object: a proposal.
rules.add_perm("proposals.analyse_proposal", can_analyse)
rules.add_perm("proposals.publish_answer", can_manage)
