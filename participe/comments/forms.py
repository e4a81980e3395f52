"""Input of the comment forms (the services validate again; these give errors next to the fields)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.comments.models import Stance
from participe.comments.services import max_length


class CommentForm(forms.Form):
    """A top-level comment (with a stance) or, with ``reply=True``, a reply (without one)."""

    body = forms.CharField(
        label=_("Votre commentaire"),
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Texte simple ; les retours à la ligne sont conservés."),
    )
    stance = forms.ChoiceField(
        label=_("Votre position"),
        choices=Stance.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choisissez votre position : favorable, neutre ou défavorable.")},
    )
    as_official = forms.BooleanField(label="", required=False)

    def __init__(self, *args: Any, reply: bool = False, official: tuple[str, str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].max_length = max_length()
        self.fields["body"].widget.attrs["maxlength"] = max_length()
        self.fields["body"].error_messages["required"] = _("Écrivez votre commentaire.")
        if reply:
            del self.fields["stance"]
            self.fields["body"].label = _("Votre réponse")
        if official is None:
            del self.fields["as_official"]
        else:
            role, label = official
            self.fields["as_official"].label = (
                _("Publier en tant qu'élu")
                if role == "elected"
                else _("Publier au nom du service : %(name)s") % {"name": label}
            )


class CommentEditForm(CommentForm):
    def __init__(self, *args: Any, reply: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, reply=reply, official=None, **kwargs)
