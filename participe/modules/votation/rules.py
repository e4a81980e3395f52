"""Who sees a votation and who runs it (objects: a ``Module`` of type "votation", or its ``Question``).

- ``votation.view_votation``: the space is visible and the module published (staff of the space see it unpublished).
- ``votation.manage_votation``: organisation administrators and administrators of the space (the question, its
  options, the election's settings, the decision). Voting, polling stations, closing and counting are the ballot
  service's permissions (``ballots.cast_ballot``, ``ballots.run_station``, ``ballots.manage_election``).
"""

import rules

from participe.spaces.predicates import can_view_space, is_space_staff, module_is_published

can_view = can_view_space & (module_is_published | is_space_staff)

rules.add_perm("votation.view_votation", can_view)
rules.add_perm("votation.manage_votation", is_space_staff)
