"""Rules of the back-office and of what the organisation's staff manage there: the organisation, accounts, the
audit log, verifications. (The services of those apps name these permissions; they are registered here, above
the predicates they are made of.)"""

import rules

from participe.spaces.predicates import can_reach_backoffice, is_agent, is_org_admin

rules.add_perm("backoffice.access", can_reach_backoffice)
rules.add_perm("organisation.change_organisation", is_org_admin)
rules.add_perm("organisation.manage_territories", is_org_admin)
rules.add_perm("organisation.manage_themes", is_org_admin)
rules.add_perm("organisation.manage_services", is_org_admin)
rules.add_perm("accounts.manage_roles", is_org_admin)
rules.add_perm("activity.view_audit", is_org_admin)
rules.add_perm("verifications.manage_census", is_org_admin | is_agent)
rules.add_perm("verifications.verify_in_person", is_org_admin | is_agent)
rules.add_perm("verifications.create_managed_account", is_org_admin | is_agent)
rules.add_perm("verifications.act_for_resident", is_org_admin | is_agent)
