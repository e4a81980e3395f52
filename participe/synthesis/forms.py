"""Forms of the syntheses' back-office: input validation only (the services check the rest)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.spaces.models import Module, Space


class StartForm(forms.Form):
    space = forms.ModelChoiceField(label=_("Démarche"), queryset=Space.objects.none(), to_field_name="slug")
    title = forms.CharField(
        label=_("Titre de la synthèse"), max_length=200, help_text=_("Par exemple : Ce que vous nous avez dit")
    )

    module = forms.ModelChoiceField(
        label=_("Seulement le module"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=_("tous les modules de la démarche"),
        help_text=_("Laissez « tous les modules » pour synthétiser toute la démarche."),
    )
    imported = forms.BooleanField(
        label=_("Avec les contributions importées (registre papier, autre consultation)"), required=False, initial=True
    )

    def __init__(self, *args: Any, spaces: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if spaces is not None:
            self.fields["space"].queryset = spaces  # type: ignore[attr-defined]
            modules = Module.objects.filter(space__in=spaces).select_related("space").order_by("space__title", "pk")
            self.fields["module"].queryset = modules  # type: ignore[attr-defined]
            self.fields["module"].label_from_instance = lambda m: f"{m.space.title} — {m.title}"  # type: ignore[attr-defined]


class RenameForm(forms.Form):
    label = forms.CharField(label=_("Intitulé du thème"), max_length=120)


class TextForm(forms.Form):
    title = forms.CharField(label=_("Titre"), max_length=200)
    text = forms.CharField(
        label=_("Texte de la synthèse"),
        required=False,
        max_length=50_000,
        widget=forms.Textarea(attrs={"rows": 16}),
        help_text=_(
            "Séparez les paragraphes par une ligne vide. Insérez un thème avec [[theme:N]] et une citation avec "
            "[[citation:N]] : les numéros sont donnés à côté de chaque thème et de chaque contribution."
        ),
    )


class ImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV ou JSON"),
        help_text=_("UTF-8 ; colonnes id et text, et si vous les avez author, territory, date, question."),
    )
