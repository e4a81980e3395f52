"""The manifest's ``statistics``: people who voted (by any channel) and the options of the question."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from participe.core.registry import Statistic, figures
from participe.modules.votation.selectors import statistics_values
from participe.spaces.models import Module

LABELS = {
    "contributions": _("Votes"),
    "participants": _("Votants"),
    "options": _("Options soumises au vote"),
}


def statistics(module: Module) -> list[Statistic]:
    """A vote is a contribution and each comes from one voter: both count the émargements."""
    return figures(statistics_values(module), LABELS)
