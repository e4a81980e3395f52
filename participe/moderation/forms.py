"""Forms of moderation: reporting a content, the moderators' decisions, the queue's filters."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from participe.moderation.models import Reason
from participe.moderation.services import NOTE_MAX_LENGTH


class ReportForm(forms.Form):
    reason = forms.ChoiceField(
        label=_("Pourquoi signalez-vous ce contenu ?"),
        choices=Reason.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez le motif du signalement.")},
    )
    details = forms.CharField(
        label=_("Précisions (facultatif)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Obligatoire si vous choisissez « Autre raison ». N'indiquez pas de données personnelles."),
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        if data.get("reason") == Reason.OTHER and not (data.get("details") or "").strip():
            self.add_error("details", _("Précisez ce qui pose problème dans ce contenu."))
        return data


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de la décision"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("Enregistré dans le journal d'audit et transmis à l'auteur."),
        error_messages={"required": _("Indiquez le motif de la décision : il est enregistré et transmis à l'auteur.")},
    )


class BlockForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Affiché à la personne concernée et enregistré dans le journal d'audit."),
        error_messages={"required": _("Indiquez le motif : il est affiché à la personne et enregistré.")},
    )


class EditFormattingForm(forms.Form):
    field = forms.ChoiceField(label=_("Champ à corriger"))
    new_value = forms.CharField(
        label=_("Nouveau texte"),
        required=False,
        max_length=settings.PARTICIPE_RICH_TEXT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 10}),
    )
    note = forms.CharField(
        label=_("Note affichée avec le contenu"),
        max_length=NOTE_MAX_LENGTH,
        help_text=_(
            "Par exemple : « données personnelles retirées ». Elle sera affichée : « Modifié par la modération : … »."
        ),
        error_messages={"required": _("Expliquez la modification : la note est affichée avec le contenu.")},
    )

    def __init__(self, *args: Any, fields: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["field"].choices = fields
        if len(fields) == 1:
            self.fields["field"].widget = forms.HiddenInput()


class QueueFilterForm(forms.Form):
    statut = forms.ChoiceField(
        label=_("Statut"),
        required=False,
        choices=[
            ("a-traiter", _("À traiter")),
            ("signales", _("Signalés")),
            ("masques", _("Masqués")),
            ("en-attente", _("En attente de publication")),
            ("traites", _("Traités")),
            ("tous", _("Tous")),
        ],
    )
    espace = forms.ModelChoiceField(label=_("Espace"), required=False, queryset=None, empty_label=_("Tous les espaces"))
    motif = forms.ChoiceField(label=_("Motif"), required=False, choices=[("", _("Tous les motifs")), *Reason.choices])

    def __init__(self, *args: Any, spaces: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["espace"].queryset = spaces  # type: ignore[attr-defined]

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"status": "a-traiter"}
        space = self.cleaned_data.get("espace")
        return {
            "status": self.cleaned_data.get("statut") or "a-traiter",
            "space_id": space.pk if space else None,
            "reason": self.cleaned_data.get("motif") or "",
        }
