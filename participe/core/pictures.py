"""A picture of a démarche or a module in the sizes pages need: a card thumbnail and a hero size beside the picture.

The picture itself was re-encoded without metadata when it was uploaded (``core.uploads.clean_image``, at most
2,400 px a side). When it is saved, ``derive_sizes`` writes two renditions of it beside it: 480 px wide for the cards,
1,200 px wide for the head of a page — each only when the picture is wider (a picture is never upscaled), re-encoded
with nothing of any metadata. What it returns is stored on the row (``<field>_sizes``, JSON): the picture's own
dimensions and each rendition's name and dimensions, so a page builds its ``srcset`` and ``width``/``height``
without opening a file and a GET writes nothing. A picture stored before the sizes existed gets them from the
migration that added them; one whose sizes are still missing is shown alone, with no ``srcset``.
"""

from __future__ import annotations

import datetime
import logging
import posixpath
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models, transaction
from django.utils import timezone
from PIL import Image, ImageOps

from participe.core.uploads import encode_without_metadata

logger = logging.getLogger(__name__)

CARD_WIDTH = 480
HERO_WIDTH = 1200
WIDTHS = (CARD_WIDTH, HERO_WIDTH)
USES = {"card": CARD_WIDTH, "hero": HERO_WIDTH}
FORMATS = {".jpg": "JPEG", ".jpeg": "JPEG", ".png": "PNG", ".webp": "WEBP"}


def rendition_name(name: str, width: int) -> str:
    """``spaces/place.jpg`` → ``spaces/place-480w.jpg``."""
    stem, extension = posixpath.splitext(name)
    return f"{stem}-{width}w{extension}"


def derive_sizes(field_file: Any) -> dict[str, Any]:
    """Write the card and hero renditions of the stored picture ``field_file`` beside it; return its sizes.

    Raises ``OSError`` (or Pillow's errors) when the stored file cannot be read as an image."""
    storage = field_file.storage
    with storage.open(field_file.name, "rb") as stored, Image.open(stored) as source:
        source.load()
        out_format = FORMATS.get(posixpath.splitext(field_file.name)[1].lower()) or source.format or "PNG"
        image = ImageOps.exif_transpose(source)
    sizes: dict[str, Any] = {"width": image.width, "height": image.height, "renditions": []}
    for width in WIDTHS:
        if image.width <= width:
            continue  # never upscaled: the picture itself serves this use
        height = max(1, round(image.height * width / image.width))
        rendition = image.resize((width, height), Image.Resampling.LANCZOS)
        name = storage.save(
            rendition_name(field_file.name, width),
            ContentFile(encode_without_metadata(rendition, out_format, quality=82)),
        )
        sizes["renditions"].append({"name": name, "width": width, "height": height})
    return sizes


def delete_files(storage: Any, name: str, sizes: dict[str, Any] | None) -> None:
    """Delete a picture and its renditions (missing files are no error)."""
    for path in [name, *(r["name"] for r in (sizes or {}).get("renditions", []))]:
        if path:
            try:
                storage.delete(path)
            except OSError:  # already gone, or a storage that refuses: the row no longer names it anyway
                logger.warning("Could not delete the picture file %s", path)


def picture_saved(instance: models.Model, field: str, *, old_name: str, old_sizes: dict[str, Any] | None) -> None:
    """After ``instance`` was saved: when its picture ``field`` changed, derive the new picture's sizes and store them
    in ``<field>_sizes``, and delete the replaced picture and its renditions once the transaction commits."""
    field_file = getattr(instance, field)
    if (field_file.name or "") == (old_name or ""):
        return
    sizes: dict[str, Any] = {}
    if field_file.name:
        try:
            sizes = derive_sizes(field_file)
        except (OSError, ValueError, Image.DecompressionBombError):  # checked at upload: should not happen
            logger.exception("Could not derive the sizes of %s", field_file.name)
    setattr(instance, f"{field}_sizes", sizes)
    type(instance)._default_manager.filter(pk=instance.pk).update(**{f"{field}_sizes": sizes})
    if old_name:
        storage = field_file.storage
        transaction.on_commit(lambda: delete_files(storage, old_name, old_sizes))


@dataclass(frozen=True)
class Candidate:
    url: str
    width: int | None
    height: int | None


