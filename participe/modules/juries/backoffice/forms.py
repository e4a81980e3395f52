"""Back-office forms of a jury."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import DateInput
from participe.modules.juries.models import Recommendation


class PanelForm(forms.Form):
    size = forms.IntegerField(label=_("Nombre de membres"), min_value=2, max_value=500)
    registration_open = forms.BooleanField(label=_("Inscriptions des volontaires ouvertes"), required=False)
    presentation = forms.CharField(
        label=_("Présentation"), widget=forms.Textarea(attrs={"rows": 3}), required=False, max_length=5000
    )


class FeatureForm(forms.Form):
    label = forms.CharField(label=_("Question posée aux volontaires"), max_length=120)
    values = forms.CharField(
        label=_("Réponses et quotas, une par ligne"),
        help_text=_(
            "« Femme ; 11 ; 13 » (minimum et maximum de membres) ou « Femme ; 51,6 % » (part de la "
            "population, INSEE : le quota en est tiré)."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=4000,
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des volontaires"),
        required=False,
        help_text=_("Une colonne par caractéristique (sa clé ou sa question) ; « nom » et « email » facultatifs."),
    )
    text = forms.CharField(widget=forms.HiddenInput, required=False, max_length=2_000_000)
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class CommitForm(forms.Form):
    source = forms.CharField(
        label=_("Source publique de hasard"),
        max_length=200,
        help_text=_("Nommez-la précisément : par exemple « Loto FDJ, numéros et numéro chance »."),
    )
    source_date = forms.DateField(
        label=_("Date de ce tirage public"),
        widget=DateInput(),
        initial=timezone.localdate,
    )


class SeedForm(forms.Form):
    seed = forms.CharField(
        label=_("Graine : le résultat de la source publique"),
        max_length=200,
        help_text=_("Des nombres séparés par des espaces, les groupes par « / » : « 4 12 23 35 47 / 8 »."),
    )


class RecommendationForm(forms.Form):
    title = forms.CharField(label=_("Recommandation"), max_length=200)
    text = forms.CharField(label=_("Texte du jury"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)


class AnswerForm(forms.Form):
    decision = forms.ChoiceField(label=_("Décision"), choices=Recommendation.Decision.choices[1:])
    answer = forms.CharField(label=_("Réponse argumentée"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)
    follow_up = forms.BooleanField(
        label=_("Suivre sa mise en œuvre comme un engagement public"), required=False, initial=True
    )


class RoomForm(forms.Form):
    welcome = forms.CharField(
        label=_("Mot d'accueil des membres"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affiché en haut de l'espace des membres (facultatif)."),
    )
