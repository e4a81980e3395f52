"""The volunteers' form (one question per feature) and the invitation's answer."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from participe.modules.juries.models import Feature


class VolunteerForm(forms.Form):
    declaration = forms.BooleanField(
        label=_("J'habite le territoire de la collectivité et j'ai 16 ans ou plus."), required=True
    )
    name_public = forms.BooleanField(
        label=_("Si je suis tiré·e au sort et que j'accepte, mon nom peut être publié."), required=False
    )

    def __init__(self, *args: object, features: list[Feature], **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.features = features
        for feature in features:
            self.fields[f"f_{feature.key}"] = forms.ChoiceField(
                label=feature.label,
                choices=[(v.key, v.label) for v in feature.values.all()],
                widget=forms.RadioSelect,
            )
        self.order_fields([f"f_{f.key}" for f in features] + ["declaration", "name_public"])

    def profile(self) -> dict[str, str]:
        return {f.key: self.cleaned_data[f"f_{f.key}"] for f in self.features}


class InvitationForm(forms.Form):
    answer = forms.ChoiceField(choices=[("accept", _("J'accepte")), ("decline", _("Je décline"))])
    name_public = forms.BooleanField(label=_("Mon nom peut être publié parmi les membres du jury."), required=False)
