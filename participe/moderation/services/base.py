"""Helpers shared by the moderation services: locks, cases, statuses, notifications of the author."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist, PermissionDenied, ValidationError
from django.db import models, transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from participe.core import resources
from participe.core.models import ModerationStatus
from participe.core.sanitize import single_line
from participe.moderation.models import ModerationCase, Report
from participe.moderation.selectors import author_of, resource_of
from participe.notifications import services as notifications
from participe.search import services as search
from participe.spaces.predicates import module_of, space_of

DEFAULT_REPORT_THRESHOLD = 3
NOTE_MAX_LENGTH = 300


class AlreadyReported(ValidationError):
    """The participant has already reported this content."""


# --- Helpers ------------------------------------------------------------------------------------------------------


def report_threshold(module: Any) -> int:
    """Open reports that hide a content until a moderator decides: the module's ``report_threshold`` setting,
    else ``settings.PARTICIPE_REPORT_THRESHOLD``, else 3."""
    value: Any = None
    if module is not None:
        value = module.effective_settings().get("report_threshold")
    if value in (None, ""):
        value = getattr(settings, "PARTICIPE_REPORT_THRESHOLD", DEFAULT_REPORT_THRESHOLD)
    try:
        return max(1, int(value))
    except (TypeError, ValueError):
        return DEFAULT_REPORT_THRESHOLD


def is_a_priori(module: Any) -> bool:
    """True when the module publishes contributions only after a moderator approves them."""
    if module is None:
        return False
    return bool(module.effective_settings(module.current_phase()).get("moderation_a_priori"))


def initial_status(module: Any) -> str:
    """The ``moderation_status`` a new contribution of ``module`` starts with (pending when moderated a priori)."""
    return ModerationStatus.PENDING if is_a_priori(module) else ModerationStatus.PUBLISHED


def editable_fields(target: Model) -> list[str]:
    """The text fields a moderator may correct: the resource's title and text fields (and ``body``) of the model."""
    resource = resource_of(target)
    names = [resource.title_field, *resource.text_fields] if resource else []
    found = []
    for name in dict.fromkeys([*names, "body"]):
        try:
            field = target._meta.get_field(name)
        except FieldDoesNotExist:
            continue
        if isinstance(field, models.CharField | models.TextField):
            found.append(name)
    return found


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(
            {"reason": _("Indiquez le motif de la décision : il est enregistré et transmis à l'auteur.")}
        )
    return reason


def _require_perm(actor: Any, perm: str, obj: Any = None) -> None:
    if actor is None or not actor.has_perm(perm, obj):
        raise PermissionDenied(_("Vous n'avez pas le droit de faire cela."))


def _locked(target: Model) -> Model:
    """``target`` read again under a row lock (every counter and status of moderation is written this way)."""
    return type(target)._default_manager.select_for_update().get(pk=target.pk)


def _sync(target: Model, locked: Model) -> None:
    """Copy what moderation wrote back onto the caller's instance."""
    for name in ("reports_count", "moderation_status", "moderated_at"):
        if hasattr(locked, name):
            setattr(target, name, getattr(locked, name))


def _case(locked: Model) -> ModerationCase:
    """The case of a content, created if needed; called while the content row is locked, so never twice at once."""
    content_type = ContentType.objects.get_for_model(locked)
    case = ModerationCase.objects.filter(content_type=content_type, object_id=locked.pk).first()
    if case is None:
        module = module_of(locked)
        space = space_of(locked)
        case = ModerationCase(
            content_type=content_type,
            object_id=locked.pk,
            module=module,
            space=space,
            updated_at=timezone.now(),
        )
    case.author = author_of(locked)
    case.title = single_line(str(locked))[:300]  # titles saved with bidi controls before they were stripped
    return case


def _save_case(case: ModerationCase, locked: Model, *, is_open: bool | None = None) -> ModerationCase:
    content = resources.interactive(locked)
    case.content_status = content.moderation_status
    case.reports_count = content.reports_count
    if is_open is not None:
        case.is_open = is_open
    case.updated_at = timezone.now()
    case.save()
    return case


def _set_status(locked: Model, status: str) -> str:
    """Write the moderation status of a locked content; returns the status it had."""
    content = resources.interactive(locked)
    previous = content.moderation_status
    now = timezone.now()
    type(locked)._default_manager.filter(pk=locked.pk).update(moderation_status=status, moderated_at=now)
    content.moderation_status = status
    content.moderated_at = now
    return previous


def _resolve_reports(locked: Model, resolution: str) -> int:
    """Close the open reports of a content with a decision; its ``reports_count`` (open reports) goes back to 0."""
    content_type = ContentType.objects.get_for_model(locked)
    closed = Report.objects.filter(content_type=content_type, object_id=locked.pk, resolved_at__isnull=True).update(
        resolved_at=timezone.now(), resolution=resolution
    )
    type(locked)._default_manager.filter(pk=locked.pk).update(reports_count=0)
    resources.interactive(locked).reports_count = 0
    return closed


def _after_visibility_change(locked: Model, *, previous: str = "") -> None:
    """What depends on a content being visible: the resource's own hook, the search index.

    A resource declares what must follow (``Resource.on_visibility_changed``: the comments app recounts a thread
    and, for a comment approved after waiting, tells the followers); search refreshes the entry of a searchable
    content after commit, never failing the act.
    """
    resource = resource_of(locked)
    if resource is not None and resource.on_visibility_changed:
        import_string(resource.on_visibility_changed)(locked, previous)
    _reindex(locked)


def _reindex(locked: Model) -> None:
    """Refresh the search entry of a searchable content once the transaction commits (never failing the act)."""
    resource = resource_of(locked)
    if resource is not None and resource.searchable:
        transaction.on_commit(lambda: search.index_object(locked), robust=True)


def _notify_author(event: str, target: Model, *, actor: Any, reason: str) -> None:
    """Tell the author about a decision on their content, once the transaction has committed."""
    author = author_of(target)
    if author is None or getattr(author, "is_deleted", False):
        return

    def send() -> None:
        notifications.notify(event=event, target=target, actor=actor, recipients=[author], context={"reason": reason})

    transaction.on_commit(send, robust=True)
