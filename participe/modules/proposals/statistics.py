"""The manifest's ``statistics``: the figures of a proposals module, labelled for the back-office and the API."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from participe.core.registry import Statistic, figures
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.selectors.proposals import module_statistics
from participe.spaces.models import Module

LABELS = {
    "contributions": _("Propositions publiées"),
    "participants": _("Auteurs de propositions"),
    "supports": _("Soutiens"),
    "comments": _("Commentaires"),
    "located": _("Propositions localisées"),
    "retained": _("Propositions ayant atteint le seuil de soutiens"),
    "answered": _("Propositions ayant une réponse"),
    "selected": _("Propositions retenues ou réalisées"),
}


def statistics(module: Module) -> list[Statistic]:
    """Contributions are the published proposals; participants, their distinct authors."""
    values = module_statistics(module)
    values["contributions"] = values["proposals"]
    values["participants"] = (
        Proposal.objects.filter(module=module, status=Proposal.Status.PUBLISHED, author__isnull=False)
        .values("author")
        .distinct()
        .count()
    )
    return figures(values, LABELS)
