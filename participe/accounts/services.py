"""Writes on accounts: profile, deletion (anonymisation), roles."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.hooks import erasers
from participe.accounts.models import User
from participe.activity.services import audit, redact_for, snapshot
from participe.core.registry import registry
from participe.core.sanitize import single_line
from participe.permissions.refusals import require

PROFILE_FIELDS = ["pseudonym", "first_name", "last_name", "show_real_name", "territory", "phone", "email_frequency"]


@transaction.atomic
def profile_update(*, user: User, data: dict[str, Any]) -> User:
    # Read "before" from the database: a ModelForm bound to ``user`` has already changed it in memory.
    before = snapshot(User.objects.get(pk=user.pk), PROFILE_FIELDS)
    for name, value in data.items():
        if name in PROFILE_FIELDS:
            setattr(user, name, single_line(value) if name == "pseudonym" else value)  # no bidi controls
    user.full_clean(exclude=["password", "email"])
    user.save()
    audit(actor=user, action="account.update_profile", target=user, before=before, after=snapshot(user, PROFILE_FIELDS))
    return user


def deletion_proof_fields(user: User) -> tuple[bool, bool]:
    """What a person proves before deleting their account: (their password, a code of their second factor). The
    password when the account has one; a fresh code when it has an authenticator (every staff member does)."""
    has_code = Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN).exists()
    return user.has_usable_password(), has_code


def deletion_proof_errors(user: User, *, password: str, code: str) -> dict[str, str]:
    """The fields whose proof is wrong, with the message to show beside them (empty when everything is proven).

    A code is checked against every authenticator of the account (TOTP, or a recovery code, used up), and a TOTP
    code already used cannot be used again: the second factor is fresh. The attempts are limited like a login's (the
    page's throttle, ``participe.core.throttle``)."""
    wants_password, wants_code = deletion_proof_fields(user)
    errors: dict[str, str] = {}
    if wants_password and not user.check_password(password or ""):
        # The code is not spent on a wrong password: it is checked once the password is right.
        return {"password": _("Ce mot de passe n'est pas le bon.")}
    if wants_code:
        authenticators = Authenticator.objects.filter(user=user).exclude(type=Authenticator.Type.WEBAUTHN)
        if not code or not any(a.wrap().validate_code(code.strip()) for a in authenticators):
            errors["code"] = _("Ce code n'est pas valide : tapez celui que votre application affiche maintenant.")
    return errors


@transaction.atomic
def account_delete(*, user: User, actor: User | None = None) -> None:
    """Remove personal data; contributions stay, shown as written by "participant supprimé".

    The row is kept (foreign keys of contributions point to it) but nothing identifies the
    person any more (docs/security.md, « Account deletion »): each module type deletes the person's drafts and
    detaches what must stay (``Hooks.account_deleted`` of its manifest); the apps above accounts erase what they
    hold (``hooks.register_eraser``: verifications, services, roles in spaces, follows and notifications, reports'
    details); the audit log keeps the facts of the person's acts without their copies (``redact_for``); email,
    names, phone, territory, MFA devices and sessions go. The person proved who they are first
    (``deletion_proof_errors``, checked by the page's form).
    """
    if actor is not None and actor.pk != user.pk:
        require(actor, "accounts.manage_roles")
    registry.account_deleted(user)  # drafts and private items of every module type, first: they are audited
    EmailAddress.objects.filter(user=user).delete()
    Authenticator.objects.filter(user=user).delete()
    for erase in erasers():  # verifications, services of the organisation, roles in spaces, follows…
        erase(user)
    user.email = None
    user.first_name = ""
    user.last_name = ""
    user.phone = ""
    user.territory = None
    user.show_real_name = False
    user.pseudonym = f"supprime-{user.pk}"
    user.is_active = False
    user.is_deleted = True
    user.is_org_admin = False
    user.is_staff = False
    user.is_superuser = False
    user.email_frequency = User.EmailFrequency.NEVER
    user.set_unusable_password()
    user.save()
    redact_for(user)
    _delete_sessions(user)
    audit(actor=actor or None, action="account.delete", target=user, after={"deleted_at": timezone.now()})


def _delete_sessions(user: User) -> None:
    """End every session of ``user`` through the session engine, so that a copy kept in the cache goes too
    (``cached_db`` with Redis)."""
    store = import_module(settings.SESSION_ENGINE).SessionStore
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if session.get_decoded().get("_auth_user_id") == str(user.pk):
            store(session_key=session.session_key).delete()


@transaction.atomic
def org_admin_set(*, actor: User, user: User, value: bool) -> None:
    """Grant or withdraw the organisation administrator role; the organisation always keeps one."""
    require(actor, "accounts.manage_roles")
    if not value and user.is_org_admin:
        admins = User.objects.select_for_update().filter(is_org_admin=True, is_active=True)
        if not admins.exclude(pk=user.pk).exists():
            raise ValidationError(_("L'organisation doit garder au moins un administrateur."))
    before = {"is_org_admin": user.is_org_admin}
    user.is_org_admin = value
    user.save(update_fields=["is_org_admin"])
    audit(actor=actor, action="role.org_admin", target=user, before=before, after={"is_org_admin": value})
