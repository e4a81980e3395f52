"""The photos of a report before it exists: the place a photo was taken at (its EXIF GPS tags, read before anything
strips them) suggests the report's place, and the photos of a form shown again (an error, the duplicates, the place
to check) are kept on the server so that nobody has to choose them again.

A kept photo is checked and re-encoded without its metadata at once (``participe.attachments.files``: the same check
and the same EXIF stripping as an attachment), stored under a random name in a folder of the day, and named in the
form by a signed token (``django.core.signing``): a token cannot be forged to reach another file, and it expires
with the day's folder, which ``signalements_purge_photos`` deletes.
"""

from __future__ import annotations

import contextlib
import datetime
import uuid
from dataclasses import dataclass
from typing import Any

from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile, File
from django.core.files.storage import default_storage
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _
from PIL import Image

from participe.attachments import files
from participe.permissions.refusals import require
from participe.spaces.models import Module

GPS_IFD = 0x8825
FOLDER = "signalements/pending"
SALT = "signalements.kept-photo"
MAX_AGE = datetime.timedelta(days=1)


def _degrees(value: Any, ref: str) -> float:
    d, m, s = (float(part) for part in value)
    decimal = d + m / 60 + s / 3600
    return -decimal if ref in ("S", "W") else decimal


def exif_point(photo: Any) -> tuple[float, float] | None:
    """(lat, lon) from the photo's EXIF, or None (no tags, not an image, nonsense values)."""
    try:
        photo.seek(0)
        with Image.open(photo) as image:
            gps = image.getexif().get_ifd(GPS_IFD)
        lat = _degrees(gps[2], str(gps.get(1, "N")))
        lon = _degrees(gps[4], str(gps.get(3, "E")))
    except Exception:
        return None
    finally:
        with contextlib.suppress(Exception):
            photo.seek(0)
    if not (-90 <= lat <= 90 and -180 <= lon <= 180) or (lat == 0 and lon == 0):
        return None
    return lat, lon


@dataclass(frozen=True)
class KeptPhoto:
    """A photo of a form kept on the server: its signed token (the form's value) and the name it was chosen under."""

    token: str
    name: str
    path: str

    @property
    def url(self) -> str:
        return default_storage.url(self.path)

    def open(self) -> File[Any]:
        """The stored photo as an uploaded file would be (its original name, for the type check)."""
        with default_storage.open(self.path, "rb") as stored:
            return ContentFile(stored.read(), name=self.name)


def photo_keep(*, actor: Any, module: Module, photo: Any) -> KeptPhoto:
    """Check ``photo`` (an image within the limits) and keep it, without its metadata, for the form shown again.

    Refuses (``Refused``) whoever may not report in ``module``; refuses (``ValidationError`` on ``photos``) what is
    not an image or too big, before anything is stored."""
    require(actor, "signalements.add_report", module)
    try:
        found = files.detect(photo)
        if found.kind != files.IMAGE:
            raise ValidationError(_("« %(name)s » n'est pas une image.") % {"name": photo.name})
        image = files.prepare_image(photo, found.mime_type)
    except ValidationError as exc:
        raise ValidationError({"photos": [f"{photo.name} : {m}" for m in exc.messages]}) from exc
    name = get_valid_filename((photo.name or "photo").replace("\\", "/").rsplit("/", 1)[-1])[:120] or "photo"
    path = default_storage.save(
        f"{FOLDER}/{timezone.now():%Y-%m-%d}/{uuid.uuid4().hex}.{image.extension}", ContentFile(image.content)
    )
    token = signing.dumps({"p": path, "n": name}, salt=SALT, compress=True)
    return KeptPhoto(token=token, name=name, path=path)


def kept_photos(tokens: list[str]) -> list[KeptPhoto]:
    """The photos the form still names (tokens that are forged, expired or whose file is gone are left out)."""
    found: list[KeptPhoto] = []
    for token in dict.fromkeys(tokens):  # once each, in order
        try:
            value = signing.loads(token, salt=SALT, max_age=MAX_AGE)
        except signing.BadSignature:
            continue
        path, name = str(value.get("p", "")), str(value.get("n", "photo"))
        if path.startswith(f"{FOLDER}/") and ".." not in path and default_storage.exists(path):
            found.append(KeptPhoto(token=token, name=name, path=path))
    return found


def forget(photos: list[KeptPhoto]) -> None:
    """Delete kept photos once the report holds them (the attachments service stored its own copies)."""
    for photo in photos:
        with contextlib.suppress(OSError):
            default_storage.delete(photo.path)


def purge(now: datetime.datetime | None = None) -> int:
    """Delete the folders of kept photos older than a day (forms left without sending); the number of files."""
    today = (now or timezone.now()).date()
    try:
        days, _files = default_storage.listdir(FOLDER)
    except (FileNotFoundError, NotImplementedError):
        return 0
    deleted = 0
    for day in days:
        try:
            stale = datetime.date.fromisoformat(day) < today - datetime.timedelta(days=1)
        except ValueError:
            continue
        if stale:
            for name in default_storage.listdir(f"{FOLDER}/{day}")[1]:
                default_storage.delete(f"{FOLDER}/{day}/{name}")
                deleted += 1
    return deleted
