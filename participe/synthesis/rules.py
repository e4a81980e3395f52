"""Who runs, reviews, publishes and reads the syntheses of contributions.

- The staff of a space (its administrators, and the organisation's) run its syntheses, review them (rename, merge,
  split themes, move a contribution, set aside noise, choose quotes), write and publish them, import contributions
  from outside and export the themes. Object: the space or the synthesis.
- Everyone who may see the space reads its published syntheses and the contributions imported into it.
"""

from __future__ import annotations

from typing import Any

import rules

from participe.spaces.predicates import can_reach_backoffice, can_view_space, is_space_staff


@rules.predicate
def is_published(user: Any, synthesis: Any) -> bool:
    return bool(getattr(synthesis, "is_published", False))


manages = is_space_staff

# Object: the space.
rules.add_perm("synthesis.add_synthesis", manages)
rules.add_perm("synthesis.import_contributions", manages)
# Object: the synthesis.
rules.add_perm("synthesis.change_synthesis", manages)
rules.add_perm("synthesis.view_synthesis", (can_view_space & is_published) | manages)
# Object: an imported contribution (through its space).
rules.add_perm("synthesis.view_importedcontribution", can_view_space)
# No object: the back-office's list of the syntheses.
rules.add_perm("synthesis.access_backoffice", can_reach_backoffice)
