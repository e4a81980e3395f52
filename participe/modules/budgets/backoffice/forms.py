"""Back-office forms of a budget participatif: an envelope, a project, the CSV and Pabulib imports, the retained proposals to
turn into projects, the services' answer, the rule of the tally."""

from __future__ import annotations

import hashlib
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import ServiceModelForm
from participe.ballots.models import Election
from participe.modules.budgets.models import Category, Envelope, Project
from participe.modules.budgets.services.pabulib_import import MAX_BYTES
from participe.spaces.models import Module

MAX_CSV_BYTES = 2_000_000
MAX_PB_BYTES = MAX_BYTES


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

    categories = forms.CharField(
        label=_("Catégories et part minimale"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_(
            "Une catégorie par ligne : son nom, « ; », puis la part minimale de l'enveloppe qui lui est réservée, en % "
            "(0 : aucune). Par exemple « Nature et climat ; 20 ». Le dépouillement finance d'abord ces parts."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            shares = Category.objects.filter(envelope_id=self.instance.pk).values_list("name", "min_share")
            self.initial["categories"] = "\n".join(f"{name} ; {share}" for name, share in shares)

    def clean_categories(self) -> list[tuple[str, int]]:
        """Each line « name ; share » as (name, share in %); every wrong line is named."""
        found: list[tuple[str, int]] = []
        errors = []
        for number, line in enumerate(self.cleaned_data["categories"].splitlines(), start=1):
            if not line.strip():
                continue
            name, _sep, share = line.partition(";")
            share = share.strip().rstrip("%").strip() or "0"
            if not name.strip() or len(name.strip()) > 100 or not share.isdigit() or int(share) > 100:
                errors.append(
                    _("Ligne %(line)s : écrivez le nom (100 caractères au plus), « ; » et une part de 0 à 100.")
                    % {"line": number}
                )
                continue
            found.append((name.strip(), int(share)))
        if errors:
            raise forms.ValidationError(errors)
        return found


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


class PabulibForm(forms.Form):
    """A Pabulib file to import as an envelope; after a check that found bad ballot lines, the agent may confirm
    importing without them (for the same file: its SHA-256 is carried over)."""

    title = forms.CharField(
        label=_("Intitulé de l'enveloppe"),
        max_length=200,
        required=False,
        help_text=_("Vide : la description du fichier (META « description »)."),
    )
    file = forms.FileField(
        label=_("Fichier Pabulib (.pb)"),
        help_text=_(
            "Format ouvert de pabulib.org : sections META, PROJECTS et VOTES. 10 Mo au plus (au-delà : la commande "
            "budget_import). Rien n'est importé tant qu'une ligne est fausse, sauf si vous confirmez pour des "
            "bulletins."
        ),
    )
    confirm = forms.BooleanField(label=_("Importer sans les bulletins faux listés ci-dessus"), required=False)
    checked = forms.CharField(widget=forms.HiddenInput, required=False, max_length=64)

    def clean_file(self) -> str:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_PB_BYTES:
            raise forms.ValidationError(_("Le fichier dépasse 10 Mo : importez-le avec la commande budget_import."))
        data = upload.read()
        self.sha256 = hashlib.sha256(data).hexdigest()
        try:
            return str(data.decode("utf-8-sig"))
        except UnicodeDecodeError:
            raise forms.ValidationError(_("Le fichier n'est pas en UTF-8 : enregistrez-le en UTF-8.")) from None

    @property
    def confirmed(self) -> bool:
        """The agent confirmed, for this very file, importing without its bad ballot lines."""
        return bool(self.cleaned_data.get("confirm")) and self.cleaned_data.get("checked") == self.sha256


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
