import datetime

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class BirthDateField(forms.DateField):
    widget = forms.DateInput(attrs={"type": "date", "autocomplete": "bday"}, format="%Y-%m-%d")

    def __init__(self, **kwargs: object) -> None:
        kwargs.setdefault("input_formats", ["%Y-%m-%d", "%d/%m/%Y"])
        kwargs.setdefault("label", _("Date de naissance"))
        kwargs.setdefault("help_text", _("Au format jj/mm/aaaa, par exemple 14/07/1985."))
        super().__init__(**kwargs)  # type: ignore[arg-type]

    def validate(self, value: datetime.date | None) -> None:
        super().validate(value)
        if value and value > timezone.localdate():
            raise forms.ValidationError(_("La date de naissance ne peut pas être dans le futur."))


class CensusVerifyForm(forms.Form):
    last_name = forms.CharField(
        label=_("Nom de famille"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    first_name = forms.CharField(
        label=_("Prénom"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    birth_date = BirthDateField()
