from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.accounts.forms import validate_pseudonym_free
from participe.accounts.models import generate_pseudonym
from participe.core.sanitize import single_line


class FranceConnectSignupForm(forms.Form):
    """The two things FranceConnect does not say: the public name, and the acceptance of the terms (what the ordinary
    sign-up asks too)."""

    pseudonym = forms.CharField(
        label=_("Pseudonyme"),
        max_length=60,
        help_text=_("Vos contributions seront publiées sous ce nom. Vous pouvez rester anonyme."),
    )
    accept_terms = forms.BooleanField(
        label=_("J'ai lu la politique de données personnelles et j'accepte les conditions d'utilisation"),
        required=True,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not self.is_bound:
            self.initial.setdefault("pseudonym", generate_pseudonym())

    def clean_pseudonym(self) -> str:
        value = single_line(self.cleaned_data["pseudonym"])
        validate_pseudonym_free(value)
        return value
