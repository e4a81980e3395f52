"""The collectivité running the platform, its territories, themes and services."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sites.models import Site
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from participe.core.models import RichTextField, TimeStampedModel

hex_colour = RegexValidator(r"^#[0-9a-fA-F]{6}$", _("Indiquez une couleur au format #RRVVBB, par exemple #1d4ed8."))


class Organisation(TimeStampedModel):
    """One per deployment (pk=1): name, identity, contact and legal pages."""

    class Conformity(models.TextChoices):
        TOTAL = "totale", _("totalement conforme")
        PARTIAL = "partielle", _("partiellement conforme")
        NONE = "non", _("non conforme")

    name = models.CharField(_("nom"), max_length=200, default="Ma collectivité")
    short_description = models.CharField(_("accroche"), max_length=300, blank=True)
    # French grammar from data: the name after « de » and « à », as the organisation writes them.
    name_of = models.CharField(
        _("le nom après « de »"),
        max_length=220,
        blank=True,
        help_text=_(
            "Par exemple « de la Ville de Lumerac », « du Grand Lumerac », « d'Agen ». Vide : « de » et le nom."
        ),
    )
    name_in = models.CharField(
        _("le nom après « à »"),
        max_length=220,
        blank=True,
        help_text=_(
            "Par exemple « à Lumerac », « dans la métropole de Lumerac », « au Mans ». Vide : « à » et le nom."
        ),
    )
    # Where every map opens when no territory has a boundary (decision 0022).
    map_latitude = models.DecimalField(
        _("latitude du centre des cartes"), max_digits=8, decimal_places=6, null=True, blank=True
    )
    map_longitude = models.DecimalField(
        _("longitude du centre des cartes"), max_digits=9, decimal_places=6, null=True, blank=True
    )
    map_zoom = models.PositiveSmallIntegerField(
        _("niveau de zoom des cartes"),
        null=True,
        blank=True,
        help_text=_("De 1 (le monde) à 18 (la rue) ; 13 pour une ville."),
    )
    logo = models.ImageField(_("logo"), upload_to="organisation/", blank=True)
    primary_colour = models.CharField(_("couleur principale"), max_length=7, default="#1d4ed8", validators=[hex_colour])
    secondary_colour = models.CharField(
        _("couleur secondaire"), max_length=7, default="#0f766e", validators=[hex_colour]
    )
    contact_email = models.EmailField(_("adresse de contact"), blank=True)
    contact_phone = models.CharField(_("téléphone"), max_length=40, blank=True)
    contact_address = models.TextField(_("adresse postale"), blank=True)
    website = models.URLField(_("site internet"), blank=True)
    social_links = models.JSONField(_("réseaux sociaux"), default=list, blank=True)
    legal_notice = RichTextField(_("mentions légales"), blank=True)
    privacy_policy = RichTextField(_("données personnelles"), blank=True)
    # Déclaration d'accessibilité (RGAA 4.1).
    a11y_conformity = models.CharField(
        _("état de conformité"), max_length=10, choices=Conformity.choices, default=Conformity.PARTIAL
    )
    a11y_rate = models.PositiveSmallIntegerField(_("taux de conformité (%)"), null=True, blank=True)
    a11y_test_results = RichTextField(_("résultats des tests"), blank=True)
    a11y_non_accessible = RichTextField(_("contenus non accessibles"), blank=True)
    a11y_established_on = models.DateField(_("déclaration établie le"), null=True, blank=True)
    a11y_technologies = models.CharField(
        _("technologies utilisées"), max_length=300, default="HTML5, CSS, JavaScript (facultatif)", blank=True
    )
    a11y_audit_tools = models.CharField(_("outils d'évaluation"), max_length=300, blank=True)
    a11y_sample_pages = RichTextField(_("pages ayant fait l'objet de la vérification"), blank=True)
    a11y_contact = models.TextField(_("retour d'information et contact"), blank=True)

    class Meta:
        verbose_name = _("organisation")

    def __str__(self) -> str:
        return self.name

    @property
    def of_phrase(self) -> str:
        """« de la Ville de Lumerac »: the name after « de » (« la vie de la Ville de Lumerac »). In another language,
        the name alone: its translation of the sentence carries its own preposition (« the life of %(of)s »)."""
        if not _french():
            return self.name
        return self.name_of or _elide("de", self.name)

    @property
    def in_phrase(self) -> str:
        """« à Lumerac »: the name after « à » (« la participation à Lumerac »); the name alone in another language."""
        if not _french():
            return self.name
        return self.name_in or f"à {self.name}"

    @classmethod
    def get(cls) -> Organisation:
        """The organisation; until an administrator first saves it, its defaults, unsaved (a GET writes nothing)."""
        return cls.objects.filter(pk=1).first() or cls(pk=1)

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        sync_site(self.name)


def _french() -> bool:
    return (get_language() or "fr").split("-")[0] == "fr"


def _elide(preposition: str, name: str) -> str:
    """« de Lumerac », « d'Agen »: the default when the organisation has not written its own."""
    if name[:1].lower() in "aeiouyâàéèêîôû":  # not h: « de Hautmont »
        return f"{preposition[0]}'{name}"
    return f"{preposition} {name}"


