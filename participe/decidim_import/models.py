"""Decidim archives checked or imported, and what each Decidim object became here (decision 0040)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class ArchiveImport(models.Model):
    """A Decidim open-data archive an administrator uploaded: checked (its report, the archive kept until it is
    imported or dropped), then imported (the archive itself is dropped, its checksum kept to refuse it again)."""

    class Status(models.TextChoices):
        CHECKED = "checked", _("vérifiée, en attente de confirmation")
        DONE = "done", _("importée")

    filename = models.CharField(_("fichier"), max_length=255)
    checksum = models.CharField(_("empreinte SHA-256"), max_length=64, db_index=True)
    source = models.CharField(_("instance Decidim"), max_length=120, blank=True)
    archive = models.BinaryField(_("archive"), blank=True, default=b"")
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.CHECKED)
    report = models.JSONField(_("rapport"), default=dict, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("déposée le"), default=timezone.now)
    imported_at = models.DateTimeField(_("importée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("archive Decidim")
        verbose_name_plural = _("archives Decidim")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["checksum"], condition=models.Q(status="done"), name="decidim_archive_imported_once"
            )
        ]

    def __str__(self) -> str:
        return self.filename


class ImportedObject(models.Model):
    """What one Decidim object (a space, a component, an author, a proposal…) of one instance became here: the key
    that finds it again, so that a later archive of the same instance adds only what is new."""

    source = models.CharField(_("instance Decidim"), max_length=120)
    entity = models.CharField(_("type"), max_length=40)
    decidim_id = models.CharField(_("identifiant Decidim"), max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    item = GenericForeignKey("content_type", "object_id")
    archive = models.ForeignKey(ArchiveImport, on_delete=models.SET_NULL, null=True, related_name="imported")

    class Meta:
        verbose_name = _("objet importé de Decidim")
        verbose_name_plural = _("objets importés de Decidim")
        constraints = [
            models.UniqueConstraint(fields=["source", "entity", "decidim_id"], name="decidim_object_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.entity} {self.decidim_id}"
