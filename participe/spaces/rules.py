"""Rules on spaces and modules. Module apps add their own with ``can_participate(Cap.X)``."""

import rules

from participe.core.capabilities import Cap
from participe.spaces.predicates import (
    can_participate,
    can_view_space,
    is_agent,
    is_org_admin,
    is_space_admin,
    is_space_moderator,
    module_is_published,
)

rules.add_perm("spaces.view_space", can_view_space)
rules.add_perm("spaces.view_module", can_view_space & (module_is_published | is_org_admin | is_space_admin))
rules.add_perm("spaces.add_space", is_org_admin | is_agent)
rules.add_perm("spaces.change_space", is_org_admin | is_space_admin)
rules.add_perm("spaces.publish_space", is_org_admin | is_space_admin)
rules.add_perm("spaces.delete_space", is_org_admin)
rules.add_perm("spaces.manage_members", is_org_admin | is_space_admin)
rules.add_perm("spaces.manage_organisation_modules", is_org_admin)
rules.add_perm("spaces.moderate_space", is_org_admin | is_space_admin | is_space_moderator)
for cap in Cap:
    rules.add_perm(f"spaces.{cap.value}_in_module", can_participate(cap))
