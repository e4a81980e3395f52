"""Who sees reports, who reports, who handles them in the services, who routes them and runs the module.

Supporting a report (« moi aussi ») and following it are decided by the supports and notifications apps (the
permanent phase grants ``Cap.SUPPORT``).
"""

from __future__ import annotations

from typing import Any

import rules
from django.utils.translation import gettext_lazy as _

from participe.assignments.rules import is_agent_of_assigned_service
from participe.core.capabilities import Cap
from participe.permissions.explain import Requirement, Step, add_perm
from participe.permissions.refusals import Reason
from participe.spaces.participation import can_see_step, good_standing_step, not_archived_step, phase_step
from participe.spaces.predicates import (
    can_view_space,
    is_agent,
    is_authenticated,
    is_signed_in,
    is_space_staff,
    module_is_published,
)


@rules.predicate
def is_reporter(user: Any, report: Any) -> bool:
    return bool(report is not None and is_authenticated(user) and report.author_id == user.pk)


@rules.predicate
def is_public_report(user: Any, report: Any) -> bool:
    return bool(report is not None and report.confirmed_at is not None and not report.category.is_private)


@rules.predicate
def is_reopenable(user: Any, report: Any) -> bool:
    return bool(report is not None and report.can_be_reopened())


@rules.predicate
def report_module_visible(user: Any, report: Any) -> bool:
    module = getattr(report, "module", None)
    return bool(module is not None and can_view_space(user, module) and module_is_published(user, module))


NOT_REOPENABLE = Reason(
    "not_reopenable",
    _("Seul l'auteur d'un signalement résolu ou fermé depuis moins de 30 jours peut le rouvrir."),
)
NOT_HANDLER = Reason("not_handler", _("Seuls les agents du service en charge traitent ce signalement."))

handles = is_space_staff | is_agent_of_assigned_service

# Object: the report.
rules.add_perm("signalements.view_report", (report_module_visible & (is_public_report | is_reporter)) | handles)
rules.add_perm("signalements.handle_report", handles)
add_perm(
    "signalements.reopen_report",
    Requirement(Step("reporter", is_reporter, NOT_REOPENABLE), Step("reopenable", is_reopenable, NOT_REOPENABLE)),
)

# Object: the module. Reporting needs no account (a one-off report is confirmed by email, as FixMyStreet allows).
add_perm(
    "signalements.add_report",
    Requirement(
        can_see_step(), not_archived_step(), phase_step(Cap.SUBMIT), good_standing_step().unless(~is_signed_in)
    ),
)
# Routing (assignments' Resource.assign_permission): the module's staff and the agents (an agent moves a report of
# their service to another; the service checks ``handle_report`` on the report first).
rules.add_perm("signalements.route_report", is_space_staff | is_agent)
rules.add_perm("signalements.manage_reports", is_space_staff)
rules.add_perm("signalements.view_backoffice", is_space_staff | is_agent)
