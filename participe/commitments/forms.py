"""Input of the commitments' pages: the follow-up's filters, and the back-office's forms."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.commitments import selectors
from participe.commitments.models import Commitment, Status
from participe.organisation.models import Service, Territory
from participe.spaces.models import Space


class FollowUpFilterForm(forms.Form):
    """The filters of « Suivi des engagements » (French parameter names: they are in the page's address)."""

    demarche = forms.ModelChoiceField(
        label=_("Démarche"),
        queryset=Space.objects.none(),
        required=False,
        empty_label=_("Toutes"),
        to_field_name="slug",
    )
    statut = forms.ChoiceField(label=_("Statut"), required=False)
    service = forms.ModelChoiceField(
        label=_("Service chargé"), queryset=Service.objects.order_by("name"), required=False, empty_label=_("Tous")
    )
    territoire = forms.ModelChoiceField(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        required=False,
        empty_label=_("Tous"),
        to_field_name="slug",
    )
    retard = forms.BooleanField(label=_("En retard seulement"), required=False)

    def __init__(self, *args: Any, user: Any, space: Space | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.space = space
        if space is not None:
            del self.fields["demarche"]
        else:
            self.fields["demarche"].queryset = selectors.spaces_with_commitments(user)  # type: ignore[attr-defined]
        self.fields["statut"].choices = [("", _("Tous")), *Status.choices]  # type: ignore[attr-defined]

    def filters(self) -> selectors.Filters:
        """The filters asked for; a wrong value (an unknown démarche) filters on nothing rather than failing."""
        data = self.cleaned_data if self.is_valid() else {}
        service = data.get("service")
        territory = data.get("territoire")
        return selectors.Filters(
            space=self.space or data.get("demarche"),
            status=data.get("statut") or "",
            service_id=service.pk if service else None,
            territory_id=territory.pk if territory else None,
            overdue=bool(data.get("retard")),
        )


class CommitmentForm(forms.ModelForm):
    """A commitment's fields in the back-office (its status is set with a step)."""

    budget = forms.CharField(
        label=_("Budget (€)"),
        required=False,
        max_length=30,
        help_text=_("En euros, par exemple 12500 ou 12 500,50."),
    )

    class Meta:
        model = Commitment
        fields = ["title", "description", "service", "territory", "planned_date", "budget", "reference", "is_published"]
        widgets = {"planned_date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}
        help_texts = {
            "reference": _("La référence de la collectivité (plan pluriannuel, marché…) : l'import CSV s'en sert."),
            "is_published": _("Un engagement non publié n'est visible que des gestionnaires et du service chargé."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.budget is not None and not self.is_bound:
            self.initial["budget"] = str(self.instance.budget).replace(".", ",")

    def _post_clean(self) -> None:
        """The service validates (and writes): the model's own validation would read ``budget`` as a number."""

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.Meta.fields}


class CreateForm(CommitmentForm):
    status = forms.ChoiceField(label=_("Statut"), choices=Status.choices, initial=Status.STUDY)
    progress = forms.IntegerField(label=_("Avancement (%)"), min_value=0, max_value=100, initial=0)


class UpdateForm(forms.Form):
    """A step: its text, date, optionally a new status (with a reason when abandoned), a progress, a photo."""

    text = forms.CharField(label=_("Ce qui a avancé"), widget=forms.Textarea(attrs={"rows": 4}), max_length=10_000)
    date = forms.DateField(
        label=_("Date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("Aujourd'hui si vide."),
    )
    status = forms.ChoiceField(label=_("Nouveau statut"), required=False)
    status_reason = forms.CharField(
        label=_("Motif de l'abandon"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2_000,
        help_text=_("Obligatoire pour un engagement abandonné."),
    )
    progress = forms.IntegerField(label=_("Avancement (%)"), min_value=0, max_value=100, required=False)
    photo = forms.FileField(label=_("Photo"), required=False, help_text=_("JPEG, PNG ou WebP."))
    photo_title = forms.CharField(
        label=_("Texte alternatif de la photo"),
        required=False,
        max_length=200,
        help_text=_("Décrivez ce que montre la photo."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("Inchangé")), *Status.choices]  # type: ignore[attr-defined]


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV"),
        help_text=_("UTF-8, séparateur virgule ou point-virgule, une ligne d'en-tête : voir les colonnes ci-dessous."),
    )
