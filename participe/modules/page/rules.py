"""Who may read a page and who may write it (django-rules; the object is the page's ``Module``).

- ``page.view_page``: whoever may see the module (``spaces.view_module``: the space is visible to them and the
  module is published, or they run the space).
- ``page.change_page``: the staff of the space (organisation administrators, administrators of the space).

A module composes its permissions from the platform's predicates (``participe.spaces.predicates``) and
permissions; it never writes its own role checks.
"""

from __future__ import annotations

from typing import Any

import rules

from participe.spaces.predicates import is_space_staff


@rules.predicate
def can_view_module(user: Any, module: Any) -> bool:
    """The platform's rule for seeing a module of any type."""
    return user is not None and bool(user.has_perm("spaces.view_module", module))


rules.add_perm("page.view_page", can_view_module)
rules.add_perm("page.change_page", is_space_staff)
