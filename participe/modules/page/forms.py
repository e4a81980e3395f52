from django import forms
from django.utils.translation import gettext_lazy as _


class PageSettingsForm(forms.Form):
    show_in_timeline = forms.BooleanField(
        label=_("Afficher les étapes de cette page dans le calendrier de l'espace"), required=False, initial=True
    )


class PageBodyForm(forms.Form):
    body = forms.CharField(
        label=_("Contenu"),
        widget=forms.Textarea(attrs={"rows": 16}),
        required=False,
        help_text=_("Texte mis en forme (HTML simple : titres, paragraphes, listes, liens). Le reste est retiré."),
    )
