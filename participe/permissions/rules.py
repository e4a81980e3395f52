"""Rules of the platform as a whole (the back-office, the organisation, accounts and verifications)."""

import rules

from participe.permissions.predicates import can_reach_backoffice, is_agent, is_org_admin

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
