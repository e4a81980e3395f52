"""Who reports and who moderates (see docs/services/moderation.md).

- Reporting: anyone signed in and not blocked who may see the content (``can_see_item``: not a draft, not hidden).
- Moderating a content: organisation administrators (global moderators) and the moderators and administrators of
  the content's space.
- Blocking an account is platform-wide, so it is for organisation administrators only.
"""

from typing import Any

import rules

from participe.moderation.selectors import author_of
from participe.spaces.predicates import (
    can_see_item,
    has_any_space_role,
    is_authenticated,
    is_org_admin,
    is_space_admin,
    is_space_moderator,
)


@rules.predicate
def is_content_author(user: Any, target: Any) -> bool:
    if not (user and user.is_authenticated) or target is None:
        return False
    author = author_of(target)
    return author is not None and author.pk == user.pk


can_moderate_content = is_org_admin | is_space_moderator | is_space_admin

rules.add_perm("moderation.report_content", is_authenticated & can_see_item)
rules.add_perm("moderation.moderate_content", can_moderate_content)
# Hidden or pending contents stay visible, with a mark, to their moderators and to their author.
rules.add_perm("moderation.view_moderated", can_moderate_content | is_content_author)
rules.add_perm("moderation.access_queue", is_org_admin | has_any_space_role)
rules.add_perm("moderation.block_user", is_org_admin)