def picture_context(
    instance: Any, field: str, *, use: str = "card", sizes: str = "100vw", eager: bool = False, css_class: str = ""
) -> dict[str, Any]:
    """What ``core/partials/_picture.html`` needs to show the picture ``field`` of ``instance`` for ``use`` ("card"
    or "hero"): ``src`` is the smallest size at least as wide as the use's width (else the largest), ``srcset`` every
    size with its width when there are several; the dimensions of ``src`` so the page does not jump while it loads.
    """
    field_file = getattr(instance, field)
    if not field_file:
        return {"picture": None}
    stored: dict[str, Any] = getattr(instance, f"{field}_sizes", None) or {}
    candidates = [
        Candidate(field_file.storage.url(r["name"]), r["width"], r["height"]) for r in stored.get("renditions", [])
    ]
    candidates.append(Candidate(field_file.url, stored.get("width"), stored.get("height")))
    if any(c.width is None for c in candidates):
        candidates = [candidates[-1]]
    else:
        candidates.sort(key=lambda c: c.width or 0)
    wanted = USES.get(use, CARD_WIDTH)
    chosen = next((c for c in candidates if (c.width or 0) >= wanted), candidates[-1])
    return {
        "picture": chosen,
        "srcset": ", ".join(f"{c.url} {c.width}w" for c in candidates) if len(candidates) > 1 else "",
        "sizes": sizes,
        "alt": getattr(instance, f"{field}_alt", ""),
        "eager": eager,
        "css_class": css_class,
    }


# A picture chosen in a form that comes back with an error (a missing alternative text…) is kept on the server, so
# that nobody has to choose it again: browsers never send a file twice. It was checked and re-encoded without its
# metadata already; it is stored under a random name in a folder of the day (never served: ``core.media``) and named
# in the form by a signed token, which cannot be forged to reach another file and expires after a day. Folders
# older than that are deleted when a picture is kept.
KEPT_FOLDER = "pending/pictures"
KEPT_SALT = "participe.core.pictures.kept"
KEPT_MAX_AGE = datetime.timedelta(days=1)


class KeptPicture(SimpleUploadedFile):
    """A picture of a form kept on the server, read back as an upload (already re-encoded: not to be again)."""

    token: str = ""


def _purge_kept(today: datetime.date) -> None:
    try:
        days, _files = default_storage.listdir(KEPT_FOLDER)
    except (OSError, NotImplementedError):  # no folder yet, or a storage that cannot list
        return
    for day in days:
        try:
            too_old = datetime.date.fromisoformat(day) < today - KEPT_MAX_AGE
        except ValueError:
            continue
        if too_old:
            for name in default_storage.listdir(f"{KEPT_FOLDER}/{day}")[1]:
                default_storage.delete(f"{KEPT_FOLDER}/{day}/{name}")


def keep(upload: Any) -> str:
    """Store a checked, re-encoded picture of a form shown again; return the signed token that names it."""
    today = timezone.localdate()
    _purge_kept(today)
    extension = posixpath.splitext(upload.name or "")[1].lower()
    extension = extension if extension in FORMATS else ".bin"
    upload.seek(0)
    path = default_storage.save(f"{KEPT_FOLDER}/{today:%Y-%m-%d}/{uuid.uuid4().hex}{extension}", upload)
    return signing.dumps({"path": path, "name": posixpath.basename(upload.name or "image")}, salt=KEPT_SALT)


def kept(token: str) -> KeptPicture | None:
    """The picture a token names, or None (forged, expired, deleted)."""
    try:
        data = signing.loads(token, salt=KEPT_SALT, max_age=KEPT_MAX_AGE)
        path, name = str(data["path"]), str(data["name"])
    except (signing.BadSignature, KeyError, TypeError):
        return None
    if not path.startswith(KEPT_FOLDER + "/") or not default_storage.exists(path):
        return None
    with default_storage.open(path, "rb") as stored:
        content = stored.read()
    extension = posixpath.splitext(path)[1]
    content_type = {".png": "image/png", ".webp": "image/webp"}.get(extension, "image/jpeg")
    picture = KeptPicture(name, content, content_type=content_type)
    picture.token = token
    return picture
