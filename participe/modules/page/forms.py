from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from participe.core.widgets import RICH_TEXT_HELP, RichTextarea


class PageSettingsForm(forms.Form):
    show_in_timeline = forms.BooleanField(
        label=_("Afficher les étapes de cette page dans le calendrier de l'espace"), required=False, initial=True
    )


class PageBodyForm(forms.Form):
    body = forms.CharField(
        label=_("Contenu"),
        max_length=settings.PARTICIPE_RICH_TEXT_MAX_LENGTH,
        widget=RichTextarea(attrs={"rows": 16, "data-rich-text": "headings"}),
        required=False,
        help_text=RICH_TEXT_HELP,
    )
