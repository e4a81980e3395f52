"""The place a photo was taken at (its EXIF GPS tags), read before the attachments service strips them: it suggests
the report's place when none was given."""

from __future__ import annotations

import contextlib
from typing import Any

from PIL import Image

GPS_IFD = 0x8825


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
