"""Questionnaires et sondages: a questionnaire per module, its questions, and the responses residents submit.

Data model (docs/modules/surveys.md):

- ``Questionnaire`` — one per module: introduction, closing message, counters. Who may answer, whether one may
  answer several times, anonymity and the publication of results are module settings (``forms.SurveySettingsForm``).
- ``Question`` — ordered; its ``kind`` says how it is asked and answered; ``config`` holds the options of its kind
  (see ``Question.CONFIG_KEYS``). A ``section`` item is not a question: it starts a new page and carries a title and
  an explanatory text. Conditional display: a question is shown only when the answer to ``condition_question``
  (an earlier single or multiple choice question) is one of ``condition_choices``.
- ``Choice`` — the options of a single or multiple choice and of a ranking, the columns of a matrix (a scale has
  none: its values are numbers); ``is_other`` marks "autre, précisez" (its answer carries a text).
- ``MatrixRow`` — the rows of a matrix question.
- ``Response`` — one submission (or a draft: ``submitted_at`` is null, answers kept in ``draft``). A test response
  (an agent trying the questionnaire before it opens) is never counted and has no ``Answer`` rows.
- ``Answer`` — submitted values only, one row per value: a text, a number (number, scale), a date, a file, or a
  choice (one row per selected choice; ranking: one row per ranked choice with its ``rank``; matrix: one row per
  matrix row with its chosen column). Results aggregate these rows by question.
- ``Participation`` — "has answered": the only link kept between an account and an anonymous questionnaire.
- Anonymous questionnaires (docs/decisions/0016): drafts wait in ``AnonymousDraft`` (apart, random ids, deleted when
  sent); a response sent is staged in ``StagedResponse`` with the participation, then moved by the anonymity mixer
  (``participe.anonymity``) in shuffled batches into ``Response``/``Answer`` with a random id and the day only.
- ``Tally`` — closed-answer counters per (question, choice, matrix row, territory of the respondent), kept at
  submission so that the results page reads a few hundred rows whatever the number of responses.
- ``ExportJob`` — a CSV or JSON export running as a background task, with its progress.
"""

from __future__ import annotations

import datetime
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.anonymity.models import StagedEntry
from participe.core.models import RichTextField, TimeStampedModel


class Questionnaire(TimeStampedModel):
    module = models.OneToOneField(
        "spaces.Module", verbose_name=_("module"), on_delete=models.CASCADE, related_name="questionnaire"
    )
    intro = RichTextField(_("introduction"), blank=True, help_text=_("Affichée avant la première question."))
    closing_message = RichTextField(
        _("message de fin"), blank=True, help_text=_("Affiché après l'envoi des réponses, avec le récépissé.")
    )
    responses_count = models.PositiveIntegerField(_("réponses"), default=0)  # submitted, not test ones

    class Meta:
        verbose_name = _("questionnaire")
        verbose_name_plural = _("questionnaires")

    def __str__(self) -> str:
        return str(self.module.title)

    def get_absolute_url(self) -> str:
        return str(self.module.get_absolute_url())


