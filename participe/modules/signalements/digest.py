"""The daily digest of each service: its open reports and the overdue ones, told to its agents (event
``signalements.digest``, in-app and by email according to their preferences). Run from cron through
``manage.py signalements_digest`` (or ``--enqueue`` for a worker: ``tasks.send_digest_task``)."""

from __future__ import annotations

from collections import Counter

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.assignments.selectors import with_assignment
from participe.modules.signalements.models import OPEN_STATUSES, Report
from participe.notifications.services import notify
from participe.organisation.models import Service
from participe.spaces.models import Module


def send_digest() -> int:
    """One notification per service with open reports; returns how many services were told."""
    module = Module.objects.filter(module_type="signalements").first()
    if module is None:
        return 0
    now = timezone.now()
    rows = (
        with_assignment(Report.objects.filter(module=module, status__in=OPEN_STATUSES, confirmed_at__isnull=False))
        .exclude(assignment_service_id=None)
        .values_list("assignment_service_id", "assignment_due_at")
    )
    open_counts: Counter[int] = Counter()
    overdue: Counter[int] = Counter()
    for service_id, due_at in rows:
        open_counts[service_id] += 1
        overdue[service_id] += bool(due_at and due_at < now)
    told = 0
    for service in Service.objects.filter(pk__in=list(open_counts)).prefetch_related("members"):
        agents = list(service.members.all())
        if not agents:
            continue
        subject = _("%(service)s : %(open)s signalements ouverts, dont %(late)s en retard") % {
            "service": service.name,
            "open": open_counts[service.pk],
            "late": overdue[service.pk],
        }
        with transaction.atomic():
            notify(event="signalements.digest", target=module, recipients=agents, context={"subject": subject})
        told += 1
    return told
