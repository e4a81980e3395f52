"""« Mes données »: an archive of a person's data, prepared in the background (decision 0035)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def archive_path(export: DataExport, filename: str) -> str:
    # Under exports/: a private prefix, never served as a public file (participe.core.media, docs/deployment.md).
    return f"exports/mes-donnees/{export.pk}.zip"


class DataExport(models.Model):
    """One request of « Télécharger mes données »: its progress, then its archive until it expires."""

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en préparation")
        READY = "ready", _("prête")
        FAILED = "failed", _("échec")
        EXPIRED = "expired", _("expirée")

    # A random id: the archive's name and the signed link's value say nothing of the account or of the order.
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)  # sources of data (apps and modules) to read
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=archive_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    expires_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("archive de données personnelles")
        verbose_name_plural = _("archives de données personnelles")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"], name="dataright_user_recent")]

    def __str__(self) -> str:
        return f"{self.pk} {self.status}"

    @property
    def is_working(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RUNNING)

    @property
    def percent(self) -> int:
        if self.status == self.Status.READY:
            return 100
        return int(100 * self.done / self.total) if self.total else 0
