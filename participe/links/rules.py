"""Who links items of two modules: whoever runs the module the new item belongs to (the staff of its space).

Object: the derived item (or its module)."""

import rules

from participe.spaces.predicates import is_space_staff

rules.add_perm("links.add_link", is_space_staff)
rules.add_perm("links.delete_link", is_space_staff)
