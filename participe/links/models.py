"""Links between items of different modules (decision 0011): what an item was made from, kept on both sides.

A module offers items of a kind in its manifest (``Offer``: the proposals retained for a vote are ``idea``
candidates); another module makes its own items from them (a budget project) and records the link. Neither module
imports the other: both sides are generic references, like the shared services' targets.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class Link(models.Model):
    """``derived`` was made from ``origin`` (an offer of kind ``kind``)."""

    origin_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    origin_id = models.PositiveBigIntegerField()
    origin = GenericForeignKey("origin_type", "origin_id")
    derived_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    derived_id = models.PositiveBigIntegerField()
    derived = GenericForeignKey("derived_type", "derived_id")
    kind = models.CharField(_("nature"), max_length=50)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("lien entre modules")
        verbose_name_plural = _("liens entre modules")
        constraints = [
            models.UniqueConstraint(
                fields=["origin_type", "origin_id", "derived_type", "derived_id"], name="unique_link"
            )
        ]
        indexes = [
            models.Index(fields=["origin_type", "origin_id"], name="link_origin"),
            models.Index(fields=["derived_type", "derived_id"], name="link_derived"),
        ]

    def __str__(self) -> str:
        return f"{self.origin_type.model} n° {self.origin_id} → {self.derived_type.model} n° {self.derived_id}"
