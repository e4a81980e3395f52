"""Participatory spaces (démarches and instances), their modules and the modules' phases."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.core.capabilities import Cap
from participe.core.models import RichTextField, TimeStampedModel
from participe.core.registry import ModuleManifest, registry

# The address of the organisation's permanent space (its organisation-wide modules are served at their own paths).
ORGANISATION_SPACE_SLUG = "collectivite"


class Space(TimeStampedModel):
    class Kind(models.TextChoices):
        PROCESS = "process", _("démarche")
        ASSEMBLY = "assembly", _("instance")
        # The permanent space of the organisation-wide modules (signalements, agenda…): one at most, never listed
        # with the démarches (decision 0010).
        ORGANISATION = "organisation", _("services permanents")

    class Status(models.TextChoices):
        DRAFT = "draft", _("brouillon")
        PUBLISHED = "published", _("publié")
        ARCHIVED = "archived", _("archivé")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        PRIVATE = "private", _("privé (membres seulement)")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.PROCESS)
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=120, unique=True)
    summary = models.CharField(
        _("résumé"), max_length=400, help_text=_("Une ou deux phrases, affichées dans les listes.")
    )
    description = RichTextField(_("description"), blank=True)
    hero_image = models.ImageField(_("image d'illustration"), upload_to="spaces/", blank=True)
    hero_image_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=200,
        blank=True,
        help_text=_("Laissez vide si l'image est décorative."),
    )
    # The picture's dimensions and its card and hero renditions (participe.core.pictures), written when it is saved.
    hero_image_sizes = models.JSONField(default=dict, blank=True, editable=False)
    territories = models.ManyToManyField("organisation.Territory", verbose_name=_("territoires"), blank=True)
    themes = models.ManyToManyField("organisation.Theme", verbose_name=_("thèmes"), blank=True)
    start_date = models.DateField(_("date de début"), null=True, blank=True)
    end_date = models.DateField(_("date de fin"), null=True, blank=True)
    status = models.CharField(_("statut"), max_length=10, choices=Status.choices, default=Status.DRAFT, db_index=True)
    visibility = models.CharField(_("visibilité"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC)
    published_at = models.DateTimeField(_("publié le"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("espace participatif")
        verbose_name_plural = _("espaces participatifs")
        ordering = ["-start_date", "-pk"]
        indexes = [models.Index(fields=["status", "visibility", "start_date"])]
        constraints = [
            models.UniqueConstraint(
                fields=["kind"], condition=models.Q(kind="organisation"), name="one_organisation_space"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("La date de fin doit suivre la date de début.")})

    def get_absolute_url(self) -> str:
        return reverse("spaces:detail", kwargs={"slug": self.slug})

    @property
    def is_public(self) -> bool:
        return self.visibility == self.Visibility.PUBLIC

    @property
    def is_published(self) -> bool:
        return self.status == self.Status.PUBLISHED

    def timing(self, today: Any = None) -> str:
        """ "upcoming", "ongoing" or "finished", from the space's dates."""
        today = today or timezone.localdate()
        if self.start_date and self.start_date > today:
            return "upcoming"
        if self.end_date and self.end_date < today:
            return "finished"
        return "ongoing"


class SpaceMembership(TimeStampedModel):
    """A user's role in one space."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("administrateur de l'espace")
        MODERATOR = "moderator", _("modérateur")
        MEMBER = "member", _("membre")

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="space_memberships")
    role = models.CharField(_("rôle"), max_length=10, choices=Role.choices, default=Role.MEMBER)

    class Meta:
        verbose_name = _("membre")
        constraints = [models.UniqueConstraint(fields=["space", "user", "role"], name="unique_space_role")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} — {self.space}"


class Module(TimeStampedModel):
    """A configured instance of a module type inside a space."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="modules")
    module_type = models.CharField(_("type de module"), max_length=50)
    title = models.CharField(_("titre"), max_length=200)
    slug = models.SlugField(_("adresse"), max_length=120)
    description = models.CharField(_("description courte"), max_length=400, blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)
    is_published = models.BooleanField(_("publié"), default=True)
    settings = models.JSONField(_("paramètres"), default=dict, blank=True)
    picture = models.ImageField(_("image"), upload_to="modules/", blank=True)
    picture_alt = models.CharField(
        _("texte alternatif de l'image"),
        max_length=200,
        blank=True,
        help_text=_("Obligatoire avec une image : décrivez ce qu'elle montre pour qui ne la voit pas."),
    )
    # The picture's dimensions and its card and hero renditions (participe.core.pictures), written when it is saved.
    picture_sizes = models.JSONField(default=dict, blank=True, editable=False)
    # The phase type the module was last seen running in ("" between phases): the platform runs the module's
    # ``phase_changed`` hook when it changes (participe.spaces.lifecycle).
    observed_phase = models.CharField(max_length=50, blank=True, default="", editable=False)

    class Meta:
        verbose_name = _("module")
        verbose_name_plural = _("modules")
        ordering = ["position", "pk"]
        constraints = [models.UniqueConstraint(fields=["space", "slug"], name="unique_module_slug_per_space")]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        if self.picture and not (self.picture_alt or "").strip():
            raise ValidationError(
                {"picture_alt": _("Décrivez l'image : ce texte la remplace pour qui ne la voit pas.")}
            )

    @property
    def manifest(self) -> ModuleManifest | None:
        return registry.get(self.module_type)

    def get_absolute_url(self) -> str:
        manifest = self.manifest
        if manifest is not None and manifest.is_organisation_wide and self.space.kind == Space.Kind.ORGANISATION:
            return reverse(f"organisation_module_{manifest.key}")
        return reverse("spaces:module", kwargs={"slug": self.space.slug, "module_slug": self.slug})

    def current_phase(self, now: Any = None) -> Phase | None:
        now = now or timezone.now()
        phases = getattr(self, "_prefetched_objects_cache", {}).get("phases")
        if phases is None:
            phases = self.phases.all()
        return next((p for p in phases if p.start <= now < p.end), None)

    def effective_settings(self, phase: Phase | None = None) -> dict[str, Any]:
        """Module settings: manifest defaults, then the module's values, then the phase's overrides."""
        values: dict[str, Any] = {}
        if self.manifest:
            values.update(self.manifest.default_settings())
        values.update(self.settings or {})
        if phase is not None:
            values.update(phase.settings_overrides or {})
        return values


