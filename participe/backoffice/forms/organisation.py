"""Organisation settings, territories and themes (the departments, the Service model, are in ``departments.py``)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import DateInput, ServiceModelForm
from participe.core.colours import WHITE, contrast_ratio
from participe.organisation.models import (
    POPULATION_BRACKETS,
    POPULATION_GENDERS,
    Organisation,
    Territory,
    Theme,
    hex_colour,
    validate_geojson,
)
from participe.organisation.selectors import territory_tree

MIN_CONTRAST = 4.5


class HttpsURLField(forms.URLField):
    """An address typed without a scheme is taken as https://."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("assume_scheme", "https")
        super().__init__(**kwargs)


class OrganisationForm(ServiceModelForm):
    image_fields = ("logo",)
    social_links_text = forms.CharField(
        label=_("Réseaux sociaux"),
        max_length=2000,
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Un lien par ligne, sous la forme « Nom | adresse », par exemple : Mastodon | https://mastodon.example/@ville"
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "short_description",
            "name_of",
            "name_in",
            "map_latitude",
            "map_longitude",
            "map_zoom",
            "logo",
            "primary_colour",
            "secondary_colour",
            "contact_email",
            "contact_phone",
            "contact_address",
            "website",
            "legal_notice",
            "privacy_policy",
            "a11y_conformity",
            "a11y_rate",
            "a11y_test_results",
            "a11y_non_accessible",
            "a11y_established_on",
            "a11y_technologies",
            "a11y_audit_tools",
            "a11y_sample_pages",
            "a11y_contact",
        ]
        field_classes = {"website": HttpsURLField}
        localized_fields = ("map_latitude", "map_longitude")  # « 45,7640 » as French writes it, or « 45.7640 »
        widgets = {
            "contact_address": forms.Textarea(attrs={"rows": 3}),
            "a11y_established_on": DateInput(),
            "a11y_contact": forms.Textarea(attrs={"rows": 3}),
        }
        help_texts = {
            "primary_colour": _(
                "Au format #RRVVBB. Le texte blanc posé sur cette couleur doit rester lisible (contraste d'au moins 4,5:1)."
            ),
            "secondary_colour": _("Au format #RRVVBB, par exemple #0f766e."),
            "logo": _("Image PNG ou JPEG, carrée de préférence ; elle est réenregistrée sans ses métadonnées."),
            "a11y_rate": _("Pourcentage des critères du RGAA respectés, de 0 à 100, d'après le dernier audit."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        links = self.instance.social_links or []
        self.fields["social_links_text"].initial = "\n".join(
            f"{link.get('name', '')} | {link.get('url', '')}" for link in links if isinstance(link, dict)
        )
        self.fields["a11y_rate"].widget.attrs.update({"min": 0, "max": 100})
        for name in ("primary_colour", "secondary_colour"):
            self.fields[name].widget.attrs.update({"pattern": "#[0-9a-fA-F]{6}", "spellcheck": "false"})

    def clean_primary_colour(self) -> str:
        return self._readable_with_white(self.cleaned_data["primary_colour"])

    def clean_secondary_colour(self) -> str:
        # The second colour marks icons and official answers, and carries white text on pressed buttons.
        return self._readable_with_white(self.cleaned_data["secondary_colour"])

    @staticmethod
    def _readable_with_white(value: str) -> str:
        hex_colour(value)
        ratio = contrast_ratio(value, WHITE)
        if ratio < MIN_CONTRAST:
            raise ValidationError(
                _(
                    "Le texte blanc sur cette couleur n'a qu'un contraste de %(ratio)s:1 ; il faut au moins 4,5:1 "
                    "pour qu'il reste lisible (RGAA, critère 3.2). Choisissez une couleur plus foncée."
                )
                % {"ratio": f"{ratio:.1f}".replace(".", ",")},
                code="contrast",
            )
        return value.lower()

    def clean(self) -> dict[str, Any]:
        cleaned: dict[str, Any] = super().clean() or {}
        latitude, longitude = cleaned.get("map_latitude"), cleaned.get("map_longitude")
        if latitude is not None and not -90 <= latitude <= 90:
            self.add_error("map_latitude", _("Une latitude est comprise entre -90 et 90, par exemple 45,7640."))
        if longitude is not None and not -180 <= longitude <= 180:
            self.add_error("map_longitude", _("Une longitude est comprise entre -180 et 180, par exemple 4,8357."))
        if (latitude is None) != (longitude is None):
            missing = "map_longitude" if longitude is None else "map_latitude"
            self.add_error(missing, _("Indiquez la latitude et la longitude du centre, ou aucune des deux."))
        zoom = cleaned.get("map_zoom")
        if zoom is not None and not 1 <= zoom <= 18:
            self.add_error("map_zoom", _("Un niveau de zoom va de 1 (le monde) à 18 (la rue)."))
        return cleaned

    def clean_a11y_rate(self) -> int | None:
        value: int | None = self.cleaned_data.get("a11y_rate")
        if value is not None and value > 100:
            raise ValidationError(_("Un taux de conformité est compris entre 0 et 100 %."))
        return value

    def clean_social_links_text(self) -> list[dict[str, str]]:
        links = []
        validate_url = URLValidator(schemes=["http", "https"])
        for number, line in enumerate(self.cleaned_data["social_links_text"].splitlines(), start=1):
            if not line.strip():
                continue
            name, sep, url = line.partition("|")
            name, url = name.strip(), url.strip()
            try:
                validate_url(url)
            except ValidationError:
                raise ValidationError(
                    _("Ligne %(n)s : écrivez « Nom | adresse », avec une adresse commençant par https://.")
                    % {"n": number}
                ) from None
            if not sep or not name:
                raise ValidationError(_("Ligne %(n)s : il manque le nom du réseau avant « | ».") % {"n": number})
            links.append({"name": name, "url": url})
        return links

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data["social_links"] = data.pop("social_links_text")
        return data


class TerritoryForm(ServiceModelForm):
    boundary_text = forms.CharField(
        label=_("Contour (GeoJSON)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6, "spellcheck": "false"}),
        help_text=_("Facultatif. Un objet GeoJSON de type Polygon, MultiPolygon, Feature ou FeatureCollection."),
    )
    boundary_file = forms.FileField(
        label=_("…ou fichier GeoJSON"),
        required=False,
        help_text=_("Un fichier .geojson ou .json ; il remplace le texte ci-dessus."),
        widget=forms.ClearableFileInput(attrs={"accept": ".geojson,.json,application/geo+json,application/json"}),
    )

    class Meta:
        model = Territory
        fields = ["name", "kind", "code", "parent", "slug", "population"]
        help_texts = {"slug": _("Facultatif : calculé à partir du nom. Lettres minuscules, chiffres et tirets.")}

    # One field per age bracket and gender of the population (``Territory.population_detail``).
    detail_fields = [("ages", key, f"population_{key.replace('-', '_').replace('+', '_plus')}", label)
                     for key, _low, _high, label in POPULATION_BRACKETS] + [
        ("genders", key, f"population_{key}", label) for key, label in POPULATION_GENDERS
    ]  # fmt: skip

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        tree = territory_tree(exclude=self.instance if self.instance.pk else None)
        self.fields["parent"].choices = [("", _("— Aucun (territoire de premier niveau) —"))] + [
            (t.pk, f"{'— ' * depth}{t.name}") for t, depth in tree
        ]
        if self.instance.boundary:
            self.fields["boundary_text"].initial = json.dumps(self.instance.boundary, ensure_ascii=False, indent=1)
        detail = self.instance.population_detail or {}
        for group, key, name, label in self.detail_fields:
            self.fields[name] = forms.IntegerField(
                label=_("Population : %(label)s") % {"label": label},
                required=False,
                min_value=0,
                max_value=100_000_000,
                initial=(detail.get(group) or {}).get(key),
                help_text=_("Facultatif. Habitants de cette tranche (recensement), pour la représentativité.")
                if group == "ages"
                else _("Facultatif. Habitants de ce genre (recensement), pour la représentativité."),
            )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        upload = cleaned.get("boundary_file")
        text = cleaned.get("boundary_text", "")
        if upload:
            try:
                text = upload.read(5 * 1024 * 1024).decode("utf-8-sig")
            except UnicodeDecodeError:
                self.add_error("boundary_file", _("Ce fichier n'est pas un texte UTF-8 : ce n'est pas du GeoJSON."))
                return cleaned
        detail: dict[str, dict[str, int]] = {}
        for group, key, name, _label in self.detail_fields:
            if cleaned.get(name) is not None:
                detail.setdefault(group, {})[key] = cleaned[name]
        cleaned["population_detail"] = detail
        target = "boundary_file" if upload else "boundary_text"
        cleaned["boundary"] = None
        if text and text.strip():
            try:
                validate_geojson(text)
            except ValidationError as exc:
                self.add_error(target, exc.message_dict.get("boundary", exc.messages))
            else:
                cleaned["boundary"] = json.loads(text)
        return cleaned

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        data.pop("boundary_text", None)
        data.pop("boundary_file", None)
        for _group, _key, name, _label in self.detail_fields:
            data.pop(name, None)
        return data


class ThemeForm(ServiceModelForm):
    class Meta:
        model = Theme
        fields = ["name", "description", "position", "slug"]
        widgets = {"description": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "slug": _("Facultatif : calculé à partir du nom."),
            "position": _("Les thèmes sont affichés du plus petit numéro au plus grand."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["slug"].required = False
        self.fields["position"].required = False

    def service_data(self) -> dict[str, Any]:
        data = super().service_data()
        if data.get("position") is None:
            data.pop("position", None)
        return data
