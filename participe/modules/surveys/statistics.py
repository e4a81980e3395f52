"""The manifest's ``statistics``: the figures of a surveys module, labelled for the back-office and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from participe.core.registry import Statistic, figures
from participe.modules.surveys.selectors.builder import module_statistics
from participe.spaces.models import Module

LABELS = {
    "contributions": _("Réponses reçues"),
    "participants": _("Répondants"),
    "questions": _("Questions"),
    "sections": _("Sections"),
}


def statistics(module: Module) -> list[Statistic]:
    """Contributions are the submitted responses; each comes from one respondent (one answer per person, or per
    submission when several are allowed: the respondents are then counted by submission)."""
    values = module_statistics(module)
    values["contributions"] = values["participants"] = values["responses"]
    return figures(values, LABELS)
