"""A debate: questions ("sujets") the collectivité puts to residents, answered with qualified comments."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participe.core.models import InteractiveModel, RichTextField, TimeStampedModel


class Subject(InteractiveModel, TimeStampedModel):
    """One question of a debate module, with its presentation and, at the end, the synthesis of the answers.

    Residents answer with comments carrying a stance (the comments app keeps the per-stance counters of
    ``InteractiveModel`` on this row). Subjects are written by agents: they are not reported nor supported.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publié")

    module = models.ForeignKey(
        "spaces.Module", verbose_name=_("module"), on_delete=models.CASCADE, related_name="debate_subjects"
    )
    title = models.CharField(_("question"), max_length=200)
    summary = models.CharField(
        _("résumé"), max_length=400, blank=True, help_text=_("Une ou deux phrases, affichées dans la liste des sujets.")
    )
    body = RichTextField(_("présentation"), blank=True)
    image = models.ImageField(_("image d'illustration"), upload_to="debate/%Y/%m/", blank=True)
    image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=200,
        blank=True,
        help_text=_("Laissez vide si l'image est décorative."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    synthesis = RichTextField(_("synthèse"), blank=True)
    synthesis_published_at = models.DateTimeField(_("synthèse publiée le"), null=True, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("rédigé par"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("sujet de débat")
        verbose_name_plural = _("sujets de débat")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["module", "status", "position"], name="debate_subject_list")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        module = self.module
        return reverse(
            "spaces:debate:subject",
            kwargs={"slug": module.space.slug, "module_slug": module.slug, "pk": self.pk},
        )

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def is_searchable(self) -> bool:
        """Drafts stay out of the search index (decision 0006)."""
        return self.is_published

    @property
    def synthesis_is_published(self) -> bool:
        return self.synthesis_published_at is not None and bool(self.synthesis)

    @property
    def published_synthesis(self) -> str:
        """The synthesis once published, else "" (what search may index: a draft synthesis stays private)."""
        return self.synthesis if self.synthesis_is_published else ""