def sync_site(name: str | None = None) -> None:
    """Keep django.contrib.sites (used in account emails) in step with SITE_URL and the organisation's name."""
    domain = urlsplit(settings.SITE_URL).netloc or "localhost"
    defaults = {"domain": domain}
    if name:
        defaults["name"] = name
    Site.objects.update_or_create(pk=settings.SITE_ID, defaults=defaults)
    Site.objects.clear_cache()


# The age brackets and genders of the population figures (the statistics count the participants in the same ones).
POPULATION_BRACKETS: list[tuple[str, int, int, Any]] = [
    ("16-24", 16, 24, _("16 à 24 ans")),
    ("25-39", 25, 39, _("25 à 39 ans")),
    ("40-54", 40, 54, _("40 à 54 ans")),
    ("55-64", 55, 64, _("55 à 64 ans")),
    ("65+", 65, 200, _("65 ans et plus")),
]
POPULATION_GENDERS: list[tuple[str, Any]] = [("female", _("femmes")), ("male", _("hommes"))]


class Territory(TimeStampedModel):
    """A node of the territory tree (métropole > commune > quartier)."""

    name = models.CharField(_("nom"), max_length=200)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    kind = models.CharField(_("type"), max_length=50, blank=True, help_text=_("Par exemple : commune, quartier."))
    code = models.CharField(_("code"), max_length=20, blank=True, help_text=_("Code INSEE ou code interne."))
    parent = models.ForeignKey(
        "self",
        verbose_name=_("territoire parent"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
    )
    boundary = models.JSONField(_("contour (GeoJSON)"), null=True, blank=True)
    # The number of inhabitants (INSEE census): the bilan of a démarche compares who took part with it.
    population = models.PositiveIntegerField(
        _("population"),
        null=True,
        blank=True,
        help_text=_("Facultatif. Nombre d'habitants (recensement), pour mesurer la représentativité des participants."),
    )
    # The inhabitants by age bracket and by gender (INSEE census), as entered by the agents: ``{"ages": {"16-24":
    # n, …}, "genders": {"female": n, "male": n}}`` (keys of POPULATION_BRACKETS and POPULATION_GENDERS). The
    # statistics compare the participants with them (docs/statistics.md).
    population_detail = models.JSONField(_("population par âge et par genre"), default=dict, blank=True)

    class Meta:
        verbose_name = _("territoire")
        verbose_name_plural = _("territoires")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": _("Un territoire ne peut pas être inclus dans lui-même.")})
            ancestor = ancestor.parent
        if self.boundary is not None:
            validate_geojson(self.boundary)

    def ancestors(self) -> list[Territory]:
        chain = []
        node = self.parent
        while node is not None:
            chain.append(node)
            node = node.parent
        return chain

    def descendant_ids(self) -> set[int]:
        """Ids of this territory and everything under it (the tree is small: a few hundred nodes)."""
        return descendant_ids_of([self.pk])


def descendant_ids_of(roots: Iterable[int]) -> set[int]:
    """Ids of these territories and of everything under them, from one read of the tree."""
    children: dict[int | None, list[int]] = {}
    for pk, parent_id in Territory.objects.values_list("pk", "parent_id"):
        children.setdefault(parent_id, []).append(pk)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        pk = stack.pop()
        if pk in found:
            continue
        found.add(pk)
        stack.extend(children.get(pk, []))
    return found


GEOJSON_TYPES = {"Polygon", "MultiPolygon", "Feature", "FeatureCollection"}


def validate_geojson(value: object) -> None:
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except json.JSONDecodeError as exc:
            raise ValidationError({"boundary": _("Ce contour n'est pas du JSON valide : %(e)s") % {"e": exc}}) from None
    if not isinstance(value, dict) or value.get("type") not in GEOJSON_TYPES:
        raise ValidationError(
            {
                "boundary": _(
                    "Le contour doit être un objet GeoJSON de type Polygon, MultiPolygon, Feature ou FeatureCollection."
                )
            }
        )


class Theme(TimeStampedModel):
    """A theme (catégorie) used to classify spaces and contributions."""

    name = models.CharField(_("nom"), max_length=100)
    slug = models.SlugField(_("identifiant"), max_length=100, unique=True)
    description = models.TextField(_("description"), blank=True)
    position = models.PositiveSmallIntegerField(_("ordre"), default=0)

    class Meta:
        verbose_name = _("thème")
        verbose_name_plural = _("thèmes")
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Service(TimeStampedModel):
    """A department of the collectivité (voirie, espaces verts…); its members are agents."""

    name = models.CharField(_("nom"), max_length=200, unique=True)
    email = models.EmailField(_("adresse du service"), blank=True)
    members = models.ManyToManyField(
        settings.AUTH_USER_MODEL, verbose_name=_("agents"), blank=True, related_name="services"
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
