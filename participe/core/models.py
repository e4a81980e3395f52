"""Abstract base models shared by the platform and the modules."""

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.core.sanitize import sanitize_html
from participe.core.widgets import RICH_TEXT_HELP, RichTextarea


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        abstract = True


class RichTextField(models.TextField):
    """A TextField whose HTML is sanitised every time it is saved."""

    def formfield(self, form_class: Any = None, choices_form_class: Any = None, **kwargs: Any) -> Any:
        kwargs.setdefault("widget", RichTextarea(attrs={"data-rich-text": "headings"}))
        # A limit in every form, said beside the field (docs/security.md, « Content limits and throttles »); the
        # column stays a TEXT without one, so that the setting can change without a migration.
        kwargs.setdefault("max_length", self.max_length or settings.PARTICIPE_RICH_TEXT_MAX_LENGTH)
        field = super().formfield(form_class=form_class, choices_form_class=choices_form_class, **kwargs)
        if field is not None and not field.help_text:
            field.help_text = RICH_TEXT_HELP
        return field

    def pre_save(self, model_instance: models.Model, add: bool) -> str:
        value = sanitize_html(getattr(model_instance, self.attname))
        setattr(model_instance, self.attname, value)
        return value


class ModerationStatus(models.TextChoices):
    PUBLISHED = "published", _("publié")
    PENDING = "pending", _("en attente de modération")
    HIDDEN = "hidden", _("masqué")


class InteractiveModel(models.Model):
    """Counters and moderation status of an item people comment, support or report.

    The counters are denormalised and written only by the services of the apps that own them
    (comments, supports, notifications, moderation), under a row lock on the item, so that lists can sort
    and show them without counting. Lists show only ``moderation_status == "published"`` to the public.
    """

    comments_count = models.PositiveIntegerField(_("commentaires"), default=0)
    comments_favorable_count = models.PositiveIntegerField(_("commentaires favorables"), default=0)
    comments_neutral_count = models.PositiveIntegerField(_("commentaires neutres"), default=0)
    comments_unfavorable_count = models.PositiveIntegerField(_("commentaires défavorables"), default=0)
    supports_count = models.PositiveIntegerField(_("soutiens"), default=0)
    followers_count = models.PositiveIntegerField(_("abonnés"), default=0)
    reports_count = models.PositiveIntegerField(_("signalements"), default=0)
    moderation_status = models.CharField(
        _("modération"),
        max_length=10,
        choices=ModerationStatus.choices,
        default=ModerationStatus.PUBLISHED,
        db_index=True,
    )
    moderated_at = models.DateTimeField(_("modéré le"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def is_hidden_by_moderation(self) -> bool:
        return self.moderation_status != ModerationStatus.PUBLISHED


class IdempotentWrite(models.Model):
    """The object a keyed request created, found again when the same person repeats the request with the key
    (``participe.core.idempotency``)."""

    digest = models.CharField(_("empreinte de la clé"), max_length=64, unique=True)
    model = models.CharField(_("modèle"), max_length=100)
    object_pk = models.CharField(_("identifiant"), max_length=64)
    created_at = models.DateTimeField(_("créé le"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("écriture idempotente")
        verbose_name_plural = _("écritures idempotentes")

    def __str__(self) -> str:
        return f"{self.model}:{self.object_pk}"
