"""Form widgets shared by the platform and the modules."""

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from participe.core import pictures
from participe.core.richtext import html_to_text, text_to_html
from participe.core.sanitize import sanitize_html

RICH_TEXT_HELP = _(
    "Séparez les paragraphes par une ligne vide ; une ligne qui commence par « - » devient un élément de liste et "
    "une adresse web devient un lien."
)
# The hidden field beside a rich textarea that says what it sends: "text" as rendered (a plain textarea, text stays
# text), "html" once participe.js's editor has taken over.
FORMAT_SUFFIX = "__format"


class RichTextarea(forms.Textarea):
    """A description field that never shows HTML: participe.js turns it into a formatting editor (bold, lists,
    links) that sends HTML; without JavaScript it is a plain textarea of text, turned into paragraphs, lists and
    links (``participe.core.richtext``). Either way the form's value is HTML, sanitised when saved."""

    template_name = "core/widgets/rich_textarea.html"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__({"rows": 12, "data-rich-text": "", **(attrs or {})})

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        value = super().value_from_datadict(data, files, name)
        # A client that did not use our form (a script, an older page) sends no format: its HTML is sanitised
        # as before.
        if value is None or data.get(name + FORMAT_SUFFIX, "html") == "html":
            return value
        return text_to_html(value)

    def format_value(self, value: Any) -> str | None:
        return html_to_text(str(value)) if value else None

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["html"] = sanitize_html(str(value)) if value else ""
        context["widget"]["format_name"] = name + FORMAT_SUFFIX
        return context


def limit_length(field: forms.Field, max_length: int) -> None:
    """Give a text field of a form built from a model ``max_length`` (validated, kept to by the browser with
    ``maxlength``, said beside the field by ``{% field %}``) when its model column has none (a TEXT)."""
    if not isinstance(field, forms.CharField) or field.max_length:
        return
    field.max_length = max_length
    field.validators.append(MaxLengthValidator(max_length))
    if not field.widget.is_hidden:
        field.widget.attrs["maxlength"] = str(max_length)


KEPT_SUFFIX = "__kept"


class KeptImageInput(forms.ClearableFileInput):
    """An image input that remembers the picture chosen when its form came back with an error: the form carries the
    signed token of the picture kept on the server (``participe.core.pictures.keep``) and says so, and the picture
    is the field's value until another one is chosen (or the field is cleared)."""

    template_name = "core/widgets/kept_image.html"

    def value_from_datadict(self, data: Any, files: Any, name: str) -> Any:
        upload = super().value_from_datadict(data, files, name)
        token = data.get(name + KEPT_SUFFIX)
        if upload is None and token:  # nothing new chosen, nothing cleared
            cache: dict[str, Any] = self.__dict__.setdefault("_kept", {})
            if token not in cache:
                cache[token] = pictures.kept(str(token))
            return cache[token]
        return upload

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["kept"] = value if isinstance(value, pictures.KeptPicture) else None
        context["widget"]["kept_name"] = name + KEPT_SUFFIX
        return context