class Question(models.Model):
    class Kind(models.TextChoices):
        SECTION = "section", _("Section (titre et texte explicatif)")
        SHORT_TEXT = "short_text", _("Texte court")
        LONG_TEXT = "long_text", _("Texte long")
        SINGLE = "single", _("Choix unique")
        MULTIPLE = "multiple", _("Choix multiple")
        RANKING = "ranking", _("Classement")
        SCALE = "scale", _("Échelle")
        MATRIX = "matrix", _("Matrice (lignes × choix unique)")
        NUMBER = "number", _("Nombre")
        DATE = "date", _("Date")
        FILE = "file", _("Fichier")

    # Options per kind, in ``config`` (absent key: default):
    CONFIG_KEYS = {
        Kind.SHORT_TEXT: ("max_length",),  # default 300
        Kind.LONG_TEXT: ("max_length",),  # default 5000
        Kind.MULTIPLE: ("min_choices", "max_choices"),  # defaults: 0 (1 if required), number of choices
        Kind.RANKING: ("rank_all",),  # default True: every choice must be ranked; else at least one
        Kind.SCALE: ("min", "max", "min_label", "max_label"),  # defaults 1, 5, "", ""
        Kind.NUMBER: ("min", "max", "decimals", "unit"),  # defaults: none, none, 0, ""
        Kind.DATE: ("min", "max"),  # ISO dates, optional
        Kind.FILE: ("max_mb",),  # default settings.PARTICIPE_MAX_DOCUMENT_MB; types: images, PDF, office documents
    }
    CHOICE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING, Kind.MATRIX)  # kinds that have ``Choice`` rows
    CLOSED_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.RANKING, Kind.MATRIX, Kind.SCALE)  # counted in ``Tally``
    CONDITION_KINDS = (Kind.SINGLE, Kind.MULTIPLE)  # what a condition may depend on

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="questions")
    position = models.PositiveIntegerField(_("ordre"), default=0)
    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices)
    title = models.CharField(_("intitulé"), max_length=500)
    help_text = models.TextField(_("aide ou texte explicatif"), blank=True)
    required = models.BooleanField(_("réponse obligatoire"), default=False)
    config = models.JSONField(_("options"), default=dict, blank=True)
    condition_question = models.ForeignKey(
        "self",
        verbose_name=_("afficher seulement si la question"),
        null=True,
        blank=True,
        on_delete=models.RESTRICT,  # a question others depend on is not deleted alone; with its questionnaire it is
        related_name="dependents",
    )
    condition_choices: models.ManyToManyField[Choice, models.Model] = models.ManyToManyField(
        "Choice", verbose_name=_("a pour réponse l'un de ces choix"), blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("question")
        verbose_name_plural = _("questions")
        ordering = ["position", "pk"]
        indexes = [models.Index(fields=["questionnaire", "position"], name="surveys_question_order")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_section(self) -> bool:
        return self.kind == self.Kind.SECTION


class Choice(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="choices")
    position = models.PositiveIntegerField(_("ordre"), default=0)
    label = models.CharField(_("libellé"), max_length=300)
    is_other = models.BooleanField(_("« Autre, précisez »"), default=False)

    class Meta:
        verbose_name = _("choix")
        verbose_name_plural = _("choix")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class MatrixRow(models.Model):
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="rows")
    position = models.PositiveIntegerField(_("ordre"), default=0)
    label = models.CharField(_("libellé"), max_length=300)

    class Meta:
        verbose_name = _("ligne de matrice")
        verbose_name_plural = _("lignes de matrice")
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.label


class Response(models.Model):
    """A submission, or a draft (``submitted_at`` null) whose answers wait in ``draft`` as posted values."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="responses")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("participant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,  # account deletion keeps the answers, without anyone behind them
        related_name="survey_responses",
        help_text=_("Vide pour une réponse anonyme ou sans compte."),
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)  # drafts of visitors without account
    territory = models.ForeignKey(
        "organisation.Territory",
        verbose_name=_("territoire du répondant"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("saisi par un agent"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    is_test = models.BooleanField(_("réponse de test"), default=False)
    draft = models.JSONField(default=dict, blank=True)  # {"<question pk>": posted value(s)}, pages seen
    page = models.PositiveSmallIntegerField(default=0)  # the page a draft resumes at
    receipt = models.UUIDField(_("récépissé"), default=uuid.uuid4, unique=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    submitted_at = models.DateTimeField(_("envoyée le"), null=True, blank=True)

    class Meta:
        verbose_name = _("réponse à un questionnaire")
        verbose_name_plural = _("réponses à un questionnaire")
        indexes = [
            models.Index(fields=["questionnaire", "submitted_at"], name="surveys_response_submitted"),
            models.Index(fields=["questionnaire", "participant"], name="surveys_response_participant"),
        ]

    def __str__(self) -> str:
        return str(self.receipt)

    @property
    def is_submitted(self) -> bool:
        return self.submitted_at is not None

    @property
    def short_receipt(self) -> str:
        """What the receipt shows: the first 8 characters, upper case (``3F2A9C1B``)."""
        return self.receipt.hex[:8].upper()


def answer_file_path(instance: Answer, filename: str) -> str:
    return f"surveys/{instance.question.questionnaire_id}/{uuid.uuid4().hex}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="answers")
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    row = models.ForeignKey(MatrixRow, null=True, blank=True, on_delete=models.CASCADE, related_name="answers")
    rank = models.PositiveSmallIntegerField(null=True, blank=True)  # ranking: 1 = first
    number = models.DecimalField(max_digits=18, decimal_places=6, null=True, blank=True)  # number, scale
    date = models.DateField(null=True, blank=True)
    text = models.TextField(blank=True)  # short/long text; the precision of an "autre, précisez" choice
    file = models.FileField(upload_to=answer_file_path, max_length=255, blank=True)
    file_name = models.CharField(max_length=255, blank=True)  # the name it had on the respondent's device

    class Meta:
        verbose_name = _("réponse à une question")
        verbose_name_plural = _("réponses aux questions")
        indexes = [
            # With the response: a cross-tabulation pairs the answers of two questions from the indexes alone.
            models.Index(fields=["question", "choice", "response"], name="surveys_answer_choice_response"),
            models.Index(fields=["response", "question"], name="surveys_answer_response"),
            # Results: counts, bounds and medians of numbers and dates, counts of free texts, read from the index.
            # The response is in them so that a filter by territory of respondents reads them without the table.
            models.Index(
                fields=["question", "number", "response"],
                name="surveys_answer_number",
                condition=Q(number__isnull=False),
            ),
            models.Index(
                fields=["question", "date", "response"], name="surveys_answer_date", condition=Q(date__isnull=False)
            ),
            models.Index(fields=["question", "response"], name="surveys_answer_text", condition=~Q(text="")),
        ]

    def __str__(self) -> str:
        return f"{self.response_id}/{self.question_id}"


class Participation(models.Model):
    """That an account has answered (and how many times): kept for anonymous questionnaires too."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="participations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    count = models.PositiveIntegerField(default=1)
    # Set by the service: the day only (midnight) when the questionnaire is anonymous.
    first_at = models.DateTimeField(default=timezone.now)
    last_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("participation à un questionnaire")
        verbose_name_plural = _("participations aux questionnaires")
        constraints = [models.UniqueConstraint(fields=["questionnaire", "user"], name="surveys_one_participation")]

    def __str__(self) -> str:
        return f"{self.questionnaire_id}/{self.user_id}"


class AnonymousDraft(models.Model):
    """A draft of an anonymous questionnaire: kept apart from the responses, under a random id, and deleted (then
    vacuumed) when it is sent, so that no row ever holds both a person and the response they sent.

    It has the attributes of a draft ``Response`` that the answering pages read (``draft``, ``page``,
    ``participant``, ``entered_by``, ``is_test``, ``is_submitted``); its only date is the day it was last saved."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="anonymous_drafts")
    participant = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    session_key = models.CharField(max_length=64, blank=True, db_index=True)
    draft = models.JSONField(default=dict, blank=True)
    page = models.PositiveSmallIntegerField(default=0)
    day = models.DateField(default=timezone.localdate)

    is_test = False
    is_submitted = False
    submitted_at = None

    class Meta:
        verbose_name = _("brouillon de réponse anonyme")
        verbose_name_plural = _("brouillons de réponses anonymes")

    def __str__(self) -> str:
        return str(self.pk)

    @property
    def updated_at(self) -> datetime.date:
        """The day it was last saved (what a draft response calls ``updated_at``)."""
        return self.day


class StagedResponse(StagedEntry):
    """A response to an anonymous questionnaire waiting for the mixer (``participe.anonymity.mixing``): written with
    the participation, it holds no person, no time, no reference to them. No index but its questionnaire's."""

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="+")
    answers = models.JSONField(default=list)  # the future ``Answer`` rows (``answers.AnswerRow`` as JSON)
    territory = models.ForeignKey(
        "organisation.Territory", null=True, blank=True, db_index=False, on_delete=models.SET_NULL, related_name="+"
    )
    receipt = models.UUIDField()

    class Meta:
        verbose_name = _("réponse anonyme en attente")
        verbose_name_plural = _("réponses anonymes en attente")


