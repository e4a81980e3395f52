"""The ballot as a form: radio buttons (single choice, yes/no), check boxes (multiple choice) or one rank per option
(ranking), and the blank vote; the schema decides what is valid, and its messages go next to the fields."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from participe.ballots.services import checked_content
from participe.modules.votation.models import Question
from participe.modules.votation.schema import options_of

MAX_BALLOT_BYTES = 10_000


class BallotForm(forms.Form):
    """A ballot for ``question``. ``content()`` is what the ballot service receives."""

    def __init__(self, *args: Any, question: Question, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.question = question
        self.options = options_of(question)
        self.ranking = question.kind == Question.Kind.RANKING
        choices = [(str(o.pk), o.title) for o in self.options]
        if self.ranking:
            ranks = [("", _("non classé"))] + [(str(n), str(n)) for n in range(1, len(self.options) + 1)]
            for option in self.options:
                self.fields[f"rang_{option.pk}"] = forms.ChoiceField(
                    label=_("Rang de %(option)s") % {"option": option.title}, choices=ranks, required=False
                )
        elif question.kind == Question.Kind.MULTIPLE:
            self.fields["choix"] = forms.MultipleChoiceField(
                label=question.text, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
            )
        else:
            self.fields["choix"] = forms.ChoiceField(
                label=question.text, choices=choices, required=False, widget=forms.RadioSelect
            )
        if question.election is not None and question.election.allow_blank:
            self.fields["blanc"] = forms.BooleanField(
                label=_("Je vote blanc"),
                required=False,
                help_text=_("Un vote blanc est compté à part : il ne choisit aucune option."),
            )
        self.ballot_errors: list[str] = []

    @property
    def rank_fields(self) -> list[forms.BoundField]:
        return [self[f"rang_{o.pk}"] for o in self.options] if self.ranking else []

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        if self.ranking:
            return {"ranks": {str(o.pk): int(data[f"rang_{o.pk}"]) for o in self.options if data.get(f"rang_{o.pk}")}}
        chosen = data.get("choix") or []
        chosen = chosen if isinstance(chosen, list) else [chosen]
        return {"choices": [int(c) for c in chosen]}

    @property
    def blank(self) -> bool:
        return bool(self.cleaned_data.get("blanc"))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors or self.question.election is None:
            return cleaned
        try:
            self.normalised = checked_content(self.question.election, self.content(), blank=self.blank)
        except ValidationError as error:
            self.show(error)
        return cleaned

    def show(self, error: ValidationError) -> None:
        """The schema's refusal next to the question: its messages, on the choices field or the ranking."""
        messages = (
            [m for ms in error.message_dict.values() for m in ms] if hasattr(error, "error_dict") else error.messages
        )
        self.ballot_errors = messages
        if "choix" in self.fields:
            self.add_error("choix", messages)
        else:
            self.add_error(None, messages)


def initial_from(question: Question, content: dict[str, Any] | None, blank: bool) -> dict[str, Any]:
    """Form values from a ballot's content (to change one's ballot after the review)."""
    initial: dict[str, Any] = {"blanc": blank}
    content = content or {}
    if question.kind == Question.Kind.RANKING:
        for place, option in enumerate(content.get("ranking", []), start=1):
            initial[f"rang_{option}"] = str(place)
        for option, place in (content.get("ranks") or {}).items():
            initial[f"rang_{option}"] = str(place)
    elif question.kind == Question.Kind.MULTIPLE:
        initial["choix"] = [str(c) for c in content.get("choices", [])]
    elif content.get("choices"):
        initial["choix"] = str(content["choices"][0])
    return initial


def read_ballot(raw: str) -> dict[str, Any] | None:
    """The reviewed ballot carried in the confirmation form (JSON), or None when it is not one."""
    if len(raw) > MAX_BALLOT_BYTES:
        return None
    try:
        value = json.loads(raw)
    except ValueError:
        return None
    return value if isinstance(value, dict) else None
