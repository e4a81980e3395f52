"""Signing in, signing up, linking and unlinking with an identity provider; FranceConnect's identity as a
verification (decision 0038). Every write is here, audited; the OpenID Connect exchange is ``oidc``'s.

Who the person is comes only from claims ``oidc`` verified (the ID token's ``sub``, the signed userinfo). A resident
is matched to an account by FranceConnect's ``sub`` once linked, never by email: an email that already has an account
is refused with the way to link it from that account. An agent is matched by email to an existing staff account
(ProConnect's ``sub`` differs for each service), and nobody else is let in through ProConnect.
"""

from __future__ import annotations

import datetime
import logging
from dataclasses import dataclass, field
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.activity.services import audit
from participe.core.sanitize import single_line
from participe.identity.models import IdentityLink
from participe.identity.providers import FRANCECONNECT, NAMES
from participe.spaces.predicates import holds_a_staff_role
from participe.verifications.models import Verification
from participe.verifications.services import identity_verify

logger = logging.getLogger("participe.identity")

GENDERS = {"female", "male"}  # the OpenID Connect values FranceConnect sends


@dataclass(frozen=True)
class Identity:
    """What a provider vouched for: its ``sub`` and the verified claims of the ID token and the userinfo."""

    provider: str
    sub: str
    claims: dict[str, Any] = field(default_factory=dict)
    amr: tuple[str, ...] = ()

    @property
    def email(self) -> str:
        return str(self.claims.get("email") or "").strip()

    def as_session(self) -> dict[str, Any]:
        return {"provider": self.provider, "sub": self.sub, "claims": self.claims, "amr": list(self.amr)}

    @classmethod
    def from_session(cls, data: dict[str, Any]) -> Identity:
        return cls(data["provider"], data["sub"], dict(data.get("claims") or {}), tuple(data.get("amr") or ()))


def users_with_email(email: str) -> Any:
    """Accounts whose login or any address (confirmed or not) is ``email``."""
    addresses = EmailAddress.objects.filter(email__iexact=email).values("user_id")
    return User.objects.filter(Q(email__iexact=email) | Q(pk__in=addresses))


def linked_user(identity: Identity) -> User | None:
    link = IdentityLink.objects.select_related("user").filter(provider=identity.provider, sub=identity.sub).first()
    return link.user if link is not None else None


def usable(user: User) -> None:
    if user.is_deleted or not user.is_active:
        raise PermissionDenied(_("Ce compte est désactivé ou a été supprimé."))


def birth_date_of(claims: dict[str, Any]) -> datetime.date | None:
    try:
        return datetime.date.fromisoformat(str(claims.get("birthdate") or ""))
    except ValueError:
        return None


def franceconnect_verification(*, user: User, identity: Identity) -> Verification:
    """The verification FranceConnect's identity gives: the birth date (age), the level eidas1, the gender as sent;
    the residence when the census in force lists the person (matched by its keyed hash). The names and birthplace
    only serve the match and are not stored."""
    claims = identity.claims
    attributes: dict[str, Any] = {"level": str(claims.get("acr") or "eidas1")}
    gender = claims.get("gender")
    if gender in GENDERS:
        attributes["gender"] = gender
    days = settings.PARTICIPE_FRANCECONNECT_VERIFICATION_DAYS
    return identity_verify(
        user=user,
        handler=FRANCECONNECT,
        last_name=str(claims.get("family_name") or ""),
        first_names=str(claims.get("given_name") or ""),
        birth_date=birth_date_of(claims),
        attributes=attributes,
        expires_at=timezone.now() + datetime.timedelta(days=days) if days > 0 else None,
    )


@transaction.atomic
def franceconnect_sign_in(*, identity: Identity) -> User:
    """The account linked to this FranceConnect identity, its verification renewed. Raises ``LookupError`` when no
    account is linked (the caller offers to sign up), ``PermissionDenied`` when the identity's email already has an
    account that is not linked (never joined silently: the person signs in and links it)."""
    user = linked_user(identity)
    if user is None:
        if identity.email and users_with_email(identity.email).exists():
            raise PermissionDenied(
                _(
                    "Un compte existe déjà avec l'adresse %(email)s. Connectez-vous avec votre mot de passe, puis "
                    "liez FranceConnect à votre compte depuis « Mon compte » : vous n'aurez plus qu'à utiliser "
                    "FranceConnect ensuite."
                )
                % {"email": identity.email}
            )
        raise LookupError(identity.sub)
    usable(user)
    IdentityLink.objects.filter(user=user, provider=FRANCECONNECT).update(last_login_at=timezone.now())
    franceconnect_verification(user=user, identity=identity)
    return user


