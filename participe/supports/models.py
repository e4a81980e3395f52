"""A participant's "soutien" to a resource of a module (decision 0006: generic target, counters on the target)."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.core.models import TimeStampedModel


class Support(TimeStampedModel):
    """One support of one participant to one resource; the resource's ``supports_count`` counts these rows."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("participant"), on_delete=models.CASCADE, related_name="supports"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    # Denormalised from the target, so "my supports in this module" is one indexed count.
    module = models.ForeignKey("spaces.Module", verbose_name=_("module"), on_delete=models.CASCADE, related_name="+")
    # Supports on comments do not use up the module's allowance (supports_limit); supports on items do.
    counts_toward_limit = models.BooleanField(_("compte dans la limite du module"), default=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text=_("L'agent qui a saisi ce soutien pour le compte d'un habitant."),
    )

    class Meta:
        verbose_name = _("soutien")
        verbose_name_plural = _("soutiens")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="unique_support_per_user"),
        ]
        indexes = [
            models.Index(fields=["content_type", "object_id"], name="support_target"),
            models.Index(fields=["user", "module", "counts_toward_limit"], name="support_user_module"),
        ]

    def __str__(self) -> str:
        return f"{self.user} → {self.content_type.model} n° {self.object_id}"

    @property
    def is_entered_by_agent(self) -> bool:
        return self.entered_by_id is not None
