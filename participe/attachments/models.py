"""Files and images attached to any resource whose module declares ``attachments=True`` (decision 0006)."""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# Extensions written to storage: always chosen from the detected type, never from the uploaded name.
SAFE_EXTENSIONS = frozenset({"jpg", "png", "webp", "pdf", "odt", "ods", "odp", "docx", "xlsx", "pptx", "csv", "txt"})


def _random_name(folder: str, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower() if "." in filename else ""
    if extension not in SAFE_EXTENSIONS:
        extension = "bin"
    return f"{folder}/{timezone.now():%Y/%m}/{uuid.uuid4().hex}.{extension}"


def attachment_path(instance: Any, filename: str) -> str:
    """A random, unguessable name: the uploader controls neither the folder nor the file name."""
    return _random_name("attachments", filename)


def thumbnail_path(instance: Any, filename: str) -> str:
    return _random_name("attachments/thumbs", filename)


class Attachment(models.Model):
    class Kind(models.TextChoices):
        IMAGE = "image", _("image")
        DOCUMENT = "document", _("document")

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    module = models.ForeignKey(
        "spaces.Module", verbose_name=_("module"), null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("type"), max_length=10, choices=Kind.choices)
    file = models.FileField(_("fichier"), upload_to=attachment_path, max_length=255)
    thumbnail = models.ImageField(_("miniature"), upload_to=thumbnail_path, max_length=255, blank=True)
    title = models.CharField(
        _("titre ou texte alternatif"),
        max_length=200,
        blank=True,
        help_text=_("Pour une image, décrivez ce qu'elle montre (texte alternatif)."),
    )
    original_name = models.CharField(_("nom d'origine"), max_length=255, blank=True)
    mime_type = models.CharField(_("type de contenu"), max_length=100)
    size = models.PositiveBigIntegerField(_("taille (octets)"), default=0)
    width = models.PositiveIntegerField(_("largeur"), null=True, blank=True)
    height = models.PositiveIntegerField(_("hauteur"), null=True, blank=True)
    position = models.PositiveIntegerField(_("ordre"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("ajouté par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("ajouté le"), auto_now_add=True)

    class Meta:
        verbose_name = _("pièce jointe")
        verbose_name_plural = _("pièces jointes")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "position"], name="attachment_target_idx")]

    def __str__(self) -> str:
        return self.title or self.original_name

    @property
    def is_image(self) -> bool:
        return self.kind == self.Kind.IMAGE

    @property
    def extension(self) -> str:
        name = self.file.name or ""
        return name.rsplit(".", 1)[-1].lower() if "." in name else ""
