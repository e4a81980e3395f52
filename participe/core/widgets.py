"""Form widgets shared by the platform and the modules."""

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

RICH_TEXT_HELP = _(
    "Mise en forme possible : intertitres, gras, italique, listes, liens, tableaux. "
    'Sans JavaScript, utilisez les balises HTML <h2>, <strong>, <em>, <ul><li>, <a href="…">.'
)


class RichTextarea(forms.Textarea):
    """A textarea for sanitised HTML; participe.js adds a formatting toolbar when JavaScript runs."""

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 12, "data-rich-text": "", **(attrs or {})})


def limit_length(field: forms.Field, max_length: int) -> None:
    """Give a text field of a form built from a model ``max_length`` (validated, kept to by the browser with
    ``maxlength``, said beside the field by ``{% field %}``) when its model column has none (a TEXT)."""
    if not isinstance(field, forms.CharField) or field.max_length:
        return
    field.max_length = max_length
    field.validators.append(MaxLengthValidator(max_length))
    if not field.widget.is_hidden:
        field.widget.attrs["maxlength"] = str(max_length)
