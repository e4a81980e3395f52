"""Commitments (« engagements », droit de suite): what the collectivité commits to after a démarche, what it
answers, who carries it, and its dated steps until it is done or abandoned (docs/commitments.md, decision 0014).

A commitment belongs to a space (a démarche or an instance), not to a module: every module's items may be what it
answers (generic references, decision 0006), and it has no ``module`` attribute, so that the shared services find
its space through ``space`` (``participe.spaces.predicates.space_of``).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Status(models.TextChoices):
    STUDY = "study", _("à l'étude")
    IN_PROGRESS = "in_progress", _("en cours")
    WORKS = "works", _("en travaux")
    DONE = "done", _("réalisé")
    ABANDONED = "abandoned", _("abandonné")


# A commitment in one of these states is closed: never overdue, no more progress expected.
CLOSED = frozenset({Status.DONE, Status.ABANDONED})
OPEN = tuple(s for s in Status if s not in CLOSED)


class Commitment(models.Model):
    """One commitment of the collectivité in a space, with its status, its progress and its planned date."""

    Status = Status

    space = models.ForeignKey(
        "spaces.Space", verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="commitments"
    )
    title = models.CharField(_("titre"), max_length=200)
    description = models.TextField(_("description"), blank=True, max_length=10_000)
    # The department of the collectivité that carries it (participe.organisation.Service, decision 0008).
    service = models.ForeignKey(
        "organisation.Service",
        verbose_name=_("service chargé"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
    )
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    planned_date = models.DateField(_("date prévue"), null=True, blank=True)
    budget = models.DecimalField(_("budget (€)"), max_digits=14, decimal_places=2, null=True, blank=True)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.STUDY)
    status_reason = models.TextField(_("motif"), blank=True, help_text=_("Obligatoire pour un engagement abandonné."))
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), default=0)
    done_on = models.DateField(_("réalisé le"), null=True, blank=True)
    # A reference of the collectivité's own (a line of its plan, a market number): the key of CSV updates.
    reference = models.CharField(_("référence"), max_length=50, blank=True)
    is_published = models.BooleanField(_("publié"), default=True)
    followers_count = models.PositiveIntegerField(default=0, editable=False)
    updates_count = models.PositiveIntegerField(default=0, editable=False)
    last_update_on = models.DateField(_("dernière étape"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("modifié le"), default=timezone.now)

    class Meta:
        verbose_name = _("engagement")
        verbose_name_plural = _("engagements")
        ordering = ["planned_date", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="commitment_progress_max_100"),
            models.UniqueConstraint(
                fields=["reference"], condition=~models.Q(reference=""), name="commitment_unique_reference"
            ),
        ]
        indexes = [
            models.Index(fields=["is_published", "status", "planned_date", "id"], name="commitment_follow_up"),
            models.Index(fields=["space", "planned_date", "id"], name="commitment_space"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("commitments:detail", kwargs={"pk": self.pk})

    def get_backoffice_url(self) -> str:
        return reverse("commitments_backoffice:detail", kwargs={"pk": self.pk})

    @property
    def is_closed(self) -> bool:
        return self.status in CLOSED

    def is_overdue_on(self, today: datetime.date) -> bool:
        return not self.is_closed and self.planned_date is not None and self.planned_date < today

    @property
    def is_overdue(self) -> bool:
        """Not done nor abandoned, and its planned date has passed."""
        return self.is_overdue_on(timezone.localdate())


class CommitmentSource(models.Model):
    """What a commitment answers: an item of any module (a proposal, a debate contribution, a budget project…)."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="sources")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("ce à quoi répond un engagement")
        verbose_name_plural = _("ce à quoi répondent les engagements")
        constraints = [
            models.UniqueConstraint(fields=["commitment", "content_type", "object_id"], name="commitment_source_unique")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="commitment_source_item")]

    def __str__(self) -> str:
        return f"{self.commitment_id} ← {self.content_type_id}:{self.object_id}"


class CommitmentUpdate(models.Model):
    """A dated step of a commitment (« étape »): a text, optionally photos (attachments), and the status and
    progress it brought, if any."""

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="updates")
    date = models.DateField(_("date"), default=timezone.localdate)
    text = models.TextField(_("texte"))
    status = models.CharField(_("nouveau statut"), max_length=12, choices=Status.choices, blank=True)
    progress = models.PositiveSmallIntegerField(_("avancement (%)"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("étape d'un engagement")
        verbose_name_plural = _("étapes des engagements")
        ordering = ["-date", "-pk"]
        indexes = [models.Index(fields=["commitment", "date", "id"], name="commitment_update_timeline")]

    def __str__(self) -> str:
        return f"{self.commitment} — {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return f"{self.commitment.get_absolute_url()}#etape-{self.pk}"

    @property
    def space(self) -> Any:
        """Its commitment's space: the shared services (attachments) read visibility from it."""
        return self.commitment.space
