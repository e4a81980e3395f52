"""The synthesis of a space's contributions (issue #16, decision 0025, docs/restitution.md).

- ``Synthesis``: one run over a space's contributions, reviewed by its agents, then published with the method's
  paragraph, the date and the number of contributions it covers.
- ``Entry``: one contribution as the synthesis read it (a copy of its text, where it comes from and its link), in
  one theme or none, possibly set aside as noise or chosen as a quote. The copy keeps the synthesis true to what was
  read even if the contribution changes later; the link leads to the source.
- ``Theme``: a group of entries about the same thing, with the label the agents give it.
- ``ImportBatch`` / ``ImportedContribution``: contributions collected outside the platform (a paper register, an
  earlier consultation), imported read-only into a space so that they can be synthesised with the others.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participe.core.models import TimeStampedModel


class Stance(models.TextChoices):
    FAVORABLE = "favorable", _("favorable")
    NEUTRAL = "neutral", _("neutre")
    UNFAVORABLE = "unfavorable", _("défavorable")


class Synthesis(TimeStampedModel):
    class Status(models.TextChoices):
        COMPUTING = "computing", _("en calcul")
        REVIEW = "review", _("à relire")
        PUBLISHED = "published", _("publiée")
        FAILED = "failed", _("échec du calcul")

    space = models.ForeignKey("spaces.Space", verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="+")
    title = models.CharField(_("titre"), max_length=200)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.COMPUTING)
    method = models.CharField(_("méthode"), max_length=40, default="lexical")
    seed = models.PositiveIntegerField(_("graine"), default=0)
    # The agents' text, with [[theme:ID]] and [[citation:ID]] where a theme or a quote goes (docs/restitution.md).
    text = models.TextField(_("texte de la synthèse"), blank=True, max_length=50_000)
    method_note = models.TextField(_("méthode"), blank=True, max_length=5_000)
    contributions_count = models.PositiveIntegerField(_("contributions"), default=0)
    progress = models.PositiveSmallIntegerField(_("avancement"), default=0)
    error = models.TextField(_("erreur"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    computed_at = models.DateTimeField(_("calculée le"), null=True, blank=True)
    published_at = models.DateTimeField(_("publiée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("synthèse")
        verbose_name_plural = _("synthèses")
        indexes = [models.Index(fields=["space", "status", "published_at"], name="synthesis_space_status")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def get_absolute_url(self) -> str:
        return reverse("synthesis:detail", args=[self.pk])

    def get_backoffice_url(self) -> str:
        return reverse("synthesis_backoffice:detail", args=[self.pk])


class Theme(models.Model):
    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="themes")
    label = models.CharField(_("intitulé"), max_length=120)
    keywords = models.CharField(_("mots clés"), max_length=300, blank=True)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")

    def __str__(self) -> str:
        return self.label


class ImportBatch(models.Model):
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nom"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("import de contributions")

    def __str__(self) -> str:
        return self.name


class ImportedContribution(models.Model):
    """A contribution collected outside the platform: read-only, shown as « contribution importée »."""

    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    batch = models.ForeignKey(ImportBatch, on_delete=models.CASCADE, related_name="contributions")
    external_id = models.CharField(_("identifiant"), max_length=100)
    text = models.TextField(_("texte"), max_length=100_000)
    author = models.CharField(_("auteur"), max_length=200, blank=True)  # never shown publicly
    territory_name = models.CharField(_("territoire"), max_length=200, blank=True)
    date = models.DateField(_("date"), null=True, blank=True)
    question = models.CharField(_("question"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("contribution importée")
        verbose_name_plural = _("contributions importées")
        constraints = [models.UniqueConstraint(fields=["space", "external_id"], name="synthesis_import_unique_id")]

    def __str__(self) -> str:
        return self.external_id

    def get_absolute_url(self) -> str:
        return reverse("synthesis:imported", args=[self.pk])


class Entry(models.Model):
    synthesis = models.ForeignKey(Synthesis, on_delete=models.CASCADE, related_name="entries")
    theme = models.ForeignKey(Theme, null=True, blank=True, on_delete=models.SET_NULL, related_name="entries")
    # Where it comes from: an item of a module (content type + id) or an imported contribution.
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    imported = models.ForeignKey(
        ImportedContribution, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    reference = models.CharField(_("référence"), max_length=120)  # "proposals.proposal:12", "import:C0042"
    kind = models.CharField(_("nature"), max_length=100)  # « Boîte à idées — proposition », « contribution importée »
    url = models.CharField(max_length=500, blank=True)
    text = models.TextField(_("texte"))
    territory_name = models.CharField(_("territoire"), max_length=200, blank=True)
    stance = models.CharField(_("position"), max_length=12, choices=Stance.choices, blank=True)
    question = models.CharField(_("question"), max_length=300, blank=True)
    date = models.DateField(null=True, blank=True)
    score = models.FloatField(default=0.0)  # how typical of its theme (1: its centre)
    is_quote = models.BooleanField(_("citation"), default=False)
    discarded = models.BooleanField(_("écartée"), default=False)

    class Meta:
        ordering = ("-score", "pk")
        verbose_name = _("contribution de la synthèse")
        indexes = [models.Index(fields=["synthesis", "theme", "discarded"], name="synthesis_entry_theme")]

    def __str__(self) -> str:
        return self.reference
