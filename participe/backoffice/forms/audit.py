"""Filters of the audit log."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.utils.translation import gettext_lazy as _

from participe.activity.selectors import audit_action_prefixes, audit_target_types
from participe.backoffice.forms.base import DateInput


class AuditFilterForm(forms.Form):
    auteur = forms.CharField(
        label=_("Auteur"), required=False, max_length=100, help_text=_("Adresse électronique ou pseudonyme.")
    )
    action = forms.ChoiceField(label=_("Action"), required=False)
    objet = forms.ModelChoiceField(label=_("Type d'objet"), required=False, queryset=ContentType.objects.none())
    du = forms.DateField(label=_("Du"), required=False, widget=DateInput())
    au = forms.DateField(label=_("Au"), required=False, widget=DateInput())

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["action"].choices = [("", _("Toutes"))] + [(p, p) for p in audit_action_prefixes()]
        self.fields["objet"].queryset = audit_target_types()
        self.fields["objet"].empty_label = _("Tous")
        self.fields["objet"].label_from_instance = lambda ct: str(
            ct.model_class()._meta.verbose_name if ct.model_class() else ct.model
        )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        since, until = cleaned.get("du"), cleaned.get("au")
        if since and until and until < since:
            self.add_error("au", _("La date de fin doit suivre la date de début."))
        return cleaned

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "actor": data["auteur"].strip(),
            "action": data["action"],
            "target_type": data["objet"],
            "since": data["du"],
            "until": data["au"],
        }
