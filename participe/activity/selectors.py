"""Reads of the audit log."""

from __future__ import annotations

import datetime
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Q, QuerySet

from participe.activity.models import AuditEntry
from participe.core.dates import day_start


def audit_entries(
    *,
    actor: str = "",
    action: str = "",
    target_type: ContentType | None = None,
    since: datetime.date | None = None,
    until: datetime.date | None = None,
) -> QuerySet[AuditEntry]:
    """Audit entries filtered by actor (email or pseudonym), action prefix, target type and dates (inclusive)."""
    qs = AuditEntry.objects.select_related("actor", "on_behalf_of", "target_type")
    if actor:
        qs = qs.filter(Q(actor__email__icontains=actor) | Q(actor__pseudonym__icontains=actor))
    if action:
        qs = qs.filter(action__startswith=action)
    if target_type is not None:
        qs = qs.filter(target_type=target_type)
    if since:
        qs = qs.filter(created_at__gte=day_start(since))
    if until:
        qs = qs.filter(created_at__lt=day_start(until + datetime.timedelta(days=1)))
    return qs


def audit_target_types() -> QuerySet[ContentType]:
    """The kinds of objects that appear in the audit log (choices of the filter)."""
    used = AuditEntry.objects.exclude(target_type=None).values("target_type").distinct()
    return ContentType.objects.filter(pk__in=used).order_by("app_label", "model")


def audit_action_prefixes() -> list[str]:
    """The first part of every action recorded ("space", "verification"…), for the filter."""
    actions: Any = AuditEntry.objects.order_by().values_list("action", flat=True).distinct()
    return sorted({a.split(".", 1)[0] for a in actions})