@transaction.atomic
def franceconnect_sign_up(*, identity: Identity, pseudonym: str) -> User:
    """Create the account of a resident who signed in with FranceConnect: their email (confirmed by FranceConnect) as
    login, no password (they may set one later), the identity linked, the verification granted."""
    if not identity.email:
        raise ValidationError(_("FranceConnect n'a pas transmis d'adresse électronique : le compte ne peut être créé."))
    if linked_user(identity) is not None or users_with_email(identity.email).exists():
        raise ValidationError(_("Un compte existe déjà pour cette identité ou cette adresse : connectez-vous."))
    user = User.objects.create_user(email=identity.email, password=None, pseudonym=single_line(pseudonym))
    EmailAddress.objects.create(user=user, email=identity.email, primary=True, verified=True)
    try:
        with transaction.atomic():
            IdentityLink.objects.create(
                user=user, provider=FRANCECONNECT, sub=identity.sub, last_login_at=timezone.now()
            )
    except IntegrityError:
        raise ValidationError(_("Cette identité FranceConnect est déjà liée à un compte : connectez-vous.")) from None
    audit(actor=user, action="account.signup", target=user, after={"via": FRANCECONNECT})
    franceconnect_verification(user=user, identity=identity)
    return user


@transaction.atomic
def identity_link(*, user: User, identity: Identity) -> IdentityLink:
    """Link the signed-in ``user``'s account to a FranceConnect identity (and grant its verification)."""
    if identity.provider != FRANCECONNECT:
        raise PermissionDenied(_("Seule une identité FranceConnect peut être liée à un compte."))
    usable(user)
    other = linked_user(identity)
    if other is not None and other.pk != user.pk:
        raise PermissionDenied(_("Cette identité FranceConnect est déjà liée à un autre compte."))
    link, _created = IdentityLink.objects.update_or_create(
        user=user, provider=FRANCECONNECT, defaults={"sub": identity.sub, "last_login_at": timezone.now()}
    )
    audit(actor=user, action="identity.link", target=user, after={"provider": FRANCECONNECT})
    franceconnect_verification(user=user, identity=identity)
    return link


def unlink_refusal(user: User, provider: str) -> str | None:
    """Why ``user`` may not unlink ``provider`` now, or None: they must keep a way to sign in (a password)."""
    if not IdentityLink.objects.filter(user=user, provider=provider).exists():
        return _("Aucune identité %(name)s n'est liée à votre compte.") % {"name": NAMES.get(provider, provider)}
    if not user.has_usable_password():
        return _(
            "Vous vous connectez uniquement avec %(name)s : définissez d'abord un mot de passe, sinon vous ne "
            "pourriez plus vous connecter à votre compte."
        ) % {"name": NAMES.get(provider, provider)}
    return None


@transaction.atomic
def identity_unlink(*, user: User, provider: str) -> None:
    """Unlink the identity; the verification it gave stays until it expires (it was true when given)."""
    refusal = unlink_refusal(user, provider)
    if refusal:
        raise PermissionDenied(refusal)
    IdentityLink.objects.filter(user=user, provider=provider).delete()
    audit(actor=user, action="identity.unlink", target=user, before={"provider": provider})


def amr_has_second_factor(amr: tuple[str, ...]) -> bool:
    """Whether ProConnect's ``amr`` says its identity provider asked a second factor (PARTICIPE_PROCONNECT_MFA_AMR)."""
    return bool(set(amr) & set(settings.PARTICIPE_PROCONNECT_MFA_AMR))


def proconnect_sign_in(*, identity: Identity) -> User:
    """The existing staff account whose email ProConnect vouched for; anyone else is refused, with the reason."""
    email = identity.email
    if not email:
        raise PermissionDenied(_("ProConnect n'a pas transmis d'adresse électronique : connexion impossible."))
    staff = [u for u in users_with_email(email).filter(is_deleted=False, is_active=True) if holds_a_staff_role(u)]
    if len(staff) != 1:
        raise PermissionDenied(
            _(
                "Aucun compte d'agent ne correspond à l'adresse %(email)s. ProConnect est réservé aux agents qui ont "
                "déjà un compte de gestion ici : demandez-le à l'administrateur de la plateforme. Les habitants se "
                "connectent avec leur adresse électronique ou FranceConnect."
            )
            % {"email": email}
        )
    user = staff[0]
    audit(
        actor=user,
        action="identity.proconnect_login",
        target=user,
        after={"second_factor": amr_has_second_factor(identity.amr), "amr": list(identity.amr)},
    )
    return user


def erase_account_data(user: User) -> None:
    """A deleted account's links to providers go (registered with ``accounts.hooks.register_eraser``)."""
    IdentityLink.objects.filter(user=user).delete()