class Phase(TimeStampedModel):
    """A time window of a module, of a phase type declared in the module's manifest."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="phases")
    phase_type = models.CharField(_("type d'étape"), max_length=50)
    name = models.CharField(_("nom"), max_length=200)
    description = models.TextField(_("description"), blank=True)
    start = models.DateTimeField(_("début"))
    end = models.DateTimeField(_("fin"))
    settings_overrides = models.JSONField(_("paramètres propres à l'étape"), default=dict, blank=True)

    class Meta:
        verbose_name = _("étape")
        verbose_name_plural = _("étapes")
        ordering = ["start", "pk"]
        indexes = [
            models.Index(fields=["module", "start", "end"]),
            # The home page's « ouvert en ce moment »: running phases read in the order they end, stopping at the
            # limit (issue #12); ``start`` in the index filters the phases not begun without reading their rows.
            models.Index(fields=["end", "start"], name="spaces_phase_end_start_idx"),
        ]
        constraints = [
            models.CheckConstraint(condition=models.Q(end__gt=models.F("start")), name="phase_end_after_start")
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if self.start and self.end and self.end <= self.start:
            raise ValidationError({"end": _("La fin de l'étape doit suivre son début.")})
        manifest = registry.get(self.module.module_type) if self.module_id else None
        if manifest and manifest.phase_type(self.phase_type) is None:
            raise ValidationError({"phase_type": _("Ce type d'étape n'existe pas pour ce module.")})
        if self.module_id and self.start and self.end:
            overlapping = Phase.objects.filter(module_id=self.module_id, start__lt=self.end, end__gt=self.start)
            if self.pk:
                overlapping = overlapping.exclude(pk=self.pk)
            if overlapping.exists():
                raise ValidationError(_("Cette étape chevauche une autre étape du même module."))

    @property
    def capabilities(self) -> frozenset[Cap]:
        manifest = registry.get(self.module.module_type)
        phase_type = manifest.phase_type(self.phase_type) if manifest else None
        return phase_type.capabilities if phase_type else frozenset()

    def is_active(self, now: Any = None) -> bool:
        now = now or timezone.now()
        return self.start <= now < self.end

    def timing(self, now: Any = None) -> str:
        now = now or timezone.now()
        if now < self.start:
            return "upcoming"
        if now >= self.end:
            return "finished"
        return "ongoing"


class SpaceDocument(TimeStampedModel):
    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="documents")
    title = models.CharField(_("titre"), max_length=200)
    file = models.FileField(_("fichier"), upload_to="documents/%Y/%m/")
    content_type = models.CharField(max_length=100, blank=True)
    size = models.PositiveBigIntegerField(default=0)

    class Meta:
        verbose_name = _("document")
        ordering = ["title"]

    def __str__(self) -> str:
        return self.title

    @property
    def extension(self) -> str:
        return self.file.name.rsplit(".", 1)[-1].upper() if "." in self.file.name else ""


class NewsPost(TimeStampedModel):
    """An "actualité" of a space."""

    space = models.ForeignKey(Space, on_delete=models.CASCADE, related_name="news")
    title = models.CharField(_("titre"), max_length=200)
    body = RichTextField(_("texte"))
    published_at = models.DateTimeField(_("publié le"), default=timezone.now, db_index=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("actualité")
        verbose_name_plural = _("actualités")
        ordering = ["-published_at"]

    def __str__(self) -> str:
        return self.title
