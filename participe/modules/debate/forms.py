"""Forms of the debate module: its settings, a subject, a synthesis."""

from __future__ import annotations

from typing import Any

from django import forms
from django.conf import settings
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _

from participe.backoffice.forms.base import ServiceModelForm
from participe.core.widgets import RICH_TEXT_HELP, RichTextarea
from participe.modules.debate.models import Subject


class DebateSettingsForm(forms.Form):
    """Stored as JSON on the module (``Module.settings``); a phase may override them."""

    moderation_a_priori = forms.BooleanField(
        label=_("Modération a priori des commentaires"),
        required=False,
        initial=False,
        help_text=_(
            "Chaque commentaire attend la validation d'un modérateur avant d'être publié. "
            "Sans cette case, les commentaires sont publiés aussitôt et modérés après signalement."
        ),
    )


class SubjectForm(ServiceModelForm):
    image_fields = ("image",)

    class Meta:
        model = Subject
        fields = ["title", "summary", "body", "image", "image_alt"]
        widgets = {"summary": forms.Textarea(attrs={"rows": 2})}
        help_texts = {
            "title": _("La question posée aux habitants, par exemple « Faut-il piétonniser la place le samedi ? »."),
            "image": _("Image PNG ou JPEG ; elle est réenregistrée sans ses métadonnées (lieu, appareil)."),
        }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["body"].widget = RichTextarea(attrs={"rows": 14, "data-rich-text": "headings"})
        self.fields["body"].help_text = RICH_TEXT_HELP


class SynthesisForm(forms.Form):
    synthesis = forms.CharField(
        label=_("Synthèse"),
        max_length=settings.PARTICIPE_RICH_TEXT_MAX_LENGTH,
        required=False,
        widget=RichTextarea(attrs={"rows": 16, "data-rich-text": "headings"}),
        help_text=format_lazy(
            "{} {}",
            _("Ce que la ville retient des contributions : arguments principaux, positions exprimées, suites données."),
            RICH_TEXT_HELP,
        ),
    )
