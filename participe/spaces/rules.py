"""Rules on spaces and modules. Module apps add their own from ``participation(Cap.X)`` (or ``can_participate``).

``spaces.<cap>_in_module`` is declared as the participation requirement, so ``explain`` says why not."""

import rules

from participe.core.capabilities import Cap
from participe.permissions.explain import add_perm
from participe.spaces.participation import participation
from participe.spaces.predicates import (
    can_see_item,
    can_view_module,
    can_view_space,
    is_agent,
    is_org_admin,
    is_space_admin,
    is_space_moderator,
)

rules.add_perm("spaces.view_space", can_view_space)
rules.add_perm("spaces.view_module", can_view_module)
# What a shared service asks before it answers about an item (see ``can_see_item``).
rules.add_perm("spaces.view_item", can_see_item)
rules.add_perm("spaces.add_space", is_org_admin | is_agent)
rules.add_perm("spaces.change_space", is_org_admin | is_space_admin)
rules.add_perm("spaces.publish_space", is_org_admin | is_space_admin)
rules.add_perm("spaces.delete_space", is_org_admin)
rules.add_perm("spaces.manage_members", is_org_admin | is_space_admin)
rules.add_perm("spaces.manage_organisation_modules", is_org_admin)
rules.add_perm("spaces.moderate_space", is_org_admin | is_space_admin | is_space_moderator)
for cap in Cap:
    add_perm(f"spaces.{cap.value}_in_module", participation(cap))
