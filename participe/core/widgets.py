"""Form widgets shared by the platform and the modules."""

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

RICH_TEXT_HELP = _(
    "Mise en forme possible : intertitres, gras, italique, listes, liens, tableaux. "
    'Sans JavaScript, utilisez les balises HTML <h2>, <strong>, <em>, <ul><li>, <a href="…">.'
)


class RichTextarea(forms.Textarea):
    """A textarea for sanitised HTML; participe.js adds a formatting toolbar when JavaScript runs."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 12, "data-rich-text": "", **(attrs or {})})
