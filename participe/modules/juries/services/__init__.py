"""Every write of the juries (decisions 0024, 0032): the panel and its quotas, the pool, the draws, invitations, the
members' private space, the avis."""

from participe.modules.juries.services.avis import recommendation_answer, recommendation_save
from participe.modules.juries.services.draws import draw_commit, draw_run, invitation_answer
from participe.modules.juries.services.members import member_join, members_space_open, members_sync
from participe.modules.juries.services.panels import (
    feature_save,
    panel_configure,
    panel_of,
    pool_import,
    volunteer_register,
)

__all__ = [
    "draw_commit",
    "draw_run",
    "feature_save",
    "invitation_answer",
    "member_join",
    "members_space_open",
    "members_sync",
    "panel_configure",
    "panel_of",
    "pool_import",
    "recommendation_answer",
    "recommendation_save",
    "volunteer_register",
]
