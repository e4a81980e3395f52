"""A panel drawn by lot: its features and quotas, its pool of volunteers, its draws (each committed before its seed),
its members' invitations, its members' private space and its avis citoyen (decisions 0024 and 0032)."""

from __future__ import annotations

import secrets
from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.core.models import InteractiveModel, TimeStampedModel


def _token() -> str:
    return secrets.token_urlsafe(24)


class Panel(TimeStampedModel):
    """The jury of a module: its size and whether volunteers may still register."""

    module = models.OneToOneField("spaces.Module", on_delete=models.CASCADE, related_name="jury_panel")
    size = models.PositiveSmallIntegerField(_("nombre de membres"), default=24)
    registration_open = models.BooleanField(_("inscriptions ouvertes"), default=True)
    presentation = models.TextField(_("présentation"), blank=True, max_length=5000)

    def __str__(self) -> str:
        return str(self.module)


class Feature(models.Model):
    """A feature to balance (« Genre », « Tranche d'âge »…), asked to every volunteer."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="features")
    key = models.SlugField(max_length=40)
    label = models.CharField(_("question"), max_length=120)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")
        constraints = [models.UniqueConstraint(fields=("panel", "key"), name="juries_feature_key_unique")]

    def __str__(self) -> str:
        return self.label


class FeatureValue(models.Model):
    """A value of a feature with its quota: ``min``/``max`` members, or derived from ``share`` (% of the population,
    INSEE) by the quota service."""

    feature = models.ForeignKey(Feature, on_delete=models.CASCADE, related_name="values")
    key = models.SlugField(max_length=40)
    label = models.CharField(_("réponse"), max_length=120)
    minimum = models.PositiveSmallIntegerField(_("minimum"), default=0)
    maximum = models.PositiveSmallIntegerField(_("maximum"), default=0)
    share = models.DecimalField(_("part de la population (%)"), max_digits=5, decimal_places=2, null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ("position", "pk")
        constraints = [models.UniqueConstraint(fields=("feature", "key"), name="juries_value_key_unique")]

    def __str__(self) -> str:
        return self.label


class Volunteer(TimeStampedModel):
    """A person of the pool: registered through the form (``user``) or imported by agents. ``reference`` is the
    public draw number (V0001…): the published pool and panel name no one."""

    class Source(models.TextChoices):
        FORM = "form", _("formulaire")
        IMPORT = "import", _("import")

    class Status(models.TextChoices):
        POOL = "pool", _("volontaire")
        INVITED = "invited", _("tiré·e au sort, invité·e")
        ACCEPTED = "accepted", _("membre du jury")
        DECLINED = "declined", _("a décliné")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="volunteers")
    reference = models.CharField(max_length=20)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    name = models.CharField(_("nom"), max_length=150, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    profile = models.JSONField(default=dict)  # {feature key: value key}
    source = models.CharField(max_length=10, choices=Source.choices, default=Source.FORM)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.POOL)
    probability = models.FloatField(null=True, blank=True)  # under the latest committed draw
    drawn_in = models.ForeignKey("Draw", null=True, blank=True, on_delete=models.SET_NULL, related_name="selected")
    invitation_token = models.CharField(max_length=64, default=_token, unique=True)
    name_public = models.BooleanField(_("accepte que son nom soit publié"), default=False)

    class Meta:
        ordering = ("reference",)
        constraints = [
            models.UniqueConstraint(fields=("panel", "reference"), name="juries_volunteer_reference_unique"),
            models.UniqueConstraint(
                fields=("panel", "user"), condition=models.Q(user__isnull=False), name="juries_volunteer_user_unique"
            ),
        ]

    def __str__(self) -> str:
        return self.reference

    @property
    def probability_percent(self) -> float | None:
        return None if self.probability is None else self.probability * 100


class Draw(TimeStampedModel):
    """One draw: the main one (number 1) or a round of replacements. Committed (hashes published) before its seed
    is known; ``lottery`` is the ticket list the seed picks from."""

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="draws")
    number = models.PositiveSmallIntegerField(default=1)
    size = models.PositiveSmallIntegerField()
    source = models.CharField(_("source publique de hasard"), max_length=200)
    source_date = models.DateField(_("date du tirage de la source"))
    pool_text = models.TextField()
    quotas_text = models.TextField()
    pool_sha256 = models.CharField(max_length=64)
    quotas_sha256 = models.CharField(max_length=64)
    lottery = models.JSONField(default=dict)
    lottery_sha256 = models.CharField(max_length=64)
    software_version = models.CharField(max_length=120)
    commitment_sha256 = models.CharField(max_length=64)
    committed_at = models.DateTimeField()
    committed_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    min_probability = models.FloatField()
    max_probability = models.FloatField()
    relaxed = models.JSONField(default=list)  # replacements: quotas that had to move, as shortfalls
    seed = models.CharField(_("graine"), max_length=200, blank=True)
    seed_normalized = models.CharField(max_length=200, blank=True)
    drawn_at = models.DateTimeField(null=True, blank=True)
    result = models.JSONField(default=list)  # the references drawn, sorted

    class Meta:
        ordering = ("number",)
        constraints = [models.UniqueConstraint(fields=("panel", "number"), name="juries_draw_number_unique")]

    def __str__(self) -> str:
        return f"{self.panel} #{self.number}"


class Room(InteractiveModel, TimeStampedModel):
    """The members' private space of a panel (decision 0032): a module of this type in a private platform space whose
    members are the panel's accepted members (``services.members``). The documents the agents upload are its
    attachments, the members' discussion its comments: the platform's services, under the private space's rule."""

    module = models.OneToOneField("spaces.Module", on_delete=models.CASCADE, related_name="jury_room")
    panel = models.OneToOneField(Panel, on_delete=models.CASCADE, related_name="room")
    title = models.CharField(_("titre"), max_length=200)
    welcome = models.TextField(_("mot d'accueil"), blank=True, max_length=5000)

    class Meta:
        verbose_name = _("espace des membres")
        verbose_name_plural = _("espaces des membres")

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return str(self.module.get_absolute_url())


class Recommendation(TimeStampedModel):
    """A recommendation of the avis citoyen with the collectivité's argued answer; what will be done is followed
    as a commitment (participe.commitments, droit de suite)."""

    class Decision(models.TextChoices):
        PENDING = "pending", _("réponse attendue")
        ADOPTED = "adopted", _("retenue")
        PARTLY = "partly", _("retenue en partie")
        REJECTED = "rejected", _("non retenue")

    panel = models.ForeignKey(Panel, on_delete=models.CASCADE, related_name="recommendations")
    position = models.PositiveSmallIntegerField(default=0)
    title = models.CharField(_("recommandation"), max_length=200)
    text = models.TextField(_("texte du jury"), max_length=10_000)
    decision = models.CharField(_("décision"), max_length=10, choices=Decision.choices, default=Decision.PENDING)
    answer = models.TextField(_("réponse argumentée de la collectivité"), blank=True, max_length=10_000)
    answered_at = models.DateTimeField(null=True, blank=True)
    commitment = models.ForeignKey(
        "commitments.Commitment", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        ordering = ("position", "pk")

    def __str__(self) -> str:
        return self.title

    @property
    def module(self) -> Any:
        return self.panel.module

    @property
    def module_id(self) -> int:
        return self.panel.module_id

    def get_absolute_url(self) -> str:
        return self.panel.module.get_absolute_url() + f"#recommandation-{self.pk}"
