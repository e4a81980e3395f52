"""Back-office forms of a budget participatif: an envelope, a project, the CSV import, the retained proposals to
turn into projects, the services' answer, the rule of the tally."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import ServiceModelForm
from participe.ballots.models import Election
from participe.modules.budgets.models import Category, Envelope, Project
from participe.spaces.models import Module

MAX_CSV_BYTES = 2_000_000


class EnvelopeForm(ServiceModelForm):
    class Meta:
        model = Envelope
        fields = [
            "title",
            "description",
            "amount",
            "territory",
            "ballot_kind",
            "max_choices",
            "points",
            "max_points_per_project",
            "rank_points",
            "rule",
            "threshold",
            "tie_break_seed",
        ]


class ProjectForm(ServiceModelForm):
    image_fields = ("image",)

    class Meta:
        model = Project
        fields = [
            "envelope",
            "title",
            "description",
            "estimated_cost",
            "territory",
            "category",
            "address",
            "latitude",
            "longitude",
            "image",
            "image_alt",
        ]

    def __init__(self, *args: Any, module: Module, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["envelope"].queryset = Envelope.objects.filter(module=module)  # type: ignore[attr-defined]
        self.fields["category"].queryset = Category.objects.filter(envelope__module=module)  # type: ignore[attr-defined]


class CsvForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_(
            "Colonnes : titre, description, enveloppe, cout, quartier, categorie, adresse, latitude, longitude "
            "(séparées par « ; » ou « , », encodage UTF-8). Rien n'est importé tant qu'une ligne est fausse."
        ),
    )

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CSV_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 2 Mo."))
        try:
            return str(upload.read().decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Le fichier n'est pas en UTF-8 : enregistrez-le en « CSV UTF-8 ».")) from None


class CandidatesForm(forms.Form):
    envelope = forms.ModelChoiceField(label=_("Enveloppe des nouveaux projets"), queryset=Envelope.objects.none())
    origins = forms.MultipleChoiceField(
        label=_("Propositions retenues"), widget=forms.CheckboxSelectMultiple, required=True
    )

    def __init__(self, *args: Any, module: Module, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["envelope"].queryset = Envelope.objects.filter(module=module)  # type: ignore[attr-defined]
        self.fields["origins"].choices = choices  # type: ignore[attr-defined]


class AnswerForm(forms.Form):
    feasibility = forms.ChoiceField(
        label=_("Avis de faisabilité"), choices=[(v, label) for v, label in Project.Feasibility.choices if v]
    )
    answer = forms.CharField(label=_("Réponse argumentée"), widget=forms.Textarea(attrs={"rows": 5}), max_length=10_000)
    cost = forms.IntegerField(
        label=_("Coût chiffré par le service (€)"),
        required=False,
        min_value=1,
        help_text=_("Vide : le coût estimé ne change pas."),
    )
    merged_into = forms.ModelChoiceField(label=_("Fusionné avec"), queryset=Project.objects.none(), required=False)

    def __init__(self, *args: Any, module: Module, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = Project.objects.filter(module=module)  # type: ignore[attr-defined]


class OpenVoteForm(forms.Form):
    channels = forms.ChoiceField(
        label=_("Modes de vote"), choices=Election.Channels.choices, initial=Election.Channels.BOTH
    )


class TallyForm(forms.Form):
    rule = forms.ChoiceField(label=_("Règle de dépouillement"), choices=Envelope.Rule.choices)
