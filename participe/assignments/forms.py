"""Forms of routing to services: the module setting of the expected delay, giving items to a service, a note, the
filters of the queue."""

from __future__ import annotations

import datetime
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from participe.assignments.selectors import ALL, DONE, OPEN, QueueFilters
from participe.backoffice.forms.base import DateInput
from participe.organisation.models import Service

MAX_NOTE_LENGTH = 5000
MAX_DELAY_DAYS = 3650


def assignment_delay_field(initial: int | None = 30) -> forms.IntegerField:
    """The module setting ``assignment_delay`` read when an item is given to a service: add it to a module's
    ``settings_form`` (``assignment_delay = assignment_delay_field(initial=30)``)."""
    return forms.IntegerField(
        label=_("Délai de traitement par les services (jours)"),
        help_text=_(
            "Un élément confié à un service doit être traité dans ce délai ; au-delà, il est marqué « en retard ». "
            "Vide ou 0 : pas d'échéance, sauf celle que l'agent indique."
        ),
        min_value=0,
        max_value=MAX_DELAY_DAYS,
        initial=initial,
        required=False,
    )


def end_of_day(day: datetime.date | None) -> datetime.datetime | None:
    """A due date chosen as a day is due at the end of that day, local time."""
    if day is None:
        return None
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(23, 59, 59)))


class AssignForm(forms.Form):
    """Give one item, or those ticked in a list, to a service; an optional due date and why."""

    service = forms.ModelChoiceField(
        label=_("Service chargé"),
        required=False,
        queryset=Service.objects.order_by("name"),
        empty_label=_("— Aucun service —"),
        help_text=_("Les agents du service reçoivent une notification et le trouvent dans leur file d'attente."),
    )
    due_on = forms.DateField(
        label=_("Échéance (facultatif)"),
        required=False,
        widget=DateInput(),
        help_text=_("Vide : le délai de traitement du module à partir d'aujourd'hui."),
    )
    reason = forms.CharField(
        label=_("Motif (facultatif)"),
        required=False,
        max_length=1000,
        help_text=_("Pourquoi ce service, ou pourquoi il change : gardé dans l'historique du routage."),
    )

    def __init__(self, *args: Any, service_label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if service_label:
            self.fields["service"].label = service_label

    def clean_due_on(self) -> Any:
        day = self.cleaned_data.get("due_on")
        if day is not None and day < timezone.localdate():
            raise forms.ValidationError(_("L'échéance ne peut pas être dans le passé."))
        return day

    def assignment_data(self) -> dict[str, Any]:
        """The keyword arguments of ``services.assign_many`` (but the actor and the items)."""
        data = self.cleaned_data
        return {
            "service": data.get("service"),
            "due_at": end_of_day(data.get("due_on")),
            "reason": data.get("reason") or "",
        }


class NoteForm(forms.Form):
    body = forms.CharField(
        label=_("Nouvelle note interne"),
        max_length=MAX_NOTE_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Visible des seuls agents : jamais publiée ni exportée."),
    )


class QueueFilterForm(forms.Form):
    """The filters of the queue (GET); a bad value is left out, the others apply."""

    service = forms.ModelChoiceField(label=_("Service"), required=False, queryset=None, empty_label=_("Tous"))
    module = forms.ModelChoiceField(label=_("Module"), required=False, queryset=None, empty_label=_("Tous"))
    statut = forms.ChoiceField(
        label=_("État"),
        required=False,
        choices=[(OPEN, _("À traiter")), (DONE, _("Traités")), (ALL, _("Tous"))],
    )
    retard = forms.BooleanField(label=_("Seulement les éléments en retard"), required=False)
    age = forms.TypedChoiceField(
        label=_("Confiés depuis"),
        required=False,
        coerce=int,
        empty_value=None,
        choices=[
            ("", _("Peu importe")),
            (7, _("Plus d'une semaine")),
            (30, _("Plus d'un mois")),
            (90, _("Plus de trois mois")),
        ],
    )

    def __init__(self, data: Any = None, *, services: Any, modules: Any) -> None:
        super().__init__(data)
        self.fields["service"].queryset = services  # type: ignore[attr-defined]
        self.fields["module"].queryset = modules  # type: ignore[attr-defined]
        self.fields["module"].label_from_instance = _module_label  # type: ignore[attr-defined]

    def filters(self) -> QueueFilters:
        self.is_valid()  # fields in error are left out of cleaned_data
        data = self.cleaned_data
        return QueueFilters(
            service=getattr(data.get("service"), "pk", None),
            module=getattr(data.get("module"), "pk", None),
            status=data.get("statut") or OPEN,
            overdue=bool(data.get("retard")),
            older_than_days=data.get("age") or None,
        )


def _module_label(module: Any) -> str:
    return f"{module.title} ({module.space.title})"
