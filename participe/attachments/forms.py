"""The upload form: a file and its title (the text alternative of an image)."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.attachments import files


def accept_attribute() -> str:
    """The ``accept`` attribute of the file input: a hint to the browser's file picker, never trusted."""
    return ",".join(f".{e}" for e in [*files.IMAGE_EXTENSIONS, *files.DOCUMENT_EXTENSIONS])


def file_hint() -> str:
    return _(
        "Images JPEG, PNG, WebP ou GIF jusqu'à %(image)s Mo ; documents PDF, ODT, ODS, ODP, DOCX, XLSX, PPTX, CSV "
        "ou texte jusqu'à %(document)s Mo. Les données de localisation des photos sont retirées."
    ) % {"image": files.limit_mb(files.IMAGE), "document": files.limit_mb(files.DOCUMENT)}


def auto_id_for(content_type_id: int, object_id: int) -> str:
    """Field ids unique on the page, so several items can each have their upload form."""
    return f"id_attachment_{content_type_id}_{object_id}_%s"


class AttachmentForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Fichier"))
    title = forms.CharField(
        label=gettext_lazy("Titre ou description de l'image"),
        max_length=200,
        required=False,
        help_text=gettext_lazy(
            "Pour une image, obligatoire : décrivez ce qu'elle montre (texte alternatif). "
            "Pour un document, son titre (sinon, le nom du fichier)."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = file_hint()
        self.fields["file"].widget.attrs["accept"] = accept_attribute()