class Tally(models.Model):
    """How many submitted responses chose ``choice`` (in matrix ``row``), per territory of the respondent.

    ``key`` is ``"<choice or 0>:<row or 0>:<scale value or 0>:<territory or 0>"`` (no NULL in the unique key, so that concurrent
    submissions create the row once). Scale answers are counted with ``choice`` null and ``value`` set.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="tallies")
    key = models.CharField(max_length=64)
    choice = models.ForeignKey(Choice, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    row = models.ForeignKey(MatrixRow, null=True, blank=True, on_delete=models.CASCADE, related_name="+")
    value = models.IntegerField(null=True, blank=True)  # scale
    territory = models.ForeignKey(
        "organisation.Territory", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    count = models.PositiveIntegerField(default=0)
    rank_sum = models.PositiveBigIntegerField(default=0)  # ranking: sum of ranks, for the mean rank

    class Meta:
        verbose_name = _("décompte")
        verbose_name_plural = _("décomptes")
        constraints = [models.UniqueConstraint(fields=["question", "key"], name="surveys_one_tally_per_key")]

    def __str__(self) -> str:
        return f"{self.question_id}/{self.key}: {self.count}"


def export_file_path(instance: ExportJob, filename: str) -> str:
    return f"exports/surveys/{uuid.uuid4().hex}/{filename}"


class ExportJob(models.Model):
    class Format(models.TextChoices):
        CSV = "csv", "CSV"
        JSON = "json", "JSON"

    class Status(models.TextChoices):
        PENDING = "pending", _("en attente")
        RUNNING = "running", _("en cours")
        DONE = "done", _("terminé")
        FAILED = "failed", _("échec")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="exports")
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    format = models.CharField(max_length=10, choices=Format.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    total = models.PositiveIntegerField(default=0)
    done = models.PositiveIntegerField(default=0)
    file = models.FileField(upload_to=export_file_path, max_length=255, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("export de questionnaire")
        verbose_name_plural = _("exports de questionnaires")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.questionnaire_id} {self.format} {self.status}"

    @property
    def percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        return int(self.done * 100 / self.total) if self.total else 0

    def get_download_url(self) -> str:
        return reverse("backoffice:surveys:export_download", kwargs={"pk": self.pk})
