"""Who sees a jury and who runs it (objects: the jury's ``Module``, or one of its items: the predicates find the
module).

- ``juries.view_panel``: the space is visible and the module published (the staff of the space see it before). The
  pool's composition, the commitment, the seed, the panel by draw numbers and the avis are public; names never are.
- ``juries.volunteer``: taking part (signed in, in good standing, the phase allows submitting, eligible under the
  module's rule: a resident of the territory, aged 16 or more — the eligibility rule set in the back-office).
- ``juries.manage_panel``: administrators of the space and of the organisation (quotas, pool, commitment, seed,
  replacements, invitations, the avis and its answers).
"""

import rules

from participe.core.capabilities import Cap
from participe.permissions.explain import add_perm
from participe.spaces.participation import participation
from participe.spaces.predicates import can_view_space, is_space_staff, module_is_published

can_view = can_view_space & (module_is_published | is_space_staff)

rules.add_perm("juries.view_panel", can_view)
add_perm("juries.volunteer", participation(Cap.SUBMIT))
rules.add_perm("juries.manage_panel", is_space_staff)
