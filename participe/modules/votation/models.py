"""Votation: a question put to the residents, its options, and the collectivité's argued decision afterwards.

The vote itself is the ballot service's (``participe.ballots``): the question owns one ``Election`` whose ballots
follow this module's schema (``participe.modules.votation.schema``); this module never stores a ballot.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.core.models import RichTextField, TimeStampedModel


class Question(TimeStampedModel):
    class Kind(models.TextChoices):
        SINGLE = "single", _("choix unique")
        MULTIPLE = "multiple", _("choix multiple")
        YESNO = "yesno", _("oui ou non")
        RANKING = "ranking", _("classement")

    class Decision(models.TextChoices):
        FOLLOWED = "followed", _("la collectivité suit le résultat")
        PARTLY = "partly", _("la collectivité suit le résultat en partie")
        NOT_FOLLOWED = "not_followed", _("la collectivité ne suit pas le résultat")

    module = models.OneToOneField("spaces.Module", on_delete=models.CASCADE, related_name="votation_question")
    election = models.OneToOneField(
        "ballots.Election", null=True, blank=True, on_delete=models.PROTECT, related_name="votation_question"
    )
    text = models.CharField(_("question posée"), max_length=300)
    description = RichTextField(_("présentation"), blank=True)
    kind = models.CharField(_("forme de la réponse"), max_length=10, choices=Kind.choices, default=Kind.SINGLE)
    min_choices = models.PositiveSmallIntegerField(
        _("nombre minimum de choix"), default=1, help_text=_("Choix multiple et classement.")
    )
    max_choices = models.PositiveSmallIntegerField(
        _("nombre maximum de choix"), null=True, blank=True, help_text=_("Choix multiple. Vide : autant que d'options.")
    )
    electorate = models.PositiveIntegerField(
        _("nombre d'électeurs inscrits"),
        null=True,
        blank=True,
        help_text=_("Pour calculer la participation (par exemple le nombre d'habitants recensés en âge de voter)."),
    )
    threshold = models.PositiveSmallIntegerField(
        _("seuil de participation (%)"),
        null=True,
        blank=True,
        help_text=_(
            "Le résultat n'est valable que si la participation l'atteint (par exemple 50 %, comme pour un "
            "référendum local). Vide : pas de seuil."
        ),
    )
    draft_decision_status = models.CharField(
        _("décision préparée"), max_length=15, choices=Decision.choices, blank=True
    )
    draft_decision = RichTextField(_("argumentaire préparé"), blank=True)
    decision_status = models.CharField(_("décision"), max_length=15, choices=Decision.choices, blank=True)
    decision = RichTextField(_("décision argumentée"), blank=True)
    decision_published_at = models.DateTimeField(_("décision publiée le"), null=True, blank=True)
    decision_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("question de votation")
        verbose_name_plural = _("questions de votation")

    def __str__(self) -> str:
        return self.text


class Option(TimeStampedModel):
    """An answer voters may choose. Its paper code is its position in the list (1, 2, 3…)."""

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="options")
    title = models.CharField(_("intitulé"), max_length=200)
    description = RichTextField(_("description"), blank=True)
    image = models.ImageField(_("image"), upload_to="votation/", blank=True)
    image_alt = models.CharField(
        _("texte alternatif de l'image"), max_length=200, blank=True, help_text=_("Vide si l'image est décorative.")
    )
    attachment = models.FileField(_("document joint"), upload_to="votation/documents/", blank=True)
    attachment_title = models.CharField(_("titre du document"), max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("option")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title
