"""Back-office forms of meetings: the meeting, its cancellation, a registration by phone, the door's check-in, the
minutes, a contribution to link."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import DateTimeLocalField, ServiceModelForm
from participe.modules.meetings.forms import RegistrationForm
from participe.modules.meetings.models import Meeting
from participe.modules.meetings.services.meetings import EDITABLE


class MeetingForm(ServiceModelForm):
    start = DateTimeLocalField(label=_("Début"))
    end = DateTimeLocalField(label=_("Fin"))
    online_url = forms.URLField(
        label=_("Lien de la réunion en ligne"),
        max_length=500,
        required=False,
        assume_scheme="https",
        help_text=_("Montré aux seules personnes inscrites, 30 minutes avant le début (sans inscription : à tous)."),
    )

    class Meta:
        model = Meeting
        fields = list(EDITABLE)
        widgets = {"description": forms.Textarea(attrs={"rows": 6}), "questions": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [
            (Meeting.Status.DRAFT, Meeting.Status.DRAFT.label),
            (Meeting.Status.PUBLISHED, Meeting.Status.PUBLISHED.label),
        ]
        self.fields["capacity"].help_text = _("Laissez vide pour une réunion sans limite de places.")


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Les personnes inscrites le recevront."),
    )


class PhoneRegistrationForm(RegistrationForm):
    """The person who called, then the meeting's questions (as on the public page)."""

    answer_help = ""
    name = forms.CharField(label=_("Nom et prénom"), max_length=200)
    phone = forms.CharField(label=_("Téléphone"), max_length=30, required=False)
    email = forms.EmailField(label=_("Adresse électronique"), required=False)


class CheckInForm(forms.Form):
    code = forms.CharField(label=_("Code d'inscription"), max_length=20)


class MinutesForm(forms.Form):
    minutes = forms.CharField(
        label=_("Compte rendu"), required=False, max_length=50_000, widget=forms.Textarea(attrs={"rows": 12})
    )
    attendees_count = forms.IntegerField(
        label=_("Nombre de participants"), required=False, min_value=0, max_value=100_000
    )


class LinkForm(forms.Form):
    item = forms.CharField(widget=forms.HiddenInput, max_length=100)
