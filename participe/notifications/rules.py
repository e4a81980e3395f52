"""Who may follow, and who may write to the followers of a space."""

import rules

from participe.spaces.predicates import can_view_space, is_authenticated, is_org_admin, is_space_admin

# The administrators of the space (and of the organisation) speak for the démarche.
rules.add_perm("notifications.send_message", is_org_admin | is_space_admin)
rules.add_perm("notifications.follow", is_authenticated & can_view_space)
