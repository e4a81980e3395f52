"""A module's turning points, where the platform calls the hooks its manifest declares (``ModuleManifest.hooks``).

- Deletion: what the shared services keep about the module's items (comments, supports, follows, reports,
  attachments, index entries: generic references that do not cascade) is deleted by the platform for every resource
  the manifest declares, then the module's ``before_delete`` hook runs, then the rows go. Modules do not call
  ``registry.delete_shared`` when a module or a space is deleted (they still do when they delete one item).
- Phases: the phase type a module runs in is observed (``Module.observed_phase``); when it changes — an agent edits
  the phases, or time passes a phase's start or end (``manage.py phases_advance``, run every minute by the
  scheduler: docs/deployment.md) — the module's ``phase_changed(module, previous, current)`` hook runs after commit.
"""

from __future__ import annotations

import datetime
import logging

from django.apps import apps
from django.db import transaction
from django.db.models import F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from participe.core.registry import registry
from participe.spaces.models import Module, Phase

logger = logging.getLogger(__name__)


def module_deleting(module: Module) -> None:
    """Inside the deleting transaction, before the module's rows go: shared rows of its items, then its hook."""
    registry.delete_shared(module)
    manifest = registry.get(module.module_type)
    for resource in manifest.resources if manifest else ():
        model = apps.get_model(resource.model)
        if not any(f.name == "module" for f in model._meta.get_fields()):
            continue
        for item in model._default_manager.filter(module=module).iterator():
            registry.delete_shared(item)
    registry.run_hook(module, "before_delete")


def _current_type(module: Module, now: datetime.datetime) -> str:
    phase = module.phases.filter(start__lte=now, end__gt=now).order_by("start").first()
    return phase.phase_type if phase is not None else ""


def observe_phase(module_id: int, now: datetime.datetime | None = None) -> bool:
    """Record the module's current phase type; when it changed, run its ``phase_changed`` hook after commit.

    Returns whether it changed. Safe to run concurrently: the module row is locked while it is compared."""
    now = now or timezone.now()
    with transaction.atomic():
        module = Module.objects.select_for_update().filter(pk=module_id).first()
        if module is None:
            return False
        current = _current_type(module, now)
        previous = module.observed_phase
        if current == previous:
            return False
        module.observed_phase = current
        module.save(update_fields=["observed_phase"])
        transaction.on_commit(lambda: _run_phase_hook(module_id, previous or None, current or None))
    return True


def _run_phase_hook(module_id: int, previous: str | None, current: str | None) -> None:
    module = Module.objects.select_related("space").filter(pk=module_id).first()
    if module is None:
        return
    try:
        registry.run_hook(module, "phase_changed", previous, current)
    except Exception:  # one module's hook must not stop the others'; the next change runs it again
        logger.exception("phase_changed hook of module %s failed", module_id)


def advance_phases(now: datetime.datetime | None = None) -> int:
    """Observe the modules whose current phase type differs from the observed one (one query finds them); returns
    how many changed."""
    now = now or timezone.now()
    current = Subquery(
        Phase.objects.filter(module=OuterRef("pk"), start__lte=now, end__gt=now)
        .order_by("start")
        .values("phase_type")[:1]
    )
    stale = (
        Module.objects.annotate(current=Coalesce(current, Value("")))
        .exclude(current=F("observed_phase"))
        .values_list("pk", flat=True)
    )
    return sum(observe_phase(module_id, now) for module_id in list(stale))
