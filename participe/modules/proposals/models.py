"""Boîte à idées / appel à projets: proposals residents submit, support and comment, and agents analyse and answer.

Data model (docs/modules/proposals.md):

- ``Proposal`` — title, sanitised body, theme, territory, optional location (latitude, longitude, address); images and
  documents are attachments (participe.attachments); supports, comments, follows, reports come from the shared
  services, whose counters live on the row (``InteractiveModel``). ``status`` is the author's side (draft,
  published, withdrawn); ``answer_status`` the collectivité's (en analyse, retenue, non retenue, réalisée).
  The official answer is prepared in ``draft_answer``/``draft_answer_status`` (in bulk if need be) and copied to
  ``answer``/``answer_status`` when published, which notifies the author and the followers.
- Routing to a service (the service analysing a proposal, its due date) and the agents' private notes are the
  platform's (``participe.assignments``): the resource names who routes proposals (``proposals.manage_proposals``).
- ``StatusChange`` — the public history of a proposal (deposited, retained for analysis, answered…).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participe.core.models import InteractiveModel, RichTextField, TimeStampedModel


class Proposal(InteractiveModel, TimeStampedModel):
    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("déposée")
        WITHDRAWN = "withdrawn", _("retirée")

    class AnswerStatus(models.TextChoices):
        NONE = "", _("sans réponse")
        ANALYSIS = "analysis", _("en analyse")
        SELECTED = "selected", _("retenue")
        REJECTED = "rejected", _("non retenue")
        DONE = "done", _("réalisée")

    class Origin(models.TextChoices):
        ONLINE = "online", _("en ligne")
        PAPER = "paper", _("sur papier")
        MEETING = "meeting", _("en réunion")
        COUNTER = "counter", _("au guichet")

    class Feasibility(models.TextChoices):
        UNKNOWN = "", _("non évaluée")
        FEASIBLE = "feasible", _("réalisable")
        PARTIAL = "partial", _("réalisable en partie")
        NOT_FEASIBLE = "not_feasible", _("non réalisable")

    module = models.ForeignKey(
        "spaces.Module", verbose_name=_("module"), on_delete=models.CASCADE, related_name="proposals"
    )
    reference = models.PositiveIntegerField(_("numéro"), default=0)  # 1, 2, 3… within the module
    title = models.CharField(_("titre"), max_length=200)
    body = RichTextField(_("description"))
    theme = models.ForeignKey(
        "organisation.Theme",
        verbose_name=_("thème"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    latitude = models.DecimalField(_("latitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    longitude = models.DecimalField(_("longitude"), max_digits=9, decimal_places=6, null=True, blank=True)
    address = models.CharField(_("adresse ou lieu"), max_length=255, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="proposals",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisie par un agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    origin = models.CharField(_("origine"), max_length=10, choices=Origin.choices, default=Origin.ONLINE)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT)
    published_at = models.DateTimeField(_("déposée le"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("retirée le"), null=True, blank=True)
    shuffle = models.PositiveIntegerField(default=0)  # random at creation: the base of the "random" order
    retained_at = models.DateTimeField(_("retenue pour analyse le"), null=True, blank=True)  # threshold reached
    # Analysis (agents only; the service analysing it is its assignment, participe.assignments)
    feasibility = models.CharField(
        _("faisabilité"), max_length=15, choices=Feasibility.choices, default=Feasibility.UNKNOWN, blank=True
    )
    estimated_cost = models.DecimalField(_("coût estimé (€)"), max_digits=12, decimal_places=2, null=True, blank=True)
    draft_answer_status = models.CharField(
        _("statut de la réponse préparée"), max_length=10, choices=AnswerStatus.choices, blank=True, default=""
    )
    draft_answer = RichTextField(_("réponse préparée"), blank=True)
    # The published official answer
    answer_status = models.CharField(
        _("réponse de la collectivité"), max_length=10, choices=AnswerStatus.choices, blank=True, default=""
    )
    answer = RichTextField(_("réponse argumentée"), blank=True)
    answered_at = models.DateTimeField(_("réponse publiée le"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("proposition")
        verbose_name_plural = _("propositions")
        ordering = ["-published_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["module", "reference"],
                condition=models.Q(reference__gt=0),
                name="proposals_unique_reference",
            )
        ]
        indexes = [
            models.Index(fields=["module", "status", "published_at", "id"], name="proposals_recent"),
            models.Index(fields=["module", "status", "supports_count", "id"], name="proposals_supported"),
            models.Index(fields=["module", "status", "comments_count", "id"], name="proposals_commented"),
            models.Index(fields=["module", "status", "shuffle", "id"], name="proposals_shuffle"),
            # No (module, status, theme) nor (module, status, territory): with them, SQLite read and sorted a
            # whole theme for the first page of a sorted list; a sort index read in order, filtered, is cheaper, and
            # a theme or quartier with few proposals is found through their own foreign-key index (bench/proposals.py).
            models.Index(fields=["module", "status", "answer_status"], name="proposals_answer"),
            # The "retenues pour analyse" filter (threshold reached): its count scanned the module without it.
            models.Index(fields=["module", "status", "retained_at"], name="proposals_retained"),
            models.Index(fields=["module", "latitude", "longitude"], name="proposals_map"),
            models.Index(fields=["author", "status"], name="proposals_author"),
            # The answers prepared and not yet published (back-office): a few rows, found without a scan.
            models.Index(
                fields=["module", "reference"], condition=~models.Q(draft_answer_status=""), name="proposals_prepared"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        module = self.module
        return reverse(
            "spaces:proposals:detail",
            kwargs={"slug": module.space.slug, "module_slug": module.slug, "pk": self.pk},
        )

    def get_backoffice_url(self) -> str:
        """Its analysis page, where the agents of its service work on it (the resource protocol)."""
        return reverse("backoffice:proposals:detail", args=[self.pk])

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    @property
    def accepts_participation(self) -> bool:
        """Supports and comments only on a published proposal (decision 0006)."""
        return self.is_published

    @property
    def is_searchable(self) -> bool:
        """Drafts and withdrawn proposals stay out of the search index (decision 0006)."""
        return self.is_published

    @property
    def has_location(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def has_answer(self) -> bool:
        return self.answered_at is not None


class StatusChange(models.Model):
    """One step of a proposal's public history."""

    class Kind(models.TextChoices):
        PUBLISHED = "published", _("Proposition déposée")
        RETAINED = "retained", _("Seuil de soutiens atteint : retenue pour analyse")
        WITHDRAWN = "withdrawn", _("Proposition retirée par son auteur")
        ANSWERED = "answered", _("Réponse de la collectivité")

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="history")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    answer_status = models.CharField(max_length=10, choices=Proposal.AnswerStatus.choices, blank=True, default="")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("étape d'une proposition")
        verbose_name_plural = _("étapes d'une proposition")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.proposal_id}: {self.kind}"
