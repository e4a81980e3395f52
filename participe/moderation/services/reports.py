"""Reports by participants, and their dismissal."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Model
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.core import resources
from participe.core.models import ModerationStatus
from participe.core.throttle import throttle
from participe.moderation.models import Reason, Report, Resolution
from participe.moderation.selectors import resource_of
from participe.moderation.services.base import (
    AlreadyReported,
    _after_visibility_change,
    _case,
    _locked,
    _notify_author,
    _require_perm,
    _require_reason,
    _resolve_reports,
    _save_case,
    _set_status,
    _sync,
    module_of,
    report_threshold,
)
from participe.moderation.services.decisions import content_unhide

# --- Reports ------------------------------------------------------------------------------------------------------


def report_create(*, actor: User, target: Model, reason: str, details: str = "") -> Report:
    """Report ``target`` (a reportable resource) for ``reason``; one report per participant and content.

    Counts the report under a row lock on the content; when the open reports reach the module's threshold
    (``report_threshold``), a published content is hidden until a moderator decides, and its author is told.
    Raises ``AlreadyReported`` on a second report, ``ValidationError`` on bad input, ``PermissionDenied``.
    """
    resource = resource_of(target)
    if resource is None or not resource.reportable:
        raise ValidationError(_("Ce contenu ne peut pas être signalé."))
    _require_perm(actor, "moderation.report_content", target)
    throttle(actor, "content")
    details = (details or "").strip()
    if reason not in Reason.values:
        raise ValidationError({"reason": _("Choisissez le motif du signalement.")})
    if reason == Reason.OTHER and not details:
        raise ValidationError({"details": _("Précisez ce qui pose problème dans ce contenu.")})
    with transaction.atomic():
        locked = _locked(target)
        content_type = ContentType.objects.get_for_model(locked)
        if Report.objects.filter(reporter=actor, content_type=content_type, object_id=locked.pk).exists():
            raise AlreadyReported(_("Vous avez déjà signalé ce contenu : merci, l'équipe de modération l'examine."))
        case = _case(locked)
        if case.pk is None:
            case.save()
        report = Report.objects.create(
            reporter=actor,
            content_type=content_type,
            object_id=locked.pk,
            module=module_of(locked),
            case=case,
            reason=reason,
            details=details,
        )
        type(locked)._default_manager.filter(pk=locked.pk).update(reports_count=F("reports_count") + 1)
        locked.refresh_from_db(fields=["reports_count"])
        audit(actor=actor, action="moderation.report", target=locked, after={"reason": reason}, reason=details)
        threshold = report_threshold(module_of(locked))
        content = resources.interactive(locked)
        hidden_now = content.moderation_status == ModerationStatus.PUBLISHED and content.reports_count >= threshold
        if hidden_now:
            _set_status(locked, ModerationStatus.HIDDEN)
            why = _(
                "Masqué automatiquement après %(count)d signalements, en attendant la décision d'un modérateur."
            ) % {"count": content.reports_count}
            audit(
                actor=None,
                action="moderation.auto_hide",
                target=locked,
                before={"moderation_status": ModerationStatus.PUBLISHED},
                after={"moderation_status": ModerationStatus.HIDDEN, "reports_count": content.reports_count},
                reason=why,
            )
            _after_visibility_change(locked)
            _notify_author("moderation.hidden", locked, actor=None, reason=why)
        _save_case(case, locked, is_open=True)
    _sync(target, locked)
    return report


def reports_dismiss(*, actor: User, target: Model, reason: str) -> None:
    """Close the open reports of ``target`` without sanction; a content hidden by reports becomes visible again."""
    _require_perm(actor, "moderation.moderate_content", target)
    reason = _require_reason(reason)
    if resources.moderation_status(target) == ModerationStatus.HIDDEN:
        content_unhide(actor=actor, target=target, reason=reason)
        return
    with transaction.atomic():
        locked = _locked(target)
        closed = _resolve_reports(locked, Resolution.DISMISSED)
        audit(actor=actor, action="moderation.dismiss", target=locked, after={"reports_closed": closed}, reason=reason)
        is_open = resources.moderation_status(locked) == ModerationStatus.PENDING
        _save_case(_case(locked), locked, is_open=is_open)
    _sync(target, locked)
