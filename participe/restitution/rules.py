"""Who reads and who writes the bilan of a démarche.

- The staff of a space (its administrators, and the organisation's) edit its bilan, preview it, publish it and
  withdraw it, and download it as a document to edit further (DOCX). Object: the space.
- Everyone who may see the space reads its bilan once it is published, and downloads its PDF. Object: the bilan.
"""

from __future__ import annotations

from typing import Any

import rules

from participe.spaces.predicates import can_reach_backoffice, can_view_space, is_space_staff


@rules.predicate
def is_published(user: Any, bilan: Any) -> bool:
    return bool(getattr(bilan, "is_published", False))


@rules.predicate
def may_see_its_space(user: Any, bilan: Any) -> bool:
    return bool(can_view_space(user, bilan.space))


@rules.predicate
def is_staff_of_its_space(user: Any, bilan: Any) -> bool:
    return bool(is_space_staff(user, bilan.space))


# Object: the bilan (saved or not).
rules.add_perm("restitution.view_bilan", (may_see_its_space & is_published) | is_staff_of_its_space)
# Object: the space.
rules.add_perm("restitution.change_bilan", is_space_staff)
# No object: the back-office's list of the bilans (the staff of some space).
rules.add_perm("restitution.access_backoffice", can_reach_backoffice)
