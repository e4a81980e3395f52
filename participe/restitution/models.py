"""The « Bilan » of a démarche (issue #16, decision 0026): what the agents write and choose before it is published.

Its figures, phases, contributions with their answers and commitments are read live from the platform
(``participe.restitution.selectors``): only the editorial part is stored here — the introduction, the decisions
taken, the sections shown, and whether it is published. A space without a row has a draft bilan with every section
shown: reading a bilan never writes one.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.core.models import RichTextField


class Section(models.TextChoices):
    """The parts of a bilan, in their order on the page; the agents choose which are shown."""

    FIGURES = "figures", _("En chiffres")
    TERRITORIES = "territories", _("Qui a participé, par territoire")
    CHANNELS = "channels", _("Par quel canal")
    PHASES = "phases", _("Les étapes de la démarche")
    SYNTHESES = "syntheses", _("Les synthèses des contributions")
    CONTRIBUTIONS = "contributions", _("Chaque contribution et sa réponse")
    DECISIONS = "decisions", _("Les décisions prises")
    COMMITMENTS = "commitments", _("Les engagements de la collectivité")


def every_section() -> list[str]:
    return list(Section.values)


class Bilan(models.Model):
    """The editorial part of a space's bilan and its state (draft or published)."""

    class State(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publié")

    Section = Section

    space = models.OneToOneField(
        "spaces.Space", verbose_name=_("démarche"), on_delete=models.CASCADE, related_name="bilan"
    )
    state = models.CharField(_("état"), max_length=10, choices=State.choices, default=State.DRAFT)
    introduction = RichTextField(_("introduction"), blank=True)
    decisions = RichTextField(_("décisions prises"), blank=True)
    sections = models.JSONField(_("parties affichées"), default=every_section)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(_("modifié le"), default=timezone.now)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("bilan")
        verbose_name_plural = _("bilans")

    def __str__(self) -> str:
        return str(self.space)

    def get_absolute_url(self) -> str:
        return reverse("restitution:bilan", kwargs={"slug": self.space.slug})

    def get_backoffice_url(self) -> str:
        return reverse("restitution_backoffice:edit", kwargs={"slug": self.space.slug})

    @property
    def is_published(self) -> bool:
        return self.state == self.State.PUBLISHED

    @property
    def shown(self) -> dict[str, bool]:
        """Each section's key → whether it is shown (``bilan.shown.figures`` in templates)."""
        chosen = set(self.sections or ())
        return {key: key in chosen for key in Section.values}


def document_path(document: BilanDocument, filename: str) -> str:
    # Under exports/: a private prefix, never served as a public file (participe.core.media, docs/deployment.md); the
    # bilan's views serve it after checking who asks.
    return f"exports/bilans/{document.pk}.{document.kind}"


class BilanDocument(models.Model):
    """A bilan rendered as a file by the worker (decision 0042): kept under the fingerprint of what it shows, so that
    it is served to whoever asks and would be shown exactly that, and built again once the bilan shows something
    else. ``failed``: the worker could not render it (its error), until someone asks again."""

    class Kind(models.TextChoices):
        PDF = "pdf", "PDF"
        DOCX = "docx", "DOCX"

    class Status(models.TextChoices):
        READY = "ready", _("prêt")
        FAILED = "failed", _("échec")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    space = models.ForeignKey("spaces.Space", on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=4, choices=Kind.choices)
    # SHA-256 of what the document shows to its readers (the PDF's HTML, the DOCX's outline): two readers who would
    # be shown the same share it, a reader shown anything else never gets it.
    fingerprint = models.CharField(max_length=64)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.READY)
    file = models.FileField(upload_to=document_path, max_length=255, blank=True)
    size = models.PositiveBigIntegerField(default=0)
    error = models.TextField(blank=True)
    built_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document d'un bilan")
        verbose_name_plural = _("documents des bilans")
        constraints = [
            models.UniqueConstraint(fields=["space", "kind", "fingerprint"], name="restitution_document_fingerprint")
        ]

    def __str__(self) -> str:
        return f"{self.space_id} {self.kind} {self.fingerprint[:12]} {self.status}"
