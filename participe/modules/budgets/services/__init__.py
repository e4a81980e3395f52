"""Every write of the budgets module (see each file): envelopes and opening their vote, projects (entered, CSV,
from retained proposals), the services' analysis, the tally and the results."""

from participe.modules.budgets.services.analysis import answers_prepare, answers_publish
from participe.modules.budgets.services.delivery import delivery_start
from participe.modules.budgets.services.envelopes import categories_save, envelope_save, vote_open
from participe.modules.budgets.services.pabulib_import import (
    PabulibCheck,
    PabulibRefused,
    envelope_import_pabulib,
    pabulib_check,
)
from participe.modules.budgets.services.projects import (
    ImportReport,
    candidate_groups,
    project_save,
    projects_from_candidates,
    projects_import_csv,
)
from participe.modules.budgets.services.results import envelope_tally, results_publish

__all__ = [
    "ImportReport",
    "PabulibCheck",
    "PabulibRefused",
    "answers_prepare",
    "answers_publish",
    "candidate_groups",
    "categories_save",
    "delivery_start",
    "envelope_import_pabulib",
    "envelope_save",
    "envelope_tally",
    "pabulib_check",
    "project_save",
    "projects_from_candidates",
    "projects_import_csv",
    "results_publish",
    "vote_open",
]
