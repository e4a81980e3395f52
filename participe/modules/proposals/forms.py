"""Forms of the proposals module. ``ProposalSettingsForm`` is stored as JSON on the module (``Module.settings``)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.db.models import QuerySet
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from participe.assignments.forms import assignment_delay_field
from participe.attachments import files
from participe.core.widgets import RICH_TEXT_HELP, RichTextarea
from participe.organisation.models import Territory, Theme
from participe.spaces.models import Module
from participe.spaces.selectors import themes_of
from participe.supports.forms import supports_limit_field


class ProposalSettingsForm(forms.Form):
    """A phase may override any of them. Who may submit and support (verified residents of a territory, an age) is
    an eligibility rule on the actions "déposer" and "soutenir", set in the back-office like for any module."""

    # The name the supports app reads (participe.supports.selectors.supports_limit).
    supports_limit = supports_limit_field(initial=0)
    support_threshold = forms.IntegerField(
        label=_("Seuil de soutiens"),
        required=False,
        min_value=1,
        initial=None,
        help_text=_(
            "Une proposition qui atteint ce nombre de soutiens est « retenue pour analyse ». Vide : aucun seuil."
        ),
    )
    location_required = forms.BooleanField(
        label=_("Localisation obligatoire"),
        required=False,
        initial=False,
        help_text=_("Chaque proposition doit être placée sur la carte (cartographie participative)."),
    )
    theme_required = forms.BooleanField(label=_("Thème obligatoire"), required=False, initial=False)
    moderation_a_priori = forms.BooleanField(
        label=_("Modération a priori"),
        required=False,
        initial=False,
        help_text=_(
            "Chaque proposition et chaque commentaire attend la validation d'un modérateur avant d'être publié. "
            "Sans cette case, ils sont publiés aussitôt et modérés après signalement."
        ),
    )
    # The name the assignments app reads: a proposal given to a service is due within this delay.
    assignment_delay = assignment_delay_field(initial=30)
    open_data = forms.BooleanField(
        label=_("Propositions en données ouvertes"),
        required=False,
        initial=False,
        help_text=_(
            "Les exports publics (CSV, JSON, GeoJSON) des propositions publiées sont proposés sous licence ouverte."
        ),
    )


def themes_for(module: Module) -> QuerySet[Theme]:
    """The organisation's themes, narrowed to the space's own when it names some (``spaces.selectors.themes_of``)."""
    return themes_of(module.space)


def territories_for(module: Module) -> QuerySet[Territory]:
    """The space's territories and everything under them, else every territory."""
    roots = list(module.space.territories.all())
    if not roots:
        return Territory.objects.all()
    ids: set[int] = set()
    for root in roots:
        ids |= root.descendant_ids()
    return Territory.objects.filter(pk__in=ids)


