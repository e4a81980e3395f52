"""Checking an uploaded file by its content and preparing it for storage.

The type is read from the file's bytes (magic numbers, the inside of zip containers, text that decodes),
never trusted from its name or from the browser; the name only has to agree with the content. Images are
decoded and re-encoded, which drops EXIF (GPS position included), XMP and comments, applies the
orientation and bounds the dimensions; a thumbnail is made at the same time.
"""

from __future__ import annotations

import codecs
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from PIL import Image, ImageOps

from participe.core.uploads import encode_without_metadata


@dataclass(frozen=True)
class FileType:
    mime_type: str
    extension: str  # written to storage
    label: str  # shown to people: "PDF", "JPEG"…
    kind: str  # "image" or "document"
    aliases: frozenset[str]  # extensions an uploaded name may carry for this content


def _type(mime: str, extension: str, label: str, kind: str, *aliases: str) -> FileType:
    return FileType(mime, extension, label, kind, frozenset({extension, *aliases}))


IMAGE, DOCUMENT = "image", "document"
TYPES: dict[str, FileType] = {
    t.mime_type: t
    for t in (
        _type("image/jpeg", "jpg", "JPEG", IMAGE, "jpeg", "jpe", "jfif"),
        _type("image/png", "png", "PNG", IMAGE),
        _type("image/webp", "webp", "WebP", IMAGE),
        _type("image/gif", "png", "GIF", IMAGE, "gif"),  # re-encoded as PNG (first frame)
        _type("application/pdf", "pdf", "PDF", DOCUMENT),
        _type("application/vnd.oasis.opendocument.text", "odt", "ODT", DOCUMENT),
        _type("application/vnd.oasis.opendocument.spreadsheet", "ods", "ODS", DOCUMENT),
        _type("application/vnd.oasis.opendocument.presentation", "odp", "ODP", DOCUMENT),
        _type("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx", "DOCX", DOCUMENT),
        _type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx", "XLSX", DOCUMENT),
        _type("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx", "PPTX", DOCUMENT),
        _type("text/csv", "csv", "CSV", DOCUMENT),
        _type("text/plain", "txt", "TXT", DOCUMENT, "text"),
    )
}
IMAGE_EXTENSIONS = sorted({a for t in TYPES.values() if t.kind == IMAGE for a in t.aliases})
DOCUMENT_EXTENSIONS = sorted({a for t in TYPES.values() if t.kind == DOCUMENT for a in t.aliases})
OUTPUT_FORMATS = {"image/jpeg": "JPEG", "image/png": "PNG", "image/webp": "WEBP", "image/gif": "PNG"}
# Phones write some photos as MPO (a JPEG followed by other views): Pillow names that format apart.
PIL_FORMATS = {"image/jpeg": {"JPEG", "MPO"}, "image/png": {"PNG"}, "image/webp": {"WEBP"}, "image/gif": {"GIF"}}
OOXML_PARTS = {
    "word/": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xl/": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "ppt/": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}
# Programs and markup are refused outright, whatever their name says.
EXECUTABLE_SIGNATURES = (b"MZ", b"\x7fELF", b"\xfe\xed\xfa", b"\xcf\xfa\xed\xfe", b"\xca\xfe\xba\xbe", b"#!")
MARKUP_MARKERS = (b"<!doctype", b"<html", b"<script", b"<svg", b"<?xml", b"<iframe", b"<body", b"<object")
TEXT_SAMPLE = 64 * 1024


def limit_mb(kind: str) -> int:
    if kind == IMAGE:
        return int(getattr(settings, "PARTICIPE_MAX_IMAGE_MB", 10))
    return int(getattr(settings, "PARTICIPE_MAX_DOCUMENT_MB", 20))


def max_side() -> int:
    return int(getattr(settings, "PARTICIPE_ATTACHMENT_IMAGE_MAX_SIDE", 2400))


def thumbnail_side() -> int:
    return int(getattr(settings, "PARTICIPE_ATTACHMENT_THUMBNAIL_SIDE", 480))


def max_pixels() -> int:
    """Refuse images whose decoding would take too much memory (decompression bombs)."""
    return int(getattr(settings, "PARTICIPE_ATTACHMENT_MAX_PIXELS", 50_000_000))


def format_size(size: int) -> str:
    """A size in French (or the current language's) style: "850 Ko", "1,2 Mo"."""
    if size < 1024:
        return _("%(n)s octets") % {"n": size}
    if size < 1024 * 1024:
        return _("%(n)s Ko") % {"n": number_format(max(1, round(size / 1024)))}
    megabytes = round(size / 1_048_576, 1)
    shown = number_format(int(megabytes)) if megabytes == int(megabytes) else number_format(megabytes, 1)
    return _("%(n)s Mo") % {"n": shown}


def type_label(mime_type: str) -> str:
    found = TYPES.get(mime_type)
    return found.label if found else mime_type


def _extension(name: str) -> str:
    return name.rsplit(".", 1)[-1].lower() if "." in name else ""


def _read_head(file: IO[bytes], size: int) -> bytes:
    file.seek(0)
    head = file.read(size)
    file.seek(0)
    return head


def _sniff_zip(file: IO[bytes]) -> str | None:
    """OpenDocument and Office Open XML files are zip containers: look at what they hold."""
    try:
        with zipfile.ZipFile(file) as archive:
            names = archive.namelist()
            if "mimetype" in names:
                if any(n.startswith(("Basic/", "Scripts/")) for n in names):
                    return None  # documents with macros are refused
                with archive.open("mimetype") as entry:  # read a few bytes only: no zip bomb
                    declared = entry.read(100).decode("ascii", "replace").strip()
                return declared if declared in TYPES else None
            if "[Content_Types].xml" not in names:
                return None
            if any(n.lower().endswith("vbaproject.bin") for n in names):
                return None  # documents with macros are refused
            for prefix, mime in OOXML_PARTS.items():
                if any(n.startswith(prefix) for n in names):
                    return mime
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, EOFError):
        return None
    finally:
        file.seek(0)
    return None


