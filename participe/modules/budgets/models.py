"""Budget participatif: envelopes, their categories, the projects and the outcome of each envelope's vote.

Data model (docs/modules/budgets.md):

- ``Envelope`` — an amount (whole euros), a territory (the city or a quartier: who may vote), the ballot kind and
  its limits, the voting rule of the tally; it owns one ``ballots.Election`` once the vote is opened (the ballots
  are the ballot service's; this module never stores one) and the stored ``outcome`` of its tally.
- ``Category`` — an optional theme of an envelope with the minimum share of the amount it should get.
- ``ImportedBallot`` — the grouped ballots of an envelope imported from a Pabulib file (simulation, audit).
- ``Project`` — entered by agents, imported from CSV or a Pabulib file, or made from a retained proposal (``participe.links`` keeps the
  link to it, decision 0011); its feasibility is prepared by the services (``draft_*``) and published in bulk.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participe.core.models import InteractiveModel, RichTextField, TimeStampedModel

MAX_AMOUNT = 1_000_000_000  # a thousand million euros: above, the amount is a typing error


class Envelope(TimeStampedModel):
    class BallotKind(models.TextChoices):
        BUDGET = "budget", _("approbation dans la limite du budget")
        MAX = "max", _("approbation d'un nombre maximum de projets")
        K = "k", _("exactement k projets")
        CUMULATIVE = "cumulative", _("points à répartir")
        RANKING = "ranking", _("classement avec points")

    class Rule(models.TextChoices):
        GREEDY = "greedy", _("par nombre de voix (glouton)")
        GREEDY_THRESHOLD = "greedy-threshold", _("par nombre de voix, avec un seuil minimum")
        MES = "mes", _("méthode des parts égales")
        MES_ADD1 = "mes-add1", _("parts égales, complétée en augmentant le budget (add1)")
        MES_ADD1_INFEASIBLE = "mes-add1-infeasible", _("parts égales, complétée jusqu'à l'infaisabilité")
        PHRAGMEN = "phragmen", _("méthode séquentielle de Phragmén")
        GREEDY_NO_SKIP = "greedy-no-skip", _("par nombre de voix, jusqu'au premier projet qui ne tient pas")

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="budget_envelopes")
    title = models.CharField(_("intitulé"), max_length=200)
    description = RichTextField(_("présentation"), blank=True)
    amount = models.PositiveBigIntegerField(
        _("montant (€)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_AMOUNT)]
    )
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        help_text=_("Ceux qui y résident votent dans cette enveloppe. Vide : toute la ville."),
    )
    ballot_kind = models.CharField(
        _("forme du bulletin"), max_length=12, choices=BallotKind.choices, default=BallotKind.BUDGET
    )
    max_choices = models.PositiveSmallIntegerField(
        _("nombre de projets"),
        null=True,
        blank=True,
        help_text=_("Approbation avec maximum, k projets, classement : le nombre de projets choisis ou classés."),
    )
    points = models.PositiveSmallIntegerField(
        _("points à répartir"), default=7, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    max_points_per_project = models.PositiveSmallIntegerField(
        _("points au plus par projet"), default=3, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    rank_points = models.CharField(
        _("points par rang"),
        max_length=60,
        default="3,2,1",
        help_text=_("Classement : les points du 1er, du 2e… séparés par des virgules (3,2,1 comme à Cracovie)."),
    )
    rule = models.CharField(_("règle de dépouillement"), max_length=20, choices=Rule.choices, default=Rule.GREEDY)
    threshold = models.PositiveIntegerField(_("seuil minimum de voix"), default=0)
    tie_break_seed = models.CharField(
        _("graine publique du tirage au sort"),
        max_length=100,
        blank=True,
        help_text=_("Départage les ex æquo (mêmes voix, même coût) ; publiée avec les résultats."),
    )
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    election = models.OneToOneField(
        "ballots.Election", null=True, blank=True, on_delete=models.PROTECT, related_name="budget_envelope"
    )
    outcome = models.JSONField(_("résultat du dépouillement"), default=dict, blank=True)
    tallied_at = models.DateTimeField(_("dépouillé le"), null=True, blank=True)
    published_at = models.DateTimeField(_("résultats publiés le"), null=True, blank=True)
    imported_from = models.CharField(
        _("fichier Pabulib importé"),
        max_length=255,
        blank=True,
        help_text=_(
            "Une enveloppe importée (simulation, audit) a les bulletins du fichier : aucun vote n'y est ouvert."
        ),
    )

    class Meta:
        verbose_name = _("enveloppe")
        verbose_name_plural = _("enveloppes")
        ordering = ["module_id", "position", "pk"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse(
            "spaces:budgets:envelope",
            kwargs={"slug": self.module.space.slug, "module_slug": self.module.slug, "pk": self.pk},
        )

    @property
    def rank_points_list(self) -> list[int]:
        return [int(p) for p in self.rank_points.split(",") if p.strip().isdigit()]

    @property
    def is_published(self) -> bool:
        return self.published_at is not None

    @property
    def is_imported(self) -> bool:
        return bool(self.imported_from)


class Category(models.Model):
    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="categories")
    name = models.CharField(_("nom"), max_length=100)
    min_share = models.PositiveSmallIntegerField(_("part minimale (%)"), default=0, validators=[MaxValueValidator(100)])

    class Meta:
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")
        ordering = ["name", "pk"]
        constraints = [models.UniqueConstraint(fields=["envelope", "name"], name="budgets_unique_category")]

    def __str__(self) -> str:
        return self.name


class Project(InteractiveModel, TimeStampedModel):
    class Feasibility(models.TextChoices):
        PENDING = "", _("à l'étude")
        FEASIBLE = "feasible", _("faisable")
        INFEASIBLE = "infeasible", _("non faisable")
        MERGED = "merged", _("fusionné")
        UNCLEAR = "unclear", _("à préciser")

    class Origin(models.TextChoices):
        AGENT = "agent", _("saisi par un agent")
        CSV = "csv", _("importé d'un fichier")
        PROPOSAL = "proposal", _("issu d'une proposition")
        PABULIB = "pabulib", _("importé d'un fichier Pabulib")

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="budget_projects")
    envelope = models.ForeignKey(
        Envelope, verbose_name=_("enveloppe"), on_delete=models.PROTECT, related_name="projects"
    )
    reference = models.PositiveIntegerField(_("numéro"), default=0)
    title = models.CharField(_("titre"), max_length=200)
    description = RichTextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="budgets/", blank=True)
    image_alt = models.CharField(
        _("texte alternatif de l'image"), max_length=200, blank=True, help_text=_("Vide si l'image est décorative.")
    )
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    category = models.ForeignKey(
        Category, verbose_name=_("catégorie"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    address = models.CharField(_("adresse ou lieu"), max_length=255, blank=True)
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    estimated_cost = models.PositiveBigIntegerField(
        _("coût estimé (€)"), validators=[MinValueValidator(1), MaxValueValidator(MAX_AMOUNT)]
    )
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices, default=Origin.AGENT)
    source_id = models.CharField(
        _("identifiant dans le fichier importé"), max_length=100, blank=True, help_text=_("Pabulib : le project_id.")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("porteur du projet"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    feasibility = models.CharField(
        _("faisabilité"), max_length=10, choices=Feasibility.choices, default=Feasibility.PENDING, blank=True
    )
    answer = RichTextField(_("réponse argumentée"), blank=True)
    answered_at = models.DateTimeField(_("réponse publiée le"), null=True, blank=True)
    draft_feasibility = models.CharField(
        _("faisabilité préparée"), max_length=10, choices=Feasibility.choices, blank=True
    )
    draft_answer = RichTextField(_("réponse préparée"), blank=True)
    draft_cost = models.PositiveBigIntegerField(_("coût chiffré par le service (€)"), null=True, blank=True)
    merged_into = models.ForeignKey(
        "self",
        verbose_name=_("fusionné avec"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="merged_projects",
    )

    class Meta:
        verbose_name = _("projet")
        verbose_name_plural = _("projets")
        ordering = ["envelope_id", "reference", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "reference"], condition=models.Q(reference__gt=0), name="budgets_unique_reference"
            )
        ]
        indexes = [models.Index(fields=["envelope", "feasibility"], name="budgets_ballot")]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        module = self.module
        return reverse(
            "spaces:budgets:project", kwargs={"slug": module.space.slug, "module_slug": module.slug, "pk": self.pk}
        )

    def get_backoffice_url(self) -> str:
        return reverse("backoffice:budgets:project", args=[self.pk])

    @property
    def accepts_participation(self) -> bool:
        return True

    @property
    def is_searchable(self) -> bool:
        return True

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def on_ballot(self) -> bool:
        return self.feasibility == self.Feasibility.FEASIBLE and self.answered_at is not None


class ImportedBallot(models.Model):
    """A distinct ballot of an envelope imported from a Pabulib file, with the number of voters who cast it.

    Never a ballot of the ballot service: nobody signed a roll for it on this platform (decision 0027). ``points``
    maps a project's primary key (as a string) to its points: 1 (approval), the points given (cumulative), the points
    of its rank (ordinal), as the tally engine reads the file."""

    envelope = models.ForeignKey(Envelope, on_delete=models.CASCADE, related_name="imported_ballots")
    points = models.JSONField(default=dict)
    voters = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = _("bulletin importé")
        verbose_name_plural = _("bulletins importés")

    def __str__(self) -> str:
        return f"{self.envelope_id}: {self.voters}"
