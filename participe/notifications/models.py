"""Follows, notifications, per-event preferences and the messages agents send to the followers of a space."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Follow(models.Model):
    """A user follows a space, a module or a followable resource (a generic reference)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="follows")
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    created_at = models.DateTimeField(_("suivi depuis le"), auto_now_add=True)

    class Meta:
        verbose_name = _("abonnement")
        verbose_name_plural = _("abonnements")
        constraints = [
            models.UniqueConstraint(fields=["user", "content_type", "object_id"], name="unique_follow"),
        ]
        # The followers of one target (recipients of a notification, count of a page).
        indexes = [models.Index(fields=["content_type", "object_id"], name="follow_target")]

    def __str__(self) -> str:
        return f"{self.user_id} → {self.content_type_id}:{self.object_id}"


class EmailStatus(models.TextChoices):
    PENDING = "pending", _("à envoyer")
    SENT = "sent", _("envoyé")
    SKIPPED = "skipped", _("pas de courriel")


class Notification(models.Model):
    """One thing one person is told about: shown on the notifications page, emailed now or in a digest."""

    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    event = models.CharField(_("événement"), max_length=100)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    target = GenericForeignKey("content_type", "object_id")
    target_repr = models.CharField(_("objet"), max_length=300, blank=True)
    url = models.CharField(_("adresse"), max_length=500, blank=True)
    context = models.JSONField(default=dict, blank=True)
    in_app = models.BooleanField(_("affichée sur le site"), default=True)
    created_at = models.DateTimeField(_("date"), auto_now_add=True)
    read_at = models.DateTimeField(_("lue le"), null=True, blank=True)
    email_status = models.CharField(
        _("courriel"), max_length=10, choices=EmailStatus.choices, default=EmailStatus.PENDING
    )
    emailed_at = models.DateTimeField(_("envoyée par courriel le"), null=True, blank=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [
            # The notifications page (keyset on created_at, id) and the unread count of the header.
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_list"),
            models.Index(
                fields=["recipient"], condition=Q(read_at__isnull=True, in_app=True), name="notification_unread"
            ),
            # What the digests still have to send.
            models.Index(
                fields=["recipient", "created_at"],
                condition=Q(email_status="pending"),
                name="notification_email_pending",
            ),
            models.Index(fields=["content_type", "object_id"], name="notification_target"),
        ]

    def __str__(self) -> str:
        return f"{self.event} → {self.recipient_id}"

    @property
    def is_unread(self) -> bool:
        return self.read_at is None


class NotificationPreference(models.Model):
    """How one user wants to hear about one event (no row: on the site and by email)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notification_preferences"
    )
    event = models.CharField(_("événement"), max_length=100)
    in_app = models.BooleanField(_("sur le site"), default=True)
    email = models.BooleanField(_("par courriel"), default=True)

    class Meta:
        verbose_name = _("préférence de notification")
        verbose_name_plural = _("préférences de notification")
        constraints = [models.UniqueConstraint(fields=["user", "event"], name="unique_notification_preference")]

    def __str__(self) -> str:
        return f"{self.user_id} {self.event}"


class FollowerMessage(models.Model):
    """A message an agent sent to the followers of a space or of one of its modules ("lettre d'information")."""

    class Status(models.TextChoices):
        SENDING = "sending", _("en cours d'envoi")
        SENT = "sent", _("envoyé")

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="follower_messages")
    module = models.ForeignKey(
        "spaces.Module", null=True, blank=True, on_delete=models.SET_NULL, related_name="follower_messages"
    )
    sender = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    subject = models.CharField(_("objet"), max_length=200)
    body = models.TextField(_("message"))
    recipients_count = models.PositiveIntegerField(_("destinataires"), default=0)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.SENDING)
    created_at = models.DateTimeField(_("envoyé le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("distribué le"), null=True, blank=True)

    class Meta:
        verbose_name = _("message aux abonnés")
        verbose_name_plural = _("messages aux abonnés")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["space", "-created_at", "-id"], name="follower_message_space")]

    def __str__(self) -> str:
        return self.subject

    def get_absolute_url(self) -> str:
        return self.target.get_absolute_url()  # type: ignore[attr-defined,no-any-return]

    @property
    def target(self) -> object:
        """What the message is about: the module when one was chosen, otherwise the space."""
        return self.module or self.space
