"""Input of the bilan's back-office page: what the agents write and choose."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.restitution.models import Bilan, Section


class BilanForm(forms.ModelForm):  # type: ignore[type-arg]
    sections = forms.MultipleChoiceField(
        label=_("Parties affichées"),
        choices=Section.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Décochez une partie pour la retirer de la page, du PDF et du document à modifier."),
    )

    class Meta:
        model = Bilan
        fields = ["introduction", "decisions", "sections"]
        labels = {"introduction": _("Introduction"), "decisions": _("Décisions prises")}
        help_texts = {
            "introduction": _("Ce que la démarche cherchait, comment elle s'est déroulée : quelques paragraphes."),
            "decisions": _("Ce que la collectivité a décidé à l'issue de la démarche, et pourquoi."),
        }

    def values(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"introduction": data["introduction"], "decisions": data["decisions"], "sections": data["sections"]}
