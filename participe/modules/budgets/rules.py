"""Who sees a budget participatif and who runs it (objects: a ``Module`` of type "budgets", an ``Envelope`` or a
``Project``: the predicates find the module).

- ``budgets.view_budget`` / ``budgets.view_project``: the space is visible and the module published (staff of the
  space see it unpublished).
- ``budgets.manage_budget``: administrators of the space and of the organisation (envelopes, projects, imports, the
  published answers, opening the vote, tallying and publishing the results). Voting, polling stations, closing and
  counting are the ballot service's permissions (``ballots.cast_ballot``, ``ballots.manage_election``…).
- ``budgets.analyse_project``: who runs the budget, and the agents of the service a project is given to
  (feasibility, cost and answer prepared; notes).
"""

import rules

from participe.assignments.rules import is_agent_of_assigned_service
from participe.spaces.predicates import can_view_space, is_space_staff, module_is_published

can_view = can_view_space & (module_is_published | is_space_staff)

rules.add_perm("budgets.view_budget", can_view)
rules.add_perm("budgets.view_project", can_view)
rules.add_perm("budgets.manage_budget", is_space_staff)
rules.add_perm("budgets.analyse_project", is_space_staff | is_agent_of_assigned_service)
