"""Routing to services: any item of any module given to a ``Service`` of the collectivité (a department), with
its due date, its history, and the internal notes of the agents (docs/services/assignments.md).

Items are generic references ``(content_type, object_id)`` like the other shared services (decision 0006); the
item's module is kept beside them, so the queue of a service lists module and space without reading the items.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Assignment(models.Model):
    """The service an item is currently given to (one per item), its due date and whether it is handled."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    module = models.ForeignKey("spaces.Module", verbose_name=_("module"), on_delete=models.CASCADE, related_name="+")
    service = models.ForeignKey(
        "organisation.Service", verbose_name=_("service"), on_delete=models.CASCADE, related_name="assignments"
    )
    # A default rather than auto_now_add: the data migration of the proposals keeps the dates it moves.
    assigned_at = models.DateTimeField(_("confié le"), default=timezone.now)
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("confié par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_at = models.DateTimeField(_("échéance"), null=True, blank=True)
    done_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("traité par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("affectation à un service")
        verbose_name_plural = _("affectations aux services")
        constraints = [
            models.UniqueConstraint(fields=["content_type", "object_id"], name="assignment_unique_target"),
        ]
        indexes = [
            # The queue of a service: open items by due date (overdue first), handled ones apart.
            models.Index(fields=["service", "done_at", "due_at", "assigned_at", "id"], name="assignment_queue"),
            # A module's items of one service (the module's own lists filter on it).
            models.Index(fields=["module", "service"], name="assignment_module_service"),
        ]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} → {self.service_id}"

    @property
    def is_done(self) -> bool:
        return self.done_at is not None

    @property
    def is_overdue(self) -> bool:
        """Open and past its due date."""
        return self.done_at is None and self.due_at is not None and self.due_at < timezone.now()


class AssignmentEvent(models.Model):
    """One step of an item's routing: given to a service, moved to another (with why), taken back, due date
    changed, handled, reopened. Kept when the assignment itself goes (an item taken back from every service)."""

    class Kind(models.TextChoices):
        ASSIGNED = "assigned", _("affectation à un service")
        REASSIGNED = "reassigned", _("changement de service")
        UNASSIGNED = "unassigned", _("retrait du service")
        DUE = "due", _("échéance modifiée")
        DONE = "done", _("traitement terminé")
        REOPENED = "reopened", _("traitement repris")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(_("étape"), max_length=12, choices=Kind.choices)
    from_service = models.ForeignKey(
        "organisation.Service",
        verbose_name=_("de"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    to_service = models.ForeignKey(
        "organisation.Service",
        verbose_name=_("à"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_at = models.DateTimeField(_("échéance"), null=True, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reason = models.TextField(_("motif"), blank=True)
    created_at = models.DateTimeField(_("date"), default=timezone.now)

    class Meta:
        verbose_name = _("étape du routage")
        verbose_name_plural = _("étapes du routage")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at"], name="assignment_event_target")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id} {self.kind}"


class Note(models.Model):
    """An internal note of the agents on an item: never public, never exported, deleted only by its author."""

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("auteur"), null=True, on_delete=models.SET_NULL, related_name="+"
    )
    body = models.TextField(_("note"))
    created_at = models.DateTimeField(_("écrite le"), default=timezone.now)

    class Meta:
        verbose_name = _("note interne")
        verbose_name_plural = _("notes internes")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "created_at", "id"], name="note_target")]

    def __str__(self) -> str:
        return f"{self.content_type_id}:{self.object_id}: {self.body[:50]}"
