"""Back-office forms of the ballot service: a polling station, a voter at the station, a batch of paper ballots."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from participe.accounts.models import User
from participe.accounts.selectors import user_by_identifier
from participe.backoffice.forms.base import DateInput
from participe.ballots.models import PollingStation
from participe.organisation.models import Territory


class StationForm(forms.ModelForm):  # type: ignore[type-arg]
    agents = forms.ModelMultipleChoiceField(
        label=_("Agents du bureau"),
        queryset=User.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Ils émargent les électeurs et saisissent les bulletins de ce bureau."),
    )

    class Meta:
        model = PollingStation
        fields = ["name", "place", "opening_hours", "territory"]

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        staff = Q(services__isnull=False) | Q(is_org_admin=True) | Q(space_memberships__role__in=["admin", "moderator"])
        self.fields["agents"].queryset = User.objects.filter(staff, is_active=True).distinct().order_by("pseudonym")
        if self.instance.pk:
            self.fields["agents"].initial = list(self.instance.agents.values_list("pk", flat=True))


class VoterForm(forms.Form):
    """The person in front of the agent: found in the census by name and birth date, checked on documents, or by
    their account."""

    last_name = forms.CharField(label=_("Nom"), max_length=150, required=False)
    first_name = forms.CharField(label=_("Prénom"), max_length=150, required=False)
    birth_date = forms.DateField(label=_("Date de naissance"), required=False, widget=DateInput())
    documents = forms.BooleanField(
        label=_("Identité et domicile vérifiés sur pièces (personne absente du recensement)"), required=False
    )
    territory = forms.ModelChoiceField(
        label=_("Quartier de résidence (vérifié sur pièces)"), queryset=Territory.objects.all(), required=False
    )
    account = forms.CharField(
        label=_("Ou son compte : adresse électronique ou pseudonyme"), max_length=254, required=False
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        account = (cleaned.get("account") or "").strip()
        if account:
            cleaned["user"] = user_by_identifier(account)
            if cleaned["user"] is None:
                self.add_error("account", _("Aucun compte n'a cette adresse électronique ou ce pseudonyme."))
            return cleaned
        for name in ("last_name", "first_name", "birth_date"):
            if not cleaned.get(name):
                self.add_error(name, _("Indiquez le nom, le prénom et la date de naissance, ou le compte."))
        return cleaned


def split_codes(text: str) -> list[str]:
    """The codes of a batch as typed: one ballot per line (or separated by spaces or semicolons)."""
    return [code for code in re.split(r"[\s;]+", text.strip()) if code]


class BatchForm(forms.Form):
    number = forms.IntegerField(label=_("Numéro du lot"), min_value=1)
    declared_count = forms.IntegerField(
        label=_("Nombre de bulletins du lot"), min_value=1, help_text=_("Compté avant la saisie.")
    )
    codes = forms.CharField(
        label=_("Bulletins"),
        max_length=100_000,
        widget=forms.Textarea(attrs={"rows": 12, "autocomplete": "off", "spellcheck": "false", "inputmode": "text"}),
        help_text=_(
            "Un bulletin par ligne (ou séparés par des espaces) : le code de l'option, B pour blanc, X pour nul."
        ),
    )

    def clean_codes(self) -> list[str]:
        codes = split_codes(self.cleaned_data["codes"])
        if not codes:
            raise ValidationError(_("Saisissez les bulletins du lot."))
        return codes


class AnnulForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif de l'annulation"),
        max_length=2000,
        widget=forms.Textarea,
        help_text=_("Il sera publié sur la page du scrutin."),
    )
