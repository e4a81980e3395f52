"""Every write of the juries (decision 0024): the panel and its quotas, the pool, the draws, invitations, the avis."""

from participe.modules.juries.services.avis import recommendation_answer, recommendation_save
from participe.modules.juries.services.draws import draw_commit, draw_run, invitation_answer
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
    "panel_configure",
    "panel_of",
    "pool_import",
    "recommendation_answer",
    "recommendation_save",
    "volunteer_register",
]
