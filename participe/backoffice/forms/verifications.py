"""Census upload, verification at the counter, accounts created by agents."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.choices import BaseChoiceIterator
from django.utils.translation import gettext_lazy as _

from participe.accounts.models import User
from participe.backoffice.forms.base import DateInput
from participe.core.sanitize import single_line
from participe.organisation.models import Territory
from participe.organisation.selectors import territory_tree
from participe.verifications.forms import BirthDateField

MAX_CENSUS_BYTES = 50 * 1024 * 1024


class _TerritoryTreeChoices(BaseChoiceIterator):
    """The territory tree as select choices, computed each time they are iterated (Django keeps it lazy)."""

    def __iter__(self) -> Any:
        yield ("", str(_("— Non précisé —")))
        for territory, depth in territory_tree():
            yield (territory.pk, f"{'— ' * depth}{territory.name}")


class TerritoryChoiceField(forms.ModelChoiceField):  # type: ignore[type-arg]
    """A territory select showing the tree (sub-territories indented)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Territoire de résidence"))
        super().__init__(queryset=Territory.objects.all(), **kwargs)

    # Read when the form is rendered, never at import time (the table may not exist yet).
    @property  # type: ignore[override]
    def choices(self) -> Any:
        return _TerritoryTreeChoices()

    @choices.setter
    def choices(self, value: Any) -> None:
        pass


class CensusUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier du recensement (CSV)"),
        help_text=_(
            "Colonnes : nom ; prenom ; date_naissance ; territoire (facultatif : code, identifiant ou nom). "
            "Séparateur « ; » ou « , », encodage UTF-8 ou Latin-1. Le nouveau fichier remplace le précédent."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
    valid_until = forms.DateField(
        label=_("Valable jusqu'au"),
        required=False,
        widget=DateInput(),
        help_text=_("Facultatif. Après cette date, les vérifications obtenues par ce fichier expirent."),
    )

    def clean_file(self) -> Any:
        upload = self.cleaned_data["file"]
        if not upload.name.lower().endswith((".csv", ".txt")):
            raise ValidationError(_("Envoyez un fichier CSV (extension .csv)."))
        if upload.size > MAX_CENSUS_BYTES:
            raise ValidationError(_("Ce fichier est trop lourd (50 Mo au plus)."))
        return upload


class CounterVerifyForm(forms.Form):
    territory = TerritoryChoiceField(required=False)
    birth_date = BirthDateField(
        required=False, help_text=_("D'après la pièce d'identité présentée. Au format jj/mm/aaaa.")
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "Par exemple : « carte d'identité et facture d'électricité vues ». Ne recopiez aucun numéro de pièce."
        ),
    )


class RevokeForm(forms.Form):
    reason = forms.CharField(label=_("Motif"), required=False, max_length=500, widget=forms.Textarea(attrs={"rows": 2}))


class ManagedAccountForm(forms.Form):
    first_name = forms.CharField(label=_("Prénom"), max_length=150)
    last_name = forms.CharField(label=_("Nom"), max_length=150)
    territory = TerritoryChoiceField(required=False)
    birth_date = BirthDateField(required=False)
    phone = forms.CharField(
        label=_("Téléphone"), max_length=40, required=False, widget=forms.TextInput(attrs={"type": "tel"})
    )
    pseudonym = forms.CharField(
        label=_("Pseudonyme"),
        max_length=60,
        required=False,
        help_text=_("Le nom sous lequel ses contributions seront publiées. Laissez vide pour en tirer un au hasard."),
    )

    def clean_pseudonym(self) -> str:
        pseudonym: str = single_line(self.cleaned_data["pseudonym"])  # no bidirectional controls
        if pseudonym and User.objects.filter(pseudonym__iexact=pseudonym).exists():
            raise ValidationError(_("Ce pseudonyme est déjà pris : choisissez-en un autre."))
        return pseudonym
