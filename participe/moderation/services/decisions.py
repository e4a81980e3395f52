"""Moderators' decisions on a content: hide, unhide, publish, queue a pending content, correct a text."""

from __future__ import annotations

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.core import resources
from participe.core.models import ModerationStatus
from participe.core.registry import registry
from participe.moderation.models import ModerationCase, Resolution
from participe.moderation.services.base import (
    NOTE_MAX_LENGTH,
    _after_visibility_change,
    _case,
    _locked,
    _notify_author,
    _reindex,
    _require_perm,
    _require_reason,
    _resolve_reports,
    _save_case,
    _set_status,
    _sync,
    editable_fields,
)

# --- Decisions on contents -----------------------------------------------------------------------------------------


def _decide(
    *,
    actor: User,
    target: Model,
    reason: str,
    status: str,
    action: str,
    event: str,
    allowed_from: tuple[str, ...],
    refusal: str,
    resolution: str,
) -> None:
    _require_perm(actor, "moderation.moderate_content", target)
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = _locked(target)
        case = _case(locked)
        current = resources.moderation_status(locked)
        if current not in allowed_from or (current == status and not case.is_open):
            raise ValidationError(refusal)
        previous = _set_status(locked, status)
        closed = _resolve_reports(locked, resolution)
        audit(
            actor=actor,
            action=action,
            target=locked,
            before={"moderation_status": previous},
            after={"moderation_status": status, "reports_closed": closed},
            reason=reason,
        )
        _save_case(case, locked, is_open=False)
        if previous != status:
            _after_visibility_change(locked, previous=previous)
            _notify_author(event, locked, actor=actor, reason=reason)
    _sync(target, locked)


def content_hide(*, actor: User, target: Model, reason: str) -> None:
    """Hide ``target`` (published, pending, or hidden by reports awaiting a decision); its open reports are upheld."""
    _decide(
        actor=actor,
        target=target,
        reason=reason,
        status=ModerationStatus.HIDDEN,
        action="moderation.hide",
        event="moderation.hidden",
        allowed_from=(ModerationStatus.PUBLISHED, ModerationStatus.PENDING, ModerationStatus.HIDDEN),
        refusal=_("Ce contenu est déjà masqué."),
        resolution=Resolution.HIDDEN,
    )


def content_unhide(*, actor: User, target: Model, reason: str) -> None:
    """Make a hidden ``target`` visible again; its open reports are dismissed."""
    _decide(
        actor=actor,
        target=target,
        reason=reason,
        status=ModerationStatus.PUBLISHED,
        action="moderation.unhide",
        event="moderation.unhidden",
        allowed_from=(ModerationStatus.HIDDEN,),
        refusal=_("Ce contenu n'est pas masqué."),
        resolution=Resolution.DISMISSED,
    )


def content_publish(*, actor: User, target: Model, reason: str) -> None:
    """Publish a ``target`` awaiting moderation a priori (pending → published)."""
    _decide(
        actor=actor,
        target=target,
        reason=reason,
        status=ModerationStatus.PUBLISHED,
        action="moderation.publish",
        event="moderation.published",
        allowed_from=(ModerationStatus.PENDING,),
        refusal=_("Ce contenu n'est pas en attente de modération."),
        resolution=Resolution.DISMISSED,
    )


def content_submit(*, target: Model) -> ModerationCase | None:
    """Put a new contribution of a module moderated a priori in the queue (module services call it after create).

    Does nothing when ``target`` is not pending.
    """
    if resources.moderation_status(target) != ModerationStatus.PENDING:
        return None
    with transaction.atomic():
        locked = _locked(target)
        return _save_case(_case(locked), locked, is_open=True)


def content_edit_formatting(*, actor: User, target: Model, field: str, new_value: str, note: str) -> None:
    """A moderator corrects a text field of ``target`` (formatting, personal data…) with a note shown beside it.

    The note is shown to readers as "Modifié par la modération : <note>"; the old value stays in the audit log.
    """
    _require_perm(actor, "moderation.moderate_content", target)
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": _("Expliquez la modification : la note est affichée avec le contenu.")})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError({"note": _("La note doit tenir en %(max)d caractères.") % {"max": NOTE_MAX_LENGTH}})
    if field not in editable_fields(target):
        raise ValidationError({"field": _("Ce champ ne peut pas être modifié par la modération.")})
    model_field = target._meta.get_field(field)
    new_value = (new_value or "").strip()
    if not new_value and not getattr(model_field, "blank", False):
        raise ValidationError({"new_value": _("Ce texte ne peut pas être vide : masquez plutôt le contenu.")})
    max_length = getattr(model_field, "max_length", None)
    if max_length and len(new_value) > max_length:
        raise ValidationError({"new_value": _("Ce texte doit tenir en %(max)d caractères.") % {"max": max_length}})
    with transaction.atomic():
        locked = _locked(target)
        before = getattr(locked, field)
        setattr(locked, field, new_value)
        fields = [field]
        if hasattr(locked, "moderated_at"):
            # Tells ``{% moderation_mark %}`` there is a note to show, without a query for untouched contents.
            locked.moderated_at = timezone.now()
            fields.append("moderated_at")
        locked.save(update_fields=fields)
        case = _case(locked)
        case.edit_note = note
        case.edited_at = timezone.now()
        # A correction alone does not put the content in the queue.
        _save_case(case, locked, is_open=case.is_open if case.pk else False)
        audit(
            actor=actor,
            action="moderation.edit",
            target=locked,
            before={field: before},
            after={field: getattr(locked, field)},
            reason=note,
        )
        _reindex(locked)
        _notify_author("moderation.edited", locked, actor=actor, reason=note)
    setattr(target, field, getattr(locked, field))
    _sync(target, locked)


def cases_sync() -> int:
    """Open a case for every pending or hidden content that has none (a module that forgot ``content_submit``,
    contents imported in bulk). Safe to run at any time: ``manage.py moderation_sync``. Returns the cases opened."""
    opened = 0
    for resource in registry.resources():
        if not resource.reportable:
            continue
        model = apps.get_model(resource.model)
        content_type = ContentType.objects.get_for_model(model)
        known = ModerationCase.objects.filter(content_type=content_type).values("object_id")
        waiting = model._default_manager.filter(
            moderation_status__in=[ModerationStatus.PENDING, ModerationStatus.HIDDEN]
        ).exclude(pk__in=known)
        for content in waiting.iterator():
            with transaction.atomic():
                locked = _locked(content)
                _save_case(_case(locked), locked, is_open=True)
            opened += 1
    return opened
