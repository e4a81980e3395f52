"""Verifications granted to users, the residents' census, and eligibility rules per module action."""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.models import TimeStampedModel


class VerificationQuerySet(models.QuerySet["Verification"]):
    def active(self, now: datetime.datetime | None = None) -> VerificationQuerySet:
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True).filter(
            models.Q(expires_at__isnull=True) | models.Q(expires_at__gt=now)
        )


class Verification(TimeStampedModel):
    """A verification granted to a user by a handler, with attributes (territory, birth date…)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="verifications")
    handler = models.CharField(_("méthode"), max_length=50)
    attributes = models.JSONField(_("attributs"), default=dict, blank=True)
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    birth_date = models.DateField(_("date de naissance"), null=True, blank=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("accordée par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    expires_at = models.DateTimeField(_("expire le"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)

    objects = VerificationQuerySet.as_manager()

    class Meta:
        verbose_name = _("vérification")
        verbose_name_plural = _("vérifications")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "handler"])]

    def __str__(self) -> str:
        return f"{self.user} — {self.handler}"

    def is_active(self, now: datetime.datetime | None = None) -> bool:
        now = now or timezone.now()
        return self.revoked_at is None and (self.expires_at is None or self.expires_at > now)

    def age(self, on: datetime.date | None = None) -> int | None:
        if self.birth_date is None:
            return None
        on = on or timezone.localdate()
        b = self.birth_date
        return on.year - b.year - ((on.month, on.day) < (b.month, b.day))


class CensusImport(TimeStampedModel):
    """One upload of the residents' census. Only keyed hashes of identifying fields are stored."""

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    filename = models.CharField(_("fichier"), max_length=255)
    row_count = models.PositiveIntegerField(_("lignes importées"), default=0)
    rejected_count = models.PositiveIntegerField(_("lignes rejetées"), default=0)
    is_active = models.BooleanField(_("en vigueur"), default=True)
    valid_until = models.DateField(_("valable jusqu'au"), null=True, blank=True)

    class Meta:
        verbose_name = _("import du recensement")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.row_count})"


class CensusRecord(models.Model):
    census = models.ForeignKey(CensusImport, on_delete=models.CASCADE, related_name="records")
    digest = models.CharField(max_length=64, db_index=True)
    territory = models.ForeignKey(
        "organisation.Territory", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["census", "digest"], name="unique_census_digest")]

    def __str__(self) -> str:
        return f"{self.census_id}:{self.digest[:8]}"


class EligibilityRule(TimeStampedModel):
    """Who may perform an action in a module: "to vote here, be a verified resident of X, aged 16 or more"."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="eligibility_rules")
    action = models.CharField(_("action"), max_length=20, choices=[(c.value, c.label) for c in Cap])
    require_verification = models.BooleanField(_("vérification exigée"), default=True)
    handlers = models.JSONField(
        _("méthodes de vérification acceptées"), default=list, blank=True, help_text=_("Vide : toutes les méthodes.")
    )
    territories = models.ManyToManyField(
        "organisation.Territory",
        verbose_name=_("territoires"),
        blank=True,
        help_text=_("Résider dans l'un de ces territoires (ou l'un de leurs sous-territoires). Vide : tous."),
    )
    min_age = models.PositiveSmallIntegerField(_("âge minimum"), null=True, blank=True)
    max_age = models.PositiveSmallIntegerField(_("âge maximum"), null=True, blank=True)

    class Meta:
        verbose_name = _("règle d'éligibilité")
        verbose_name_plural = _("règles d'éligibilité")
        constraints = [models.UniqueConstraint(fields=["module", "action"], name="unique_rule_per_module_action")]

    def __str__(self) -> str:
        return f"{self.module} — {self.action}"

    def describe(self) -> str:
        """A sentence for participants: what it takes to perform the action."""
        parts: list[Any] = []
        if self.require_verification:
            parts.append(_("être un habitant vérifié"))
        names = [t.name for t in self.territories.all()]
        if names:
            parts.append(_("résider à %(places)s") % {"places": ", ".join(names)})
        if self.min_age is not None:
            parts.append(_("avoir au moins %(age)s ans") % {"age": self.min_age})
        if self.max_age is not None:
            parts.append(_("avoir au plus %(age)s ans") % {"age": self.max_age})
        return ", ".join(str(p) for p in parts)
