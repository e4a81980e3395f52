"""Participants and staff. Participation is pseudonymous: the pseudonym is the only public name."""

from __future__ import annotations

import secrets
from typing import Any, ClassVar

import rules
from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.permissions.second_factor import roles_count


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def create_user(self, email: str | None = None, password: str | None = None, **extra: Any) -> User:
        email = self.normalize_email(email) if email else None
        extra.setdefault("pseudonym", generate_pseudonym())
        user = self.model(email=email, **extra)
        if password:
            user.set_password(password)
        else:
            user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **extra: Any) -> User:
        extra.update(is_staff=True, is_superuser=True, is_org_admin=True)
        return self.create_user(email, password, **extra)


def generate_pseudonym() -> str:
    return f"participant-{secrets.token_hex(3)}"


class User(AbstractBaseUser, PermissionsMixin):
    class EmailFrequency(models.TextChoices):
        IMMEDIATE = "immediate", _("immédiatement")
        DAILY = "daily", _("un résumé par jour")
        WEEKLY = "weekly", _("un résumé par semaine")
        NEVER = "never", _("jamais")

    email = models.EmailField(_("adresse électronique"), unique=True, null=True, blank=True)
    pseudonym = models.CharField(
        _("pseudonyme"),
        max_length=60,
        unique=True,
        help_text=_("Le nom sous lequel vos contributions sont publiées."),
    )
    first_name = models.CharField(_("prénom"), max_length=150, blank=True)
    last_name = models.CharField(_("nom"), max_length=150, blank=True)
    show_real_name = models.BooleanField(_("publier mes contributions sous mon nom réel"), default=False)
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("territoire de résidence"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="residents",
    )
    email_frequency = models.CharField(
        _("notifications par courriel"), max_length=10, choices=EmailFrequency.choices, default=EmailFrequency.DAILY
    )
    is_org_admin = models.BooleanField(_("administrateur de l'organisation"), default=False)
    is_staff = models.BooleanField(_("accès à l'admin technique Django"), default=False)
    is_active = models.BooleanField(_("actif"), default=True)
    is_deleted = models.BooleanField(_("compte supprimé"), default=False)
    blocked_at = models.DateTimeField(_("bloqué le"), null=True, blank=True)
    managed_by = models.ForeignKey(
        "self",
        verbose_name=_("compte créé par l'agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="managed_accounts",
        help_text=_("Compte d'un habitant sans adresse électronique, créé par un agent."),
    )
    phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    date_joined = models.DateTimeField(_("inscrit le"), default=timezone.now)
    # When the retention command warned that the account, unused, would be anonymised (decision 0035); signing in
    # after it (``last_login``) cancels the warning.
    inactivity_warned_at = models.DateTimeField(_("averti de l'inactivité le"), null=True, blank=True)
    # An author brought from another platform (« decidim:ville.example.org », decision 0040): an account without
    # email nor password, which nobody can sign in to; its contributions keep a name.
    imported_from = models.CharField(_("compte importé de"), max_length=120, blank=True)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: ClassVar[list[str]] = []

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")
        indexes = [models.Index(fields=["last_name", "first_name"])]

    def __str__(self) -> str:
        return self.display_name

    @property
    def display_name(self) -> str:
        if self.is_deleted:
            return str(_("participant supprimé"))
        if self.show_real_name and (self.first_name or self.last_name):
            return f"{self.first_name} {self.last_name}".strip()
        return self.pseudonym

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def is_imported(self) -> bool:
        return bool(self.imported_from)

    @property
    def is_managed(self) -> bool:
        return self.managed_by_id is not None

    def has_perm(self, perm: str, obj: Any = None) -> bool:
        """Django grants an active superuser every permission; before their session passed the second factor, only
        the rules decide, where their roles do not count yet (participe.permissions.second_factor)."""
        if self.is_active and self.is_superuser and not roles_count(self):
            return bool(rules.has_perm(perm, self, obj))
        return super().has_perm(perm, obj)
