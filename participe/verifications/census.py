"""The residents' census: only keyed hashes of identifying fields are stored.

Identifying fields (nom, prénom, date de naissance) are normalised (case, accents, spaces) and
hashed with HMAC-SHA256 under a pepper kept outside the database. A resident proves residence
by typing the same fields; the matching record gives the territory.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import hmac
import io
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.translation import gettext as _

DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y")
REQUIRED_COLUMNS = ("nom", "prenom", "date_naissance")


def pepper() -> bytes:
    configured = getattr(settings, "PARTICIPE_CENSUS_PEPPER", "")
    if configured:
        return configured.encode()
    return hashlib.sha256(f"census:{settings.SECRET_KEY}".encode()).digest()


# Letters that Unicode does not decompose, as people type them on a keyboard (Lætitia, Cœur).
LIGATURES = str.maketrans({"Æ": "AE", "æ": "ae", "Œ": "OE", "œ": "oe", "ß": "ss"})


def normalise_name(value: str) -> str:
    decomposed = unicodedata.normalize("NFKD", value.translate(LIGATURES))
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^A-Z]+", " ", ascii_only.upper()).strip()


def parse_date(value: str) -> datetime.date | None:
    value = value.strip()
    for fmt in DATE_FORMATS:
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return None


def digest(last_name: str, first_name: str, birth_date: datetime.date) -> str:
    message = f"{normalise_name(last_name)}|{normalise_name(first_name)}|{birth_date.isoformat()}".encode()
    return hmac.new(pepper(), message, hashlib.sha256).hexdigest()


@dataclass
class ParsedCensus:
    rows: list[tuple[str, str | None]] = field(default_factory=list)  # (digest, territory code)
    errors: list[str] = field(default_factory=list)


def _normalise_header(name: str) -> str:
    return normalise_name(name).lower().replace(" ", "_")


def parse_csv(data: bytes) -> ParsedCensus:
    """Parse a census CSV (UTF-8, Windows-1252 or Latin-1; `;`, `,` or tab): nom, prenom, date_naissance[, territoire]."""
    text = _decode(data)
    reader = csv.reader(io.StringIO(text), delimiter=_delimiter(text))
    result = ParsedCensus()
    header = next(reader, None)
    if header is None:
        result.errors.append(_("Le fichier est vide."))
        return result
    columns = [_normalise_header(h) for h in header]
    missing = [c for c in REQUIRED_COLUMNS if c not in columns]
    if missing:
        result.errors.append(
            _(
                "Colonnes manquantes : %(missing)s. "
                "Colonnes attendues : nom ; prenom ; date_naissance ; territoire (facultatif)."
            )
            % {"missing": ", ".join(missing)}
        )
        return result
    index = {name: columns.index(name) for name in columns}
    for line_number, row in _rows(reader):
        try:
            last, first, born = (row[index[c]].strip() for c in REQUIRED_COLUMNS)
        except IndexError:
            result.errors.append(_("Ligne %(line)s : colonnes manquantes.") % {"line": line_number})
            continue
        birth = parse_date(born)
        if not last or not first or birth is None:
            result.errors.append(
                _("Ligne %(line)s : nom, prénom ou date de naissance illisible.") % {"line": line_number}
            )
            continue
        territory = (
            row[index["territoire"]].strip() if "territoire" in index and len(row) > index["territoire"] else None
        )
        result.rows.append((digest(last, first, birth), territory or None))
    return result


def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what Excel writes in French: œ, €), else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _delimiter(text: str) -> str:
    """The separator used in the header line: `;` (French spreadsheets), `,` or tab.

    Read from the header alone, so that a malformed line further down is reported as such instead
    of making the whole file unreadable (which is what csv.Sniffer does).
    """
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count)


def _rows(reader: Iterator[list[str]]) -> Iterator[tuple[int, list[str]]]:
    for number, row in enumerate(reader, start=2):
        if any(cell.strip() for cell in row):
            yield number, row
