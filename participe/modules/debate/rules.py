"""Who may read and who may write the subjects of a debate.

Commenting a subject is decided by the comments app (``comments.add_comment``: the phase grants
``Cap.COMMENT`` and the participant meets the module's eligibility rule).
"""

from __future__ import annotations

from typing import Any

import rules

from participe.core.models import ModerationStatus
from participe.spaces.predicates import (
    can_view_space,
    is_org_admin,
    is_space_admin,
    is_space_staff,
    module_is_published,
)


@rules.predicate
def subject_is_public(user: Any, subject: Any) -> bool:
    return bool(
        subject is not None
        and subject.status == "published"
        and subject.moderation_status == ModerationStatus.PUBLISHED
    )


can_view_module = can_view_space & (module_is_published | is_org_admin | is_space_admin)
# Staff of the space (organisation administrators, administrators of the space) write the subjects.
can_manage_subjects = is_space_staff

rules.add_perm("debate.view_subject", can_view_module & (subject_is_public | can_manage_subjects))
rules.add_perm("debate.manage_subject", can_manage_subjects)
