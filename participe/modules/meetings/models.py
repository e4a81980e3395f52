"""Meetings of a space (réunions publiques, ateliers, balades urbaines, permanences) and the registrations to them.

See docs/modules/meetings.md and decision 0023.
"""

from __future__ import annotations

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.core.models import RichTextField, TimeStampedModel

# A meeting lasts at most a week (a walk, a workshop, a public meeting, a drop-in day): the agenda finds the meetings
# not over yet among those that started less than a week ago, along the index on the start.
MAX_DURATION = datetime.timedelta(days=7)
# The online link is shown to registered people from this long before the start (« shortly before »).
ONLINE_LINK_LEAD = datetime.timedelta(minutes=30)
# An alphabet without look-alikes (0/O, 1/I/L): codes are read aloud at the door and typed by agents.
CODE_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"
CODE_LENGTH = 6


def new_code() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _i in range(CODE_LENGTH))


class Meeting(TimeStampedModel):
    """A meeting of a meetings module: when, where (in person, online or both), what for, who may come."""

    class Kind(models.TextChoices):
        PUBLIC = "reunion", _("réunion publique")
        WORKSHOP = "atelier", _("atelier")
        WALK = "balade", _("balade urbaine")
        DROP_IN = "permanence", _("permanence")

    class Format(models.TextChoices):
        IN_PERSON = "presentiel", _("sur place")
        ONLINE = "en_ligne", _("en ligne")
        HYBRID = "hybride", _("sur place et en ligne")

    class Status(models.TextChoices):
        DRAFT = "brouillon", _("brouillon")
        PUBLISHED = "publiee", _("publiée")
        CANCELLED = "annulee", _("annulée")

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="meetings")
    title = models.CharField(_("titre"), max_length=200)
    description = RichTextField(_("description"), blank=True)
    kind = models.CharField(_("type de réunion"), max_length=20, choices=Kind.choices, default=Kind.PUBLIC)
    format = models.CharField(_("format"), max_length=20, choices=Format.choices, default=Format.IN_PERSON)
    status = models.CharField(_("statut"), max_length=12, choices=Status.choices, default=Status.PUBLISHED)
    cancellation_reason = models.CharField(_("motif de l'annulation"), max_length=500, blank=True)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    organiser = models.CharField(_("organisé par"), max_length=200, blank=True)
    # Where: an address (and a point for the map), the quartier it is in, and how to come.
    place_name = models.CharField(_("lieu"), max_length=200, blank=True)
    address = models.CharField(_("adresse du lieu"), max_length=300, blank=True)
    latitude = models.FloatField(_("latitude"), null=True, blank=True)
    longitude = models.FloatField(_("longitude"), null=True, blank=True)
    territory = models.ForeignKey(
        "organisation.Territory", verbose_name=_("territoire"), null=True, blank=True, on_delete=models.SET_NULL
    )
    theme = models.ForeignKey(
        "organisation.Theme", verbose_name=_("thème"), null=True, blank=True, on_delete=models.SET_NULL
    )
    step_free_access = models.BooleanField(_("accessible aux personnes à mobilité réduite"), default=False)
    hearing_loop = models.BooleanField(_("boucle magnétique"), default=False)
    childcare = models.BooleanField(_("garde d'enfants sur place"), default=False)
    accessibility_notes = models.CharField(_("autres informations d'accessibilité"), max_length=500, blank=True)
    online_url = models.URLField(_("lien de la réunion en ligne"), max_length=500, blank=True)
    # Registration: optional; seats, then a waiting list promoted when someone cancels.
    registration_enabled = models.BooleanField(_("inscription demandée"), default=False)
    capacity = models.PositiveIntegerField(_("nombre de places"), null=True, blank=True)
    questions = models.TextField(
        _("questions posées à l'inscription"),
        max_length=2000,
        blank=True,
        help_text=_("Une question par ligne (régime alimentaire, besoins d'accessibilité…)."),
    )
    # Counters read by every page, kept right under a lock on the meeting's row (services.registrations).
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    waiting_count = models.PositiveIntegerField(default=0, editable=False)
    reminder_sent_at = models.DateTimeField(null=True, blank=True, editable=False)
    # After the meeting.
    minutes = RichTextField(_("compte rendu"), blank=True)
    attendees_count = models.PositiveIntegerField(_("nombre de participants"), null=True, blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True, editable=False)
    followers_count = models.PositiveIntegerField(default=0, editable=False)
    # iCalendar's SEQUENCE: raised at each change calendars must notice (RFC 5545, 3.8.7.4).
    sequence = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("réunion")
        verbose_name_plural = _("réunions")
        ordering = ("start", "pk")
        indexes = [
            # The agenda walks meetings by start (keyset pages); the filters are checked on the way.
            models.Index(fields=["start", "id"], name="meetings_start"),
            models.Index(fields=["module", "start", "id"], name="meetings_module_start"),
            models.Index(fields=["territory", "start"], name="meetings_territory_start"),
            models.Index(fields=["theme", "start"], name="meetings_theme_start"),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(end__gte=models.F("start")), name="meetings_end_after_start"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from participe.spaces.urls import module_reverse

        return module_reverse(self.module, "meeting", pk=self.pk)

    def get_backoffice_url(self) -> str:
        from django.urls import reverse

        return reverse("backoffice:meetings:edit", kwargs={"pk": self.pk})

    @property
    def is_searchable(self) -> bool:
        """A draft stays out of the search index (decision 0006)."""
        return self.status != self.Status.DRAFT

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def is_in_person(self) -> bool:
        return self.format in (self.Format.IN_PERSON, self.Format.HYBRID)

    @property
    def is_online(self) -> bool:
        return self.format in (self.Format.ONLINE, self.Format.HYBRID)

    def is_past(self, now: datetime.datetime | None = None) -> bool:
        return self.end <= (now or timezone.now())

    @property
    def is_full(self) -> bool:
        return self.capacity is not None and self.seats_taken >= self.capacity

    @property
    def seats_left(self) -> int | None:
        return None if self.capacity is None else max(self.capacity - self.seats_taken, 0)

    def question_list(self) -> list[str]:
        return [line.strip() for line in self.questions.splitlines() if line.strip()]

    def online_link_visible_from(self) -> datetime.datetime:
        return self.start - ONLINE_LINK_LEAD


class Registration(TimeStampedModel):
    """Someone's seat at a meeting (or place on its waiting list): an account, or a person an agent registered by
    phone (a name and a phone number)."""

    class Status(models.TextChoices):
        CONFIRMED = "confirmee", _("inscrit·e")
        WAITING = "attente", _("en liste d'attente")
        CANCELLED = "annulee", _("annulée")

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="registrations")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="meeting_registrations"
    )
    name = models.CharField(_("nom"), max_length=200, blank=True)
    phone = models.CharField(_("téléphone"), max_length=30, blank=True)
    email = models.EmailField(_("adresse électronique"), blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.CONFIRMED)
    code = models.CharField(_("code d'inscription"), max_length=CODE_LENGTH, default=new_code)
    # Answers to the meeting's questions, {question: answer}: only the organisers read them.
    answers = models.JSONField(default=dict, blank=True)
    registered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    promoted_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    checked_in_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("inscription")
        verbose_name_plural = _("inscriptions")
        ordering = ("created_at", "pk")
        indexes = [models.Index(fields=["meeting", "status", "created_at"], name="meetings_registration_queue")]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "code"], name="meetings_registration_code_unique"),
            models.UniqueConstraint(
                fields=["meeting", "user"],
                condition=Q(user__isnull=False) & ~Q(status="annulee"),
                name="meetings_one_live_registration_per_person",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.display_name} — {self.meeting}"

    @property
    def contact_email(self) -> str:
        """The address to reach the person: the one an agent typed, else their account's."""
        if self.email:
            return self.email
        return (self.user.email or "") if self.user_id is not None and self.user is not None else ""

    @property
    def display_name(self) -> str:
        if self.user_id is not None and self.user is not None:
            return self.user.full_name or self.user.pseudonym or ""
        return self.name
