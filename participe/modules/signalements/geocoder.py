"""Address search and reverse geocoding through a geocoder with the Base Adresse Nationale's API (``/search/``,
``/reverse/``, GeoJSON answers): the BAN, or a local addok (setting ``PARTICIPE_GEOCODER_URL``).

Every call has a short timeout and answers "nothing" when the geocoder is down: the forms then keep working with
an address typed as it is and a point on the map or coordinates."""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings

logger = logging.getLogger(__name__)
TIMEOUT = 3.0


@dataclass(frozen=True)
class Address:
    label: str
    lat: float
    lon: float


class GeocoderDown(Exception):
    """The geocoder did not answer (or answered nonsense)."""


def _base() -> str:
    return str(getattr(settings, "PARTICIPE_GEOCODER_URL", "") or "").rstrip("/")


def _get(path: str, params: dict[str, Any]) -> Any:
    base = _base()
    if not base:
        raise GeocoderDown("no geocoder configured")
    url = f"{base}{path}?{urllib.parse.urlencode(params)}"
    try:
        with urllib.request.urlopen(url, timeout=TIMEOUT) as response:  # noqa: S310 (a configured https/http URL)
            return json.loads(response.read().decode("utf-8"))
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        logger.warning("geocoder unavailable: %s", exc)
        raise GeocoderDown(str(exc)) from exc


def _addresses(answer: Any) -> list[Address]:
    found = []
    for feature in (answer or {}).get("features") or []:
        try:
            lon, lat = feature["geometry"]["coordinates"][:2]
            found.append(Address(str(feature["properties"]["label"]), float(lat), float(lon)))
        except (KeyError, TypeError, ValueError, IndexError):
            continue
    return found


def search(query: str, *, lat: float | None = None, lon: float | None = None, limit: int = 5) -> list[Address]:
    """Addresses matching ``query`` (near the point when given). Raises ``GeocoderDown``."""
    params: dict[str, Any] = {"q": query[:200], "limit": limit}
    if lat is not None and lon is not None:
        params.update(lat=lat, lon=lon)
    return _addresses(_get("/search/", params))


def reverse(lat: float, lon: float) -> Address | None:
    """The street address at a point. Raises ``GeocoderDown``."""
    found = _addresses(_get("/reverse/", {"lat": lat, "lon": lon, "limit": 1}))
    return found[0] if found else None
