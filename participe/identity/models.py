"""An account's link to an identity at a provider: FranceConnect's ``sub`` (stable for one service)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.core.models import TimeStampedModel


class IdentityLink(TimeStampedModel):
    """The person signs in to ``user`` with the identity ``sub`` of ``provider``. One identity opens one account, and
    an account has at most one identity per provider."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="identity_links")
    provider = models.CharField(_("fournisseur d'identité"), max_length=30)
    sub = models.CharField(_("identifiant chez le fournisseur"), max_length=255)
    last_login_at = models.DateTimeField(_("dernière connexion"), null=True, blank=True)

    class Meta:
        verbose_name = _("identité liée")
        verbose_name_plural = _("identités liées")
        constraints = [
            models.UniqueConstraint(fields=["provider", "sub"], name="identity_link_unique_sub"),
            models.UniqueConstraint(fields=["user", "provider"], name="identity_link_one_per_provider"),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} — {self.provider}"
