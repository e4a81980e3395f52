"""Signalements: categories (data, routed per territory), reports placed inside the territories, their public
updates and internal history, response templates, and the keys issued to Open311 clients.

See docs/modules/signalements.md and decision 0018.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.core.models import InteractiveModel, TimeStampedModel

# The grid of the duplicate look-up: cells of 0.001° (about 110 m north-south, 75 m east-west in France): a circle
# of 50 m touches at most four of them.
GRID = 1000
ROW = 1_000_000  # a cell's row (latitude) times ROW plus its column (longitude): 360 × GRID < ROW


def grid_cell(lat: float, lon: float) -> int:
    """The cell of a point: an integer the duplicate look-up filters on with an index."""
    return int((lat + 90) * GRID) * ROW + int((lon + 180) * GRID)


class Status(models.TextChoices):
    NEW = "nouveau", _("nouveau")
    ACKNOWLEDGED = "pris_en_compte", _("pris en compte")
    PLANNED = "programme", _("programmé")
    IN_PROGRESS = "en_cours", _("en cours")
    FIXED = "resolu", _("résolu")
    CLOSED = "ferme", _("fermé")
    NOT_REPRODUCIBLE = "non_reproductible", _("fermé : non reproductible")
    NOT_RESPONSIBLE = "hors_competence", _("fermé : hors compétence")
    DUPLICATE = "doublon", _("fermé : doublon")


OPEN_STATUSES = frozenset({Status.NEW, Status.ACKNOWLEDGED, Status.PLANNED, Status.IN_PROGRESS})
CLOSED_STATUSES = frozenset(set(Status) - OPEN_STATUSES)
# Said of a report once the service has answered (the first status after « nouveau »).
ACKNOWLEDGING = frozenset(set(Status) - {Status.NEW})
RESOLVING = frozenset({Status.FIXED, Status.CLOSED, Status.NOT_REPRODUCIBLE, Status.NOT_RESPONSIBLE, Status.DUPLICATE})


class Category(TimeStampedModel):
    """A kind of problem: its icon and hint, who sees its reports, the service in charge (per territory through
    ``routes``, else ``default_service``), its extra questions and the times the services promise."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("nom"), max_length=120)
    code = models.SlugField(_("code"), max_length=60, help_text=_("Code stable (Open311 « service_code »)."))
    icon = models.CharField(_("icône"), max_length=40, default="alert-triangle")
    hint = models.CharField(_("aide"), max_length=240, blank=True)
    group = models.CharField(_("groupe"), max_length=80, blank=True)
    is_private = models.BooleanField(
        _("privée"), default=False, help_text=_("Les signalements ne sont vus que par leur auteur et les services.")
    )
    is_active = models.BooleanField(_("active"), default=True)
    default_service = models.ForeignKey(
        "organisation.Service",
        verbose_name=_("service en charge par défaut"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # [{"code": "allumee", "label": "La lampe est-elle allumée ?", "type": "singlevaluelist", "required": true,
    #   "choices": [["oui", "Oui"], ["non", "Non"]]}]: Open311 attributes too.
    questions = models.JSONField(_("questions complémentaires"), default=list, blank=True)
    acknowledge_days = models.PositiveSmallIntegerField(_("délai de prise en compte (jours)"), default=2)
    resolve_days = models.PositiveSmallIntegerField(_("délai de résolution (jours)"), default=15)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("catégorie")
        verbose_name_plural = _("catégories")
        ordering = ["position", "name"]
        constraints = [models.UniqueConstraint(fields=["module", "code"], name="signalements_category_code")]

    def __str__(self) -> str:
        return self.name


class Route(models.Model):
    """The service in charge of a category's reports inside one territory (and the territories it contains)."""

    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="routes")
    territory = models.ForeignKey(
        "organisation.Territory", verbose_name=_("territoire"), on_delete=models.CASCADE, related_name="+"
    )
    service = models.ForeignKey(
        "organisation.Service", verbose_name=_("service"), on_delete=models.CASCADE, related_name="+"
    )

    class Meta:
        verbose_name = _("service en charge par territoire")
        constraints = [models.UniqueConstraint(fields=["category", "territory"], name="signalements_route_unique")]

    def __str__(self) -> str:
        return f"{self.category_id} {self.territory_id} → {self.service_id}"


class Report(InteractiveModel, TimeStampedModel):
    """A problem reported at a place. Public by default under the reporter's pseudonym; the name and email of a
    reporter without account are personal data, shown only to the services."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category, verbose_name=_("catégorie"), on_delete=models.PROTECT, related_name="reports"
    )
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("territoire"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    title = models.CharField(_("titre"), max_length=120)
    description = models.TextField(_("description"), blank=True)
    answers = models.JSONField(_("réponses aux questions"), default=dict, blank=True)
    lat = models.FloatField(_("latitude"))
    lon = models.FloatField(_("longitude"))
    cell = models.BigIntegerField(editable=False, default=0)
    address = models.CharField(_("adresse"), max_length=300, blank=True)
    status = models.CharField(_("état"), max_length=20, choices=Status.choices, default=Status.NEW)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reporter_name = models.CharField(_("nom"), max_length=120, blank=True)
    reporter_email = models.EmailField(_("adresse électronique"), blank=True)
    confirmation_token = models.CharField(max_length=64, blank=True, db_index=True)
    confirmed_at = models.DateTimeField(_("confirmé le"), null=True, blank=True)
    source = models.CharField(_("origine"), max_length=40, default="web")  # web, api, open311
    api_key = models.ForeignKey(
        "signalements.ApiKey",
        verbose_name=_("clé Open311"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    media_url = models.URLField(_("adresse de la photo"), blank=True, max_length=500)
    acknowledged_at = models.DateTimeField(_("pris en compte le"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("résolu le"), null=True, blank=True)
    duplicate_of = models.ForeignKey(
        "self", verbose_name=_("doublon de"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("signalement")
        verbose_name_plural = _("signalements")
        indexes = [
            # Duplicates and the map: one category's reports in a few grid cells, then the exact box.
            models.Index(fields=["module", "cell", "category", "status"], name="signalement_cell"),
            # The lists, the map feed and the queue: newest first (by id) within a filter, read backwards until the
            # page is full (decision 0028: EXPLAIN on SQLite and PostgreSQL in docs/benchmarks.md).
            models.Index(fields=["module", "status", "id"], name="signalement_status_id"),
            models.Index(fields=["module", "category", "id"], name="signalement_category_id"),
            models.Index(fields=["module", "territory", "id"], name="signalement_territory_id"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args: object, **kwargs: object) -> None:
        self.cell = grid_cell(self.lat, self.lon)
        super().save(*args, **kwargs)  # type: ignore[arg-type]

    # The bilan of its space (decision 0042): a report is answered once the service gave it a public status past
    # « nouveau » (``acknowledged_at``, which the database counts), shown as the answer; ``source`` is its channel.
    answered_at_field = "acknowledged_at"

    def has_answer(self) -> bool:
        return self.acknowledged_at is not None

    def get_answer_status_display(self) -> str:
        return str(self.get_status_display())

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None

    @property
    def is_public(self) -> bool:
        return self.is_confirmed and not self.category.is_private

    def may_reopen_until(self) -> datetime.datetime | None:
        """The reporter may say it is not fixed within 30 days of its resolution."""
        if self.resolved_at is None or self.is_open:
            return None
        return self.resolved_at + datetime.timedelta(days=30)

    def can_be_reopened(self) -> bool:
        until = self.may_reopen_until()
        return until is not None and timezone.now() <= until

    def get_absolute_url(self) -> str:
        from participe.spaces.urls import module_reverse

        return module_reverse(self.module, "report", pk=self.pk)

    def get_backoffice_url(self) -> str:
        from django.urls import reverse

        return reverse("backoffice:signalements:report", kwargs={"pk": self.pk})


class Update(models.Model):
    """A step of a report's timeline: a status change and/or a public text (with photos), or an internal note is
    kept by the assignments service instead. ``is_public`` False: a step only the services read (reassignment)."""

    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="updates")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status_before = models.CharField(max_length=20, choices=Status.choices, blank=True)
    status_after = models.CharField(max_length=20, choices=Status.choices, blank=True)
    text = models.TextField(_("message public"), blank=True)
    is_public = models.BooleanField(default=True)
    by_reporter = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("mise à jour")
        verbose_name_plural = _("mises à jour")
        ordering = ["created_at", "pk"]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.status_before}→{self.status_after}"


class ResponseTemplate(models.Model):
    """A ready answer the agents pick when they change a report's status (per category, or for every one)."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(
        Category,
        verbose_name=_("catégorie"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="templates",
        help_text=_("Vide : pour toutes les catégories."),
    )
    status = models.CharField(_("état"), max_length=20, choices=Status.choices)
    title = models.CharField(_("titre"), max_length=120)
    text = models.TextField(_("texte"), max_length=5_000)

    class Meta:
        verbose_name = _("modèle de réponse")
        verbose_name_plural = _("modèles de réponse")
        ordering = ["status", "title"]

    def __str__(self) -> str:
        return self.title


class ApiKey(models.Model):
    """A key issued to a third party (an application of the collectivité) to post requests through Open311.
    Only its hash is kept; revoking it stops it at once."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    name = models.CharField(_("application"), max_length=120)
    prefix = models.CharField(max_length=8, db_index=True)
    digest = models.CharField(max_length=64, unique=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(_("révoquée le"), null=True, blank=True)
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    uses = models.PositiveIntegerField(_("utilisations"), default=0)

    class Meta:
        verbose_name = _("clé d'API Open311")
        verbose_name_plural = _("clés d'API Open311")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Delay(models.TextChoices):
    """The two delays the statistics count (internal values, shown nowhere)."""

    ACKNOWLEDGE = "ack", "ack"
    RESOLVE = "resolve", "resolve"


class DayFigures(models.Model):
    """Statistics kept per day (decision 0028): the confirmed reports created that day (local date) in a category,
    given now to a service (``service_id`` 0: none), how many are open and how many resolved or closed. Kept by the
    services that change a report, in the same transaction (``figures.record``); ``manage.py
    signalements_figures_rebuild`` counts them again from the reports."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    # Not a foreign key: a deleted service's reports count as « sans service », like a recount says (its
    # assignments go with it).
    service_id = models.PositiveIntegerField(default=0)
    total = models.IntegerField(default=0)
    open = models.IntegerField(default=0)
    closed = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["module", "day", "category", "service_id"], name="signalements_day_figures")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.category_id}/{self.service_id}: {self.total}"


