"""Blocking and unblocking an account."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.moderation.models import AccountBlock, Report
from participe.moderation.services.base import (
    _require_perm,
    _require_reason,
)

# --- Accounts -----------------------------------------------------------------------------------------------------


def user_block(*, actor: User, user: User, reason: str) -> AccountBlock:
    """Block an account: the person can still read but no longer take part anywhere, and sees why."""
    _require_perm(actor, "moderation.block_user")
    reason = _require_reason(reason)
    if user.pk == actor.pk:
        raise ValidationError(_("Vous ne pouvez pas bloquer votre propre compte."))
    if user.is_org_admin or user.is_superuser:
        raise ValidationError(_("Retirez d'abord ses droits d'administration à cette personne."))
    if user.is_deleted:
        raise ValidationError(_("Ce compte a été supprimé."))
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.blocked_at is not None:
            raise ValidationError(_("Ce compte est déjà bloqué."))
        now = timezone.now()
        User.objects.filter(pk=user.pk).update(blocked_at=now)
        block, _created = AccountBlock.objects.update_or_create(
            user=locked, defaults={"reason": reason, "blocked_by": actor, "blocked_at": now}
        )
        audit(actor=actor, action="moderation.block_user", target=locked, after={"blocked_at": now}, reason=reason)
    user.blocked_at = now
    return block


def user_unblock(*, actor: User, user: User, reason: str) -> None:
    """Give a blocked account back the right to take part."""
    _require_perm(actor, "moderation.block_user")
    reason = _require_reason(reason)
    with transaction.atomic():
        locked = User.objects.select_for_update().get(pk=user.pk)
        if locked.blocked_at is None:
            raise ValidationError(_("Ce compte n'est pas bloqué."))
        before = locked.blocked_at
        User.objects.filter(pk=user.pk).update(blocked_at=None)
        AccountBlock.objects.filter(user=locked).delete()
        audit(
            actor=actor, action="moderation.unblock_user", target=locked, before={"blocked_at": before}, reason=reason
        )
    user.blocked_at = None


def erase_account_data(user: User) -> None:
    """What moderation keeps about a deleted account (``accounts.hooks.register_eraser``): its reports still count
    (a content's reports and its case stay right) without the details the person typed; a block keeps its date,
    not the staff's words about the person."""
    Report.objects.filter(reporter=user).exclude(details="").update(details="")
    AccountBlock.objects.filter(user=user).update(reason="")