class ProposalForm(forms.Form):
    """What a resident writes. Location: an address, and a point (latitude, longitude) placed on the map with
    JavaScript or typed in. Files are optional; more can be added from the proposal's edit page."""

    title = forms.CharField(
        label=_("Titre de votre proposition"),
        max_length=200,
        help_text=_(
            "Une phrase qui dit ce que vous proposez, par exemple « Installer des bancs à l'ombre place du Marché »."
        ),
    )
    body = forms.CharField(
        label=_("Description"),
        required=False,
        max_length=settings.PARTICIPE_TEXT_MAX_LENGTH,
        widget=RichTextarea(attrs={"rows": 10}),
        help_text=format_lazy(
            "{} {}", _("Le constat, ce que vous proposez, pour qui, et où si cela concerne un lieu."), RICH_TEXT_HELP
        ),
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"), queryset=Theme.objects.none(), required=False, empty_label=_("— Choisir un thème —")
    )
    territory = forms.ModelChoiceField(
        label=_("Quartier ou territoire concerné"),
        queryset=Territory.objects.none(),
        required=False,
        empty_label=_("— Toute la commune, ou je ne sais pas —"),
    )
    address = forms.CharField(
        label=_("Adresse ou lieu"),
        max_length=255,
        required=False,
        help_text=_("Par exemple « 12 rue des Lilas » ou « devant l'école Jules-Ferry »."),
        widget=forms.TextInput(attrs={"autocomplete": "street-address"}),
    )
    latitude = forms.DecimalField(
        label=_("Latitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-90,
        max_value=90,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-map-latitude": ""}),
        help_text=_("En degrés décimaux, par exemple 48.856613."),
    )
    longitude = forms.DecimalField(
        label=_("Longitude"),
        required=False,
        max_digits=9,
        decimal_places=6,
        min_value=-180,
        max_value=180,
        localize=False,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "data-map-longitude": ""}),
        help_text=_("En degrés décimaux, par exemple 2.352222."),
    )
    image = forms.FileField(label=_("Une image (facultatif)"), required=False)
    image_alt = forms.CharField(
        label=_("Ce que montre l'image"),
        max_length=200,
        required=False,
        help_text=_("Obligatoire avec une image : décrivez-la pour les personnes qui ne la voient pas."),
    )
    document = forms.FileField(label=_("Un document (facultatif)"), required=False)
    document_title = forms.CharField(
        label=_("Titre du document"), max_length=200, required=False, help_text=_("Sinon, le nom du fichier.")
    )

    FIELDS = ("title", "body", "theme", "territory", "address", "latitude", "longitude")

    def __init__(self, *args: Any, module: Module, with_files: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        values = module.effective_settings(module.current_phase())
        self.fields["theme"].queryset = themes_for(module)  # type: ignore[attr-defined]
        self.fields["territory"].queryset = territories_for(module)  # type: ignore[attr-defined]
        if values.get("theme_required"):
            self.fields["theme"].required = True
        if values.get("location_required"):
            self.fields["address"].help_text = _(
                "Obligatoire : indiquez une adresse ou un lieu, ou placez un point sur la carte."
            )
        if not with_files:
            for name in ("image", "image_alt", "document", "document_title"):
                del self.fields[name]
        else:
            self.fields["image"].widget.attrs["accept"] = ",".join(f".{e}" for e in files.IMAGE_EXTENSIONS)
            self.fields["image"].help_text = _(
                "JPEG, PNG, WebP ou GIF jusqu'à %(mb)s Mo. Les données de localisation des photos sont retirées."
            ) % {"mb": files.limit_mb(files.IMAGE)}
            self.fields["document"].help_text = _(
                "PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, CSV ou texte jusqu'à %(mb)s Mo."
            ) % {"mb": files.limit_mb(files.DOCUMENT)}
            self.fields["document"].widget.attrs["accept"] = ",".join(f".{e}" for e in files.DOCUMENT_EXTENSIONS)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if (data.get("latitude") is None) != (data.get("longitude") is None) and not self.has_error("latitude"):
            self.add_error("latitude", _("Donnez la latitude et la longitude, ou aucune des deux."))
        if data.get("image") and not (data.get("image_alt") or "").strip():
            self.add_error("image_alt", _("Décrivez l'image : ce texte la remplace pour qui ne la voit pas."))
        return data

    def proposal_data(self) -> dict[str, Any]:
        """The fields the services take."""
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}

    def uploads(self) -> list[tuple[str, Any, str]]:
        """(field name, file, title) of the files sent with the form."""
        found = []
        if self.cleaned_data.get("image"):
            found.append(("image", self.cleaned_data["image"], self.cleaned_data.get("image_alt", "")))
        if self.cleaned_data.get("document"):
            found.append(("document", self.cleaned_data["document"], self.cleaned_data.get("document_title", "")))
        return found


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Pourquoi la retirez-vous ? (facultatif)"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Par exemple : « une proposition semblable existe déjà », « le problème est réglé »."),
    )