class DelayFigures(models.Model):
    """How many confirmed reports of a category and service took ``bucket`` steps to be acknowledged or resolved: the
    medians and the share resolved within the category's time come from these histograms (decision 0028). A step
    is a tenth of an hour to acknowledge (the page's precision) and an hour to resolve (a divisor of a day: « within
    the expected days » stays exact)."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="+")
    category = models.ForeignKey(Category, on_delete=models.CASCADE, related_name="+")
    service_id = models.PositiveIntegerField(default=0)
    kind = models.CharField(max_length=8, choices=Delay.choices)
    bucket = models.IntegerField()
    count = models.IntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["module", "category", "service_id", "kind", "bucket"], name="signalements_delay_figures"
            )
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.category_id}/{self.service_id} {self.bucket}: {self.count}"


class Forwarding(models.Model):
    """A category whose reports are also posted to an external Open311 GeoReport v2 endpoint (a city's existing
    back-end), set by an administrator; its updates are pulled back (decision 0029)."""

    category = models.OneToOneField(Category, on_delete=models.CASCADE, related_name="forwarding")
    endpoint = models.URLField(
        _("adresse du service Open311"),
        max_length=300,
        help_text=_("La racine GeoReport v2, par exemple https://signalements.exemple.fr/open311/v2/"),
    )
    # Sent with every post, so kept as it is (not hashed): only the module's administrators read or change it.
    api_key = models.CharField(_("clé d'API"), max_length=200, blank=True)
    service_code = models.CharField(_("code du service distant"), max_length=100)
    jurisdiction_id = models.CharField(_("juridiction (jurisdiction_id)"), max_length=100, blank=True)
    is_active = models.BooleanField(_("transmission active"), default=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("transmission Open311")
        verbose_name_plural = _("transmissions Open311")

    def __str__(self) -> str:
        return f"{self.category_id} → {self.endpoint}"


class Forward(models.Model):
    """One report posted to its category's external endpoint: waiting (and retried), sent (its
    ``service_request_id`` there, its last known status) or failed (the error the agents read)."""

    class State(models.TextChoices):
        PENDING = "en_attente", _("en attente de transmission")
        SENT = "transmis", _("transmis")
        FAILED = "echec", _("échec de la transmission")

    report = models.OneToOneField(Report, on_delete=models.CASCADE, related_name="forward")
    forwarding = models.ForeignKey(Forwarding, null=True, on_delete=models.SET_NULL, related_name="forwards")
    state = models.CharField(max_length=12, choices=State.choices, default=State.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=500, blank=True)
    service_request_id = models.CharField(max_length=100, blank=True)
    token = models.CharField(max_length=200, blank=True)
    external_status = models.CharField(max_length=20, blank=True)  # open / closed, as the endpoint says
    external_notes = models.TextField(blank=True)  # the last status_notes applied as a public update
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    polled_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("transmission d'un signalement")
        verbose_name_plural = _("transmissions des signalements")
        indexes = [models.Index(fields=["state", "next_attempt_at"], name="signalement_forward_state")]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.state}"
