"""Comments on any commentable resource: one reply level, a stance, a placeholder when the author deletes one."""

from __future__ import annotations

import unicodedata
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from participe.core.models import InteractiveModel, TimeStampedModel


class Stance(models.TextChoices):
    FAVORABLE = "favorable", _("favorable")
    NEUTRAL = "neutral", _("neutre")
    UNFAVORABLE = "unfavorable", _("défavorable")


class OfficialRole(models.TextChoices):
    NONE = "", _("participant")
    ELECTED = "elected", _("élu")
    SERVICE = "service", _("service")


# Which counter of the target (InteractiveModel) counts the comments of each stance.
STANCE_COUNTERS = {
    Stance.FAVORABLE: "comments_favorable_count",
    Stance.NEUTRAL: "comments_neutral_count",
    Stance.UNFAVORABLE: "comments_unfavorable_count",
}


class Comment(InteractiveModel, TimeStampedModel):
    """A comment on a resource (a generic reference), or a reply to one (one level only).

    Top-level comments carry the stance of their author on the resource; replies carry none (they answer a
    comment, not the resource). A comment deleted by its author keeps its row, without its text, so that the
    replies around it stay readable.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.PositiveBigIntegerField()
    target = GenericForeignKey("content_type", "object_id")
    module = models.ForeignKey("spaces.Module", verbose_name=_("module"), on_delete=models.CASCADE, related_name="+")
    parent = models.ForeignKey(
        "self", verbose_name=_("en réponse à"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="comments",
    )
    stance = models.CharField(_("position"), max_length=12, choices=Stance.choices, blank=True)
    body = models.TextField(_("commentaire"), blank=True)
    edited_at = models.DateTimeField(_("modifié le"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("supprimé le"), null=True, blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par l'agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    official_role = models.CharField(
        _("publié en tant que"), max_length=10, choices=OfficialRole.choices, blank=True, default=OfficialRole.NONE
    )
    official_label = models.CharField(_("nom de la fonction ou du service"), max_length=200, blank=True)
    replies_count = models.PositiveIntegerField(_("réponses"), default=0)

    class Meta:
        verbose_name = _("commentaire")
        verbose_name_plural = _("commentaires")
        ordering = ["created_at", "pk"]
        permissions = [("post_as_elected", _("Peut commenter en tant qu'élu"))]
        indexes = [
            # One index per sort of a thread page, so that page 500 costs what page 1 costs. The sort columns
            # follow the thread's equalities directly: a page reads the index in order (replies, a minority, are
            # skipped on the way), where ``parent IS NULL`` between them would leave PostgreSQL sorting the thread.
            models.Index(fields=["content_type", "object_id", "created_at", "id"], name="comment_thread_by_date"),
            models.Index(
                fields=["content_type", "object_id", "supports_count", "created_at", "id"],
                name="comment_thread_by_supports",
            ),
            models.Index(fields=["parent", "created_at", "id"], name="comment_replies"),
            models.Index(fields=["author", "-created_at"], name="comment_author"),
        ]

    def __str__(self) -> str:
        if self.deleted_at:
            return str(_("Commentaire supprimé par son auteur"))
        if len(self.body) <= 80:  # what Truncator gives a text that fits, without its walk (every report link: #12)
            return unicodedata.normalize("NFC", self.body)
        return Truncator(self.body).chars(80)

    @property
    def is_deleted(self) -> bool:
        return self.deleted_at is not None

    @property
    def is_reply(self) -> bool:
        return self.parent_id is not None

    @property
    def author_name(self) -> str:
        """The public name of the author ("participant supprimé" once the account is gone)."""
        if self.author is None:
            return str(_("participant supprimé"))
        return self.author.display_name

    def get_absolute_url(self) -> str:
        target: Any = self.target
        base = target.get_absolute_url().split("#", 1)[0] if target is not None else ""
        return f"{base}#commentaire-{self.pk}"
