"""What the proposals module offers other modules (its manifest's ``offers``, decision 0011)."""

from __future__ import annotations

from django.db.models import QuerySet

from participe.modules.proposals.models import Proposal
from participe.spaces.models import Module


def retained(module: Module) -> QuerySet[Proposal]:
    """The published proposals the collectivité answered « retenue »: ideas that may become projects (a budget's
    projects, a vote's options), most supported first."""
    return Proposal.objects.filter(
        module=module,
        status=Proposal.Status.PUBLISHED,
        answer_status=Proposal.AnswerStatus.SELECTED,
        answered_at__isnull=False,
    ).order_by("-supports_count", "pk")
