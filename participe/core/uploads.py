"""Checking uploaded files by their content, not their name, and re-encoding images without EXIF."""

from __future__ import annotations

import io
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import InMemoryUploadedFile
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

# Magic numbers of the document types accepted as attachments.
SIGNATURES: list[tuple[bytes, str]] = [
    (b"%PDF-", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"PK\x03\x04", "application/zip"),  # OpenDocument and Office Open XML are zip containers
    (b"\xd0\xcf\x11\xe0", "application/msword"),
]
TEXT_TYPES = {"csv": "text/csv", "txt": "text/plain"}


def sniff(head: bytes, name: str) -> str | None:
    for signature, content_type in SIGNATURES:
        if head.startswith(signature):
            return content_type
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension in TEXT_TYPES:
        try:
            head.decode("utf-8")
        except UnicodeDecodeError:
            return None
        return TEXT_TYPES[extension]
    return None


def check_document(file: Any) -> str:
    """Return the content type detected from the file's bytes, or refuse it with a clear message."""
    if file.size > settings.PARTICIPE_MAX_UPLOAD_BYTES:
        raise ValidationError(
            _("Ce fichier pèse %(size)s Mo ; la limite est de %(max)s Mo.")
            % {"size": number_format(file.size / 1_048_576, 1), "max": settings.PARTICIPE_MAX_UPLOAD_BYTES // 1_048_576}
        )
    file.seek(0)
    head = file.read(2048)
    file.seek(0)
    content_type = sniff(head, file.name)
    if content_type is None:
        raise ValidationError(
            _("Ce type de fichier n'est pas accepté : PDF, images, documents bureautiques, CSV ou texte.")
        )
    return content_type


def encode_without_metadata(
    image: Image.Image, out_format: str, *, quality: int = 85, icc_profile: bytes | None = None
) -> bytes:
    """Encode ``image`` as ``out_format`` with nothing of its source's metadata: EXIF (GPS), XMP, comments, text chunks.

    The one encoder of every picture the platform stores (uploads, attachments, démarche and module pictures). Only an
    ICC colour profile may be kept, on request: colours, no personal data."""
    image.info = {}
    if out_format == "JPEG" and image.mode not in ("RGB", "L"):
        image = image.convert("RGB")
    options: dict[str, Any] = {"optimize": True} if out_format in ("JPEG", "PNG") else {}
    if out_format in ("JPEG", "WEBP"):
        options["quality"] = quality
    if icc_profile:
        options["icc_profile"] = icc_profile
    buffer = io.BytesIO()
    image.save(buffer, format=out_format, **options)
    return buffer.getvalue()


def clean_image(file: Any, *, max_side: int = 2400) -> InMemoryUploadedFile:
    """Re-encode an uploaded image: orientation applied, EXIF (GPS included) dropped, size bounded."""
    try:
        Image.open(file).verify()
        file.seek(0)
        image: Image.Image = ImageOps.exif_transpose(Image.open(file))
    except Exception as exc:  # Pillow raises many kinds of errors on bad input
        raise ValidationError(_("Cette image est illisible ou n'est pas une image.")) from exc
    image.thumbnail((max_side, max_side))
    has_alpha = image.mode in ("RGBA", "LA", "P")
    out_format, content_type, extension = ("PNG", "image/png", "png") if has_alpha else ("JPEG", "image/jpeg", "jpg")
    if not has_alpha:
        image = image.convert("RGB")
    content = encode_without_metadata(image, out_format)
    size = len(content)
    buffer = io.BytesIO(content)
    stem = file.name.rsplit(".", 1)[0][:80] if "." in file.name else file.name[:80]
    return InMemoryUploadedFile(buffer, "image", f"{stem}.{extension}", content_type, size, None)
