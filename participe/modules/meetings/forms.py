"""Forms of the public pages: registering (the meeting's questions) and the agenda's filters."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.modules.meetings.models import Meeting
from participe.modules.meetings.services.registrations import MAX_ANSWER
from participe.organisation.models import Territory, Theme


class RegistrationForm(forms.Form):
    """One optional text field per question of the meeting (the answers only its organisers read)."""

    answer_help = _("Facultatif. Seuls les organisateurs liront votre réponse.")

    def __init__(self, *args: Any, meeting: Meeting, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.questions = meeting.question_list()
        for index, question in enumerate(self.questions):
            self.fields[f"q{index}"] = forms.CharField(
                label=question, required=False, max_length=MAX_ANSWER, help_text=self.answer_help
            )

    def answers(self) -> dict[str, str]:
        return {q: self.cleaned_data.get(f"q{i}", "") for i, q in enumerate(self.questions)}


class AgendaFilterForm(forms.Form):
    """The agenda's filters; a bad value is ignored with a message beside its field, the rest still applies."""

    territoire = forms.ModelChoiceField(
        label=_("Territoire"),
        queryset=Territory.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("Tous les territoires"),
    )
    theme = forms.ModelChoiceField(
        label=_("Thème"),
        queryset=Theme.objects.order_by("name"),
        required=False,
        to_field_name="slug",
        empty_label=_("Tous les thèmes"),
    )
    type = forms.ChoiceField(
        label=_("Type de réunion"), choices=[("", _("Tous les types")), *Meeting.Kind.choices], required=False
    )
    jour = forms.DateField(label=_("Jour"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    # The agenda of one space (the link under a space's meetings), kept while filtering.
    demarche = forms.SlugField(required=False, max_length=120, widget=forms.HiddenInput)


def month_of(value: str | None, today: datetime.date) -> tuple[int, int]:
    """``AAAA-MM`` as (year, month); the current month for anything else."""
    try:
        year, month = (int(part) for part in (value or "").split("-"))
        datetime.date(year, month, 1)
    except (TypeError, ValueError):
        return today.year, today.month
    if not 2000 <= year <= 2100:
        return today.year, today.month
    return year, month