def _is_plain_text(sample: bytes) -> bool:
    """Text in UTF-8 (or Windows-1252, as spreadsheets export it), without control bytes nor markup."""
    if b"\x00" in sample:
        return False
    lowered = sample.lower()
    if lowered.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"<") or any(m in lowered for m in MARKUP_MARKERS):
        return False
    try:
        codecs.getincrementaldecoder("utf-8")().decode(sample, final=False)
    except UnicodeDecodeError:
        try:
            sample.decode("cp1252")
        except UnicodeDecodeError:
            return False
    return all(b >= 32 or b in (9, 10, 12, 13) for b in sample)


def sniff(file: IO[bytes], name: str) -> str | None:
    """The content type read from the file's bytes, or None when it is not an accepted type."""
    head = _read_head(file, 16)
    if head.startswith(b"\xff\xd8\xff"):
        return "image/jpeg"
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return "image/png"
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return "image/webp"
    if head[:6] in (b"GIF87a", b"GIF89a"):
        return "image/gif"
    if head.startswith(b"%PDF-"):
        return "application/pdf"
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(file)
    if head.startswith(EXECUTABLE_SIGNATURES):
        return None
    if _extension(name) in ("csv", "txt", "text") and _is_plain_text(_read_head(file, TEXT_SAMPLE)):
        return "text/csv" if _extension(name) == "csv" else "text/plain"
    return None


