"""Forms of the notifications app: preferences and the message to followers."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.accounts.models import User
from participe.core.registry import registry
from participe.notifications.models import NotificationPreference
from participe.spaces.models import Module, Space


class PreferencesForm(forms.Form):
    """The email rhythm, then for each declared event: on the site, by email."""

    email_frequency = forms.ChoiceField(
        label=_("Recevoir les notifications par courriel"),
        choices=User.EmailFrequency.choices,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["email_frequency"].initial = user.email_frequency
        saved = {p.event: p for p in NotificationPreference.objects.filter(user=user)}
        self.events: list[dict[str, Any]] = []
        for event in sorted(registry.events(), key=lambda e: str(e.name)):
            preference = saved.get(event.key)
            in_app = f"{event.key}__in_app"
            email = f"{event.key}__email"
            self.fields[in_app] = forms.BooleanField(
                label=_("Sur le site"), required=False, initial=preference.in_app if preference else True
            )
            self.fields[email] = forms.BooleanField(
                label=_("Par courriel"), required=False, initial=preference.email if preference else True
            )
            self.events.append({"event": event, "in_app": self[in_app], "email": self[email]})

    def event_choices(self) -> dict[str, tuple[bool, bool]]:
        return {
            row["event"].key: (
                bool(self.cleaned_data.get(f"{row['event'].key}__in_app")),
                bool(self.cleaned_data.get(f"{row['event'].key}__email")),
            )
            for row in self.events
        }


def _module_label(module: Module) -> str:
    return _("Les abonnés du module « %(title)s »") % {"title": module.title}


class FollowerMessageForm(forms.Form):
    """The message an agent writes to the followers of a space or of one of its modules."""

    module = forms.ModelChoiceField(
        label=_("Destinataires"),
        queryset=Module.objects.none(),
        required=False,
        empty_label=_("Les abonnés de toute la démarche"),
        help_text=_("Choisissez un module pour n'écrire qu'à ses abonnés et à ceux de la démarche."),
    )
    subject = forms.CharField(label=_("Objet"), max_length=200)
    body = forms.CharField(
        label=_("Message"),
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=20000,
        help_text=_("Texte simple : laissez une ligne vide entre deux paragraphes. Les adresses web restent lisibles."),
    )

    def __init__(self, *args: Any, space: Space, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["module"].queryset = space.modules.all()  # type: ignore[attr-defined]
        module_field: Any = self.fields["module"]
        module_field.label_from_instance = _module_label

    def clean_subject(self) -> str:
        return " ".join(self.cleaned_data["subject"].split())

    def clean_body(self) -> str:
        body = self.cleaned_data["body"].strip()
        if not body:
            raise forms.ValidationError(_("Écrivez le message."))
        return body
