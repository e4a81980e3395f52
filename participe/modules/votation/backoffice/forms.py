"""Back-office forms of a votation: the question and its election's settings, an option, the decision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import ServiceModelForm
from participe.ballots.models import Election
from participe.core.uploads import check_document
from participe.modules.votation.models import Option, Question

ELECTION_FIELDS = ("channels", "publish_receipts", "territory_results", "allow_blank")


class QuestionForm(ServiceModelForm):
    channels = forms.ChoiceField(label=_("Modes de vote"), choices=Election.Channels.choices)
    publish_receipts = forms.BooleanField(
        label=_("Publier chaque bulletin avec son code de reçu (vérifiable)"),
        required=False,
        help_text=Election._meta.get_field("publish_receipts").help_text,
    )
    territory_results = forms.BooleanField(
        label=_("Résultats par quartier"),
        required=False,
        help_text=Election._meta.get_field("territory_results").help_text,
    )
    allow_blank = forms.BooleanField(label=_("Vote blanc possible en ligne"), required=False, initial=True)

    class Meta:
        model = Question
        fields = ["text", "description", "kind", "min_choices", "max_choices", "electorate", "threshold"]

    def __init__(self, *args: Any, election: Election | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if election is not None:
            for name in ELECTION_FIELDS:
                self.fields[name].initial = getattr(election, name)

    def question_data(self) -> dict[str, Any]:
        return {k: v for k, v in self.service_data().items() if k not in ELECTION_FIELDS}

    def election_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in ELECTION_FIELDS}


class OptionForm(ServiceModelForm):
    image_fields = ("image",)

    class Meta:
        model = Option
        fields = ["title", "description", "image", "image_alt", "attachment", "attachment_title", "position"]

    def clean_attachment(self) -> Any:
        value = self.cleaned_data.get("attachment")
        if isinstance(value, UploadedFile):
            check_document(value)
        return value


class DecisionForm(forms.Form):
    status = forms.ChoiceField(label=_("Décision"), choices=[("", "—"), *Question.Decision.choices])
    text = forms.CharField(
        label=_("Argumentaire"),
        max_length=20_000,
        widget=forms.Textarea,
        help_text=_("Ce que la collectivité décide, et pourquoi : publié avec les résultats."),
    )

    def clean_status(self) -> str:
        value: str = self.cleaned_data["status"]
        if not value:
            raise ValidationError(_("Choisissez la décision de la collectivité."))
        return value
