"""What the meetings module offers other modules (its manifest's ``offers``, decision 0011)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from participe.modules.meetings.models import Meeting
from participe.spaces.models import Module


def held(module: Module) -> QuerySet[Meeting]:
    """The meetings of ``module`` that have started and were not cancelled: what contributions may come from."""
    return Meeting.objects.filter(module=module, status=Meeting.Status.PUBLISHED, start__lte=timezone.now())