def detect(file: Any) -> FileType:
    """Check an uploaded file's content, name and size; return its type or refuse it with a clear message."""
    ceiling = max(limit_mb(IMAGE), limit_mb(DOCUMENT)) * 1_048_576
    if file.size > ceiling:  # do not even read a file no kind accepts
        raise ValidationError(_too_big(file.size, max(limit_mb(IMAGE), limit_mb(DOCUMENT))), code="too_big")
    if file.size == 0:
        raise ValidationError(_("Ce fichier est vide."), code="empty")
    mime = sniff(file, file.name or "")
    if mime is None:
        raise ValidationError(
            _(
                "Ce type de fichier n'est pas accepté. Formats acceptés : images JPEG, PNG, WebP ou GIF ; "
                "documents PDF, OpenDocument (ODT, ODS, ODP), Word, Excel ou PowerPoint récents (DOCX, XLSX, PPTX), "
                "CSV ou texte."
            ),
            code="type",
        )
    found = TYPES[mime]
    extension = _extension(file.name or "")
    if extension and extension not in found.aliases:
        raise ValidationError(
            _("Le contenu de ce fichier (%(type)s) ne correspond pas à son extension « .%(ext)s ».")
            % {"type": found.label, "ext": extension},
            code="mismatch",
        )
    if file.size > limit_mb(found.kind) * 1_048_576:
        raise ValidationError(_too_big(file.size, limit_mb(found.kind)), code="too_big")
    return found


def _too_big(size: int, limit: int) -> str:
    return _("Ce fichier pèse %(size)s ; la limite est de %(max)s Mo.") % {"size": format_size(size), "max": limit}


@dataclass
class PreparedImage:
    content: bytes
    mime_type: str
    extension: str
    width: int
    height: int
    thumbnail: bytes


def _normalise_mode(image: Image.Image, out_format: str) -> Image.Image:
    if out_format == "JPEG":
        return image if image.mode in ("RGB", "L") else image.convert("RGB")
    if image.mode in ("RGB", "RGBA", "L", "LA"):
        return image
    return image.convert("RGBA" if "transparency" in image.info or image.mode in ("P", "PA") else "RGB")


def prepare_image(file: Any, mime_type: str) -> PreparedImage:
    """Decode, re-encode without metadata, orient, bound and thumbnail an image; refuse what does not decode."""
    try:
        file.seek(0)
        with Image.open(file) as probe:
            if probe.format not in PIL_FORMATS[mime_type]:
                raise ValidationError(_("Cette image est illisible ou n'est pas une image."), code="image")
            if probe.width * probe.height > max_pixels():
                raise ValidationError(_("Cette image est trop grande (trop de pixels)."), code="pixels")
            probe.verify()
        file.seek(0)
        with Image.open(file) as source:
            source.load()
            icc_profile = source.info.get("icc_profile")
            image = ImageOps.exif_transpose(source)
    except ValidationError:
        raise
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        raise ValidationError(_("Cette image est illisible ou n'est pas une image."), code="image") from exc
    finally:
        file.seek(0)
    try:
        return _reencode(image, OUTPUT_FORMATS[mime_type], icc_profile)
    except (OSError, ValueError) as exc:  # an exotic pixel mode Pillow cannot convert
        raise ValidationError(_("Cette image est illisible ou n'est pas une image."), code="image") from exc


def _reencode(image: Image.Image, out_format: str, icc_profile: bytes | None) -> PreparedImage:
    # Nothing of the original's metadata is carried over (encode_without_metadata); the mode first, for the thumbnail.
    image.info = {}
    image = _normalise_mode(image, out_format)
    image.thumbnail((max_side(), max_side()), Image.Resampling.LANCZOS)
    thumb = image.copy()
    thumb.thumbnail((thumbnail_side(), thumbnail_side()), Image.Resampling.LANCZOS)
    out_mime = {"JPEG": "image/jpeg", "PNG": "image/png", "WEBP": "image/webp"}[out_format]
    return PreparedImage(
        content=encode_without_metadata(image, out_format, icc_profile=icc_profile),
        mime_type=out_mime,
        extension=TYPES[out_mime].extension,
        width=image.width,
        height=image.height,
        thumbnail=encode_without_metadata(thumb, out_format, icc_profile=icc_profile),
    )
