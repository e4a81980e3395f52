"""What the meetings module offers other modules (its manifest's ``offers``, decision 0011)."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from participe.modules.meetings.models import Meeting
from participe.spaces.models import Module


def held(module: Module) -> QuerySet[Meeting]:
    """The meetings of ``module`` that have started and were not cancelled: what contributions may come from."""
    return Meeting.objects.filter(module=module, status=Meeting.Status.PUBLISHED, start__lte=timezone.now())


def sessions(module: Module) -> QuerySet[Meeting]:
    """Every published or cancelled meeting of ``module``, in the order of their start: what another module (a
    citizens' jury whose private space holds a meetings module) lists as its sessions, without importing this one."""
    return Meeting.objects.filter(
        module=module, status__in=(Meeting.Status.PUBLISHED, Meeting.Status.CANCELLED)
    ).order_by("start", "pk")
