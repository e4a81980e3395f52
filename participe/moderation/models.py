"""Moderation: reports by participants, one case per reported or held content, account blocks.

The content itself (any resource flagged ``reportable``) carries its ``reports_count`` and ``moderation_status``
(``participe.core.models.InteractiveModel``); this app owns both columns. Every act is also in the audit log.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.core.models import ModerationStatus


class Reason(models.TextChoices):
    SPAM = "spam", _("Publicité ou spam")
    ABUSIVE = "abusive", _("Propos injurieux ou haineux")
    OFF_TOPIC = "off_topic", _("Hors sujet")
    PERSONAL_DATA = "personal_data", _("Données personnelles")
    ILLEGAL = "illegal", _("Contenu illégal")
    OTHER = "other", _("Autre raison")


class Resolution(models.TextChoices):
    HIDDEN = "hidden", _("contenu masqué")
    DISMISSED = "dismissed", _("classé sans suite")


class ModerationCase(models.Model):
    """One content that needs, or had, a moderator's attention: the row the queue lists.

    It mirrors the content's status and open reports so that the queue filters and paginates on one table,
    whatever the module the content comes from. ``is_open`` means "waiting for a decision".
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    module = models.ForeignKey(
        "spaces.Module", verbose_name=_("module"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    space = models.ForeignKey(
        "spaces.Space", verbose_name=_("espace"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("contenu"), max_length=300, blank=True)
    content_status = models.CharField(
        _("statut du contenu"), max_length=10, choices=ModerationStatus.choices, default=ModerationStatus.PUBLISHED
    )
    is_open = models.BooleanField(_("à traiter"), default=True)
    reports_count = models.PositiveIntegerField(_("signalements en attente"), default=0)
    edit_note = models.CharField(_("note de la modération"), max_length=300, blank=True)
    edited_at = models.DateTimeField(_("modifié par la modération le"), null=True, blank=True)
    created_at = models.DateTimeField(_("ouvert le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("dernière activité"), db_index=True)

    class Meta:
        verbose_name = _("dossier de modération")
        verbose_name_plural = _("dossiers de modération")
        constraints = [models.UniqueConstraint(fields=["content_type", "object_id"], name="unique_moderation_case")]
        indexes = [
            models.Index(fields=["is_open", "-updated_at", "-id"], name="moderation_case_queue"),
            models.Index(fields=["space", "is_open", "-updated_at"], name="moderation_case_space"),
        ]

    def __str__(self) -> str:
        return self.title or f"{self.content_type_id}/{self.object_id}"


class Report(models.Model):
    """A participant's report of a content: one per participant and content."""

    reporter = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("signalé par"), on_delete=models.CASCADE, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    module = models.ForeignKey(
        "spaces.Module", verbose_name=_("module"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    case = models.ForeignKey(ModerationCase, on_delete=models.CASCADE, related_name="reports")
    reason = models.CharField(_("motif"), max_length=20, choices=Reason.choices)
    details = models.TextField(_("précisions"), blank=True, max_length=2000)
    created_at = models.DateTimeField(_("signalé le"), auto_now_add=True)
    resolved_at = models.DateTimeField(_("traité le"), null=True, blank=True)
    resolution = models.CharField(_("décision"), max_length=10, choices=Resolution.choices, blank=True)

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["reporter", "content_type", "object_id"], name="unique_report_per_user")
        ]
        indexes = [models.Index(fields=["content_type", "object_id"], name="report_target")]

    def __str__(self) -> str:
        return f"{self.get_reason_display()} — {self.content_type_id}/{self.object_id}"


class AccountBlock(models.Model):
    """Why and by whom an account is blocked (``accounts.User.blocked_at`` is the switch)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="moderation_block")
    reason = models.TextField(_("motif"))
    blocked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    blocked_at = models.DateTimeField(_("bloqué le"))

    class Meta:
        verbose_name = _("blocage de compte")
        verbose_name_plural = _("blocages de comptes")

    def __str__(self) -> str:
        return str(self.user)
