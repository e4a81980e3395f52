"""The secret-ballot service's tables: elections, polling stations, the voter roll apart from the ballot box.

- ``Election``: one vote of a module (several per module: a budget's envelopes), its channels, its ballot schema
  (a key of ``participe.ballots.schemas``: the owning module validates and counts ballots; this app never reads
  their content), its state (open → closed → counted, or annulled) and, once counted, totals, results and the tally
  file with its SHA-256.
- ``RollEntry`` and ``RollKey``: the émargement — who voted, by which channel, where and when. One row per voter and
  election; the keys (the account, the person's census digest) are unique per election, whatever the channel.
- ``StagedBallot`` → ``Ballot``: the ballot box. A ballot is staged in the émargement's transaction, then moved into
  the box by the anonymity mixer (``participe.anonymity.mixing``) in shuffled batches: the box holds no voter, no
  time finer than the day, random ids. Paper ballots are typed in batches (``PaperBatch``, two ``PaperEntry`` that
  must agree) and placed in the box shuffled.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from participe.anonymity.models import MixedEntry, StagedEntry
from participe.core.models import TimeStampedModel


class Channel(models.TextChoices):
    ONLINE = "online", _("en ligne")
    PAPER = "paper", _("bureau de vote")


class Kind(models.TextChoices):
    """What a ballot counts as: a vote for options (``valid``), a blank vote, or a spoiled paper ballot (``null``)."""

    VALID = "valid", _("exprimé")
    BLANK = "blank", _("blanc")
    NULL = "null", _("nul")


class Election(TimeStampedModel):
    class Status(models.TextChoices):
        OPEN = "open", _("ouvert")
        CLOSED = "closed", _("clos, dépouillement en cours")
        COUNTED = "counted", _("dépouillé, résultats publiés")
        ANNULLED = "annulled", _("annulé")

    class Channels(models.TextChoices):
        ONLINE = "online", _("en ligne seulement")
        PAPER = "paper", _("au bureau de vote seulement")
        BOTH = "both", _("en ligne et au bureau de vote")

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="elections")
    key = models.SlugField(_("clé"), max_length=60, help_text=_("Le nom que le module donne à ce scrutin."))
    title = models.CharField(_("intitulé"), max_length=200)
    schema = models.CharField(_("forme du bulletin"), max_length=60)
    channels = models.CharField(_("modes de vote"), max_length=10, choices=Channels.choices, default=Channels.ONLINE)
    publish_receipts = models.BooleanField(
        _("publier les bulletins avec leur code de reçu"),
        default=False,
        help_text=_(
            "Oui : chacun vérifie que son bulletin est dans l'urne, avec son contenu. Non : seul le fait qu'un "
            "reçu a été compté est vérifiable, et le fichier de dépouillement ne contient pas les codes."
        ),
    )
    territory_results = models.BooleanField(
        _("résultats par quartier"),
        default=False,
        help_text=_("Le bulletin garde le quartier de l'électeur (en ligne) ou du bureau (papier)."),
    )
    min_group = models.PositiveSmallIntegerField(
        _("taille minimale d'un groupe publié"),
        default=10,
        help_text=_("En dessous, les résultats d'un quartier ou d'un mode de vote ne sont pas détaillés."),
    )
    allow_blank = models.BooleanField(_("vote blanc possible en ligne"), default=True)
    batch_size = models.PositiveSmallIntegerField(
        _("taille des lots mélangés"),
        default=10,
        help_text=_(
            "Les bulletins en ligne rejoignent l'urne par lots d'au moins ce nombre, dans un ordre tiré au sort."
        ),
    )
    status = models.CharField(_("état"), max_length=10, choices=Status.choices, default=Status.OPEN, db_index=True)
    closed_at = models.DateTimeField(_("clos le"), null=True, blank=True)
    counted_at = models.DateTimeField(_("dépouillé le"), null=True, blank=True)
    annulled_at = models.DateTimeField(_("annulé le"), null=True, blank=True)
    annul_reason = models.TextField(_("motif de l'annulation"), blank=True)
    totals = models.JSONField(_("décomptes"), default=dict, blank=True)
    results = models.JSONField(_("résultats"), default=dict, blank=True)
    tally_file = models.FileField(_("fichier de dépouillement"), upload_to="ballots/", blank=True)
    tally_sha256 = models.CharField(_("empreinte SHA-256 du fichier"), max_length=64, blank=True)

    class Meta:
        verbose_name = _("scrutin")
        verbose_name_plural = _("scrutins")
        ordering = ["module_id", "pk"]
        constraints = [models.UniqueConstraint(fields=["module", "key"], name="unique_election_key_per_module")]

    def __str__(self) -> str:
        return self.title

    @property
    def online(self) -> bool:
        return self.channels in (self.Channels.ONLINE, self.Channels.BOTH)

    @property
    def paper(self) -> bool:
        return self.channels in (self.Channels.PAPER, self.Channels.BOTH)

    @property
    def is_counted(self) -> bool:
        return self.status == self.Status.COUNTED


class PollingStation(TimeStampedModel):
    """A bureau de vote of a module: where paper ballots are cast, when, and who runs it."""

    module = models.ForeignKey("spaces.Module", on_delete=models.CASCADE, related_name="polling_stations")
    name = models.CharField(_("nom"), max_length=200)
    place = models.CharField(_("lieu"), max_length=300, help_text=_("Adresse, salle."))
    opening_hours = models.CharField(_("horaires"), max_length=300, blank=True)
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("quartier"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    agents = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents du bureau"), blank=True, related_name="polling_stations"
    )

    class Meta:
        verbose_name = _("bureau de vote")
        verbose_name_plural = _("bureaux de vote")
        ordering = ["name", "pk"]

    def __str__(self) -> str:
        return self.name


class RollEntry(models.Model):
    """An émargement: this voter voted in this election, by this channel, here, at this time. Never their ballot."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="roll")
    voter = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, choices=Channel.choices)
    station = models.ForeignKey(
        PollingStation, null=True, blank=True, on_delete=models.PROTECT, related_name="roll_entries"
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("émargement")
        verbose_name_plural = _("émargements")
        indexes = [models.Index(fields=["election", "channel", "station"], name="ballots_roll_counts")]

    def __str__(self) -> str:
        return f"{self.election_id}:{self.channel}:{self.pk}"


class RollKey(models.Model):
    """One identity of a voter in one election (``u:<account>``, ``p:<census digest>``): unique per election, so a
    second émargement of the same person is impossible whatever the channel and however they were found."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=80)
    entry = models.ForeignKey(RollEntry, on_delete=models.CASCADE, related_name="keys")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["election", "key"], name="unique_voter_per_election")]

    def __str__(self) -> str:
        return self.key


class StagedBallot(StagedEntry):
    """A ballot waiting for the mixer (see ``participe.anonymity.mixing``). No index but its election's."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="+")
    content = models.JSONField(default=dict)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VALID)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    station = models.ForeignKey(
        PollingStation, null=True, blank=True, db_index=False, on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(
        "organisation.Territory", null=True, blank=True, db_index=False, on_delete=models.SET_NULL, related_name="+"
    )
    receipt = models.CharField(max_length=20, null=True, blank=True)


class Ballot(MixedEntry):
    """A ballot in the box: its content, how and where it was cast, a receipt code, the day of its batch."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="ballots")
    content = models.JSONField(default=dict)
    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.VALID)
    channel = models.CharField(max_length=10, choices=Channel.choices)
    station = models.ForeignKey(
        PollingStation, null=True, blank=True, db_index=False, on_delete=models.PROTECT, related_name="+"
    )
    territory = models.ForeignKey(
        "organisation.Territory", null=True, blank=True, db_index=False, on_delete=models.SET_NULL, related_name="+"
    )
    receipt = models.CharField(max_length=20, null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("bulletin")
        verbose_name_plural = _("bulletins")

    def __str__(self) -> str:
        return str(self.receipt or self.pk)


class PaperBatch(TimeStampedModel):
    """A batch of paper ballots of one station, typed twice by two agents; placed in the box when both agree."""

    class Status(models.TextChoices):
        ENTERING = "entering", _("en saisie")
        VALIDATED = "validated", _("validé")

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="paper_batches")
    station = models.ForeignKey(PollingStation, on_delete=models.PROTECT, related_name="batches")
    number = models.PositiveIntegerField(_("numéro du lot"))
    declared_count = models.PositiveIntegerField(_("nombre de bulletins du lot"))
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.ENTERING)
    validated_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("lot de bulletins papier")
        ordering = ["station_id", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "station", "number"], name="unique_batch_per_station")
        ]

    def __str__(self) -> str:
        return f"{self.station} — lot {self.number}"


class PaperEntry(TimeStampedModel):
    """One agent's typing of a batch: one code per ballot, as typed."""

    batch = models.ForeignKey(PaperBatch, on_delete=models.CASCADE, related_name="entries")
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    codes = models.JSONField(default=list)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["batch", "agent"], name="one_entry_per_agent_and_batch")]

    def __str__(self) -> str:
        return f"{self.batch} — {self.agent_id}"
