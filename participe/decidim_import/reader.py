"""Reading a Decidim open-data archive: the ZIP, its CSV files by entity, their columns (docs/decidim-import.md).

Decidim's ``/open-data/download`` gives a ZIP of ``<host>-open-data-<entity>.csv`` files (and, in recent versions,
a README.md and a LICENSE.md): separator ``;``, nested keys flattened with ``/`` (``title/fr``, ``author/id``), one
column per locale, arrays joined with ``", "``, cells starting with ``= + - @`` prefixed with ``'``. The header is
read as it comes: the older column sets (``category/*``, ``scope/*``, ``supports``, ``endorsements/*``, a plain
``title``) and the recent ones (``title/<locale>``, ``votes``, ``author/*``, ``answered_at``, ``withdrawn``) are
both understood. Nothing here writes.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import re
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

MAX_ARCHIVE_BYTES = 50 * 1024 * 1024
MAX_UNCOMPRESSED_BYTES = 300 * 1024 * 1024
MAX_ROWS = 100_000  # per file

# The entities this import understands; the others (posts, debates, budgets…) are listed as not taken in.
ENTITIES = (
    "participatory_processes",
    "assemblies",
    "proposals",
    "proposal_comments",
    "meetings",
    "meeting_comments",
    "results",
    "result_comments",
)
# Fields given per locale (``title/fr``) in recent versions, as one plain column (``title``) in older ones.
LOCALISED = {
    "participatory_processes": ("title", "subtitle", "short_description", "description"),
    "assemblies": ("title", "subtitle", "short_description", "description"),
    "proposals": ("title", "body", "answer"),
    "proposal_comments": ("body",),
    "meetings": ("title", "description", "location", "closing_report"),
    "results": ("title", "description", "status/name"),
}
# The plain columns each entity reads (the others are ignored and listed in the report).
PLAIN = {
    "participatory_processes": ("id", "slug", "start_date", "end_date", "url"),
    "assemblies": ("id", "slug", "url"),
    "proposals": (
        "id",
        "reference",
        "url",
        "address",
        "latitude",
        "longitude",
        "state",
        "answered_at",
        "withdrawn",
        "withdrawn_at",
        "published_at",
        "created_at",
        "participatory_space/id",
        "participatory_space/url",
        "participatory_space/type",
        "component/id",
        "author/id",
        "author/name",
        "cost",
    ),
    "proposal_comments": (
        "id",
        "created_at",
        "locale",
        "author/id",
        "author/name",
        "alignment",
        "depth",
        "commentable_id",
        "commentable_type",
        "root_commentable_url",
    ),
    "meetings": (
        "id",
        "url",
        "start_time",
        "end_time",
        "address",
        "latitude",
        "longitude",
        "type_of_meeting",
        "online_meeting_url",
        "published",
        "withdrawn",
        "attendees",
        "attendees_count",
        "created_at",
        "participatory_space/id",
        "participatory_space/url",
        "participatory_space/type",
        "component/id",
    ),
    "results": (
        "id",
        "reference",
        "url",
        "start_date",
        "end_date",
        "progress",
        "status/key",
        "status/progress",
        "created_at",
        "participatory_space/id",
        "participatory_space/url",
        "participatory_space/type",
        "component/id",
        "related_proposals",
        "proposal_ids",
        "proposal_urls",
    ),
}
# Files of the archive that are not data.
NOT_DATA = re.compile(r"(^|/)(readme|licen[cs]e)(\.[a-z]+)?$", re.IGNORECASE)
NAME = re.compile(r"^(?:(?P<host>.+?)-)?open-data-(?P<entity>[a-z_]+)\.csv$")
LOCALE_PREFERENCE = ("fr", "en")
FORMULA_START = ("'=", "'+", "'-", "'@")


class ArchiveError(Exception):
    """The archive as a whole is refused: why, in a sentence."""


@dataclass
class Table:
    entity: str
    filename: str
    header: list[str]
    rows: list[tuple[int, dict[str, str]]] = field(default_factory=list)  # (line in the file, column → value)

    def ignored_columns(self) -> list[str]:
        """The columns this import does not read (unknown ones, and documented ones it has no place for)."""
        localised = LOCALISED.get(self.entity, ())
        plain = PLAIN.get(self.entity, ())
        ignored = []
        for name in self.header:
            if name in plain or name in localised:
                continue
            if any(name.startswith(f"{base}/") and "/" not in name[len(base) + 1 :] for base in localised):
                continue  # one locale of a localised field
            if any(name.startswith(f"{base}/machine_translations/") for base in localised):
                continue
            ignored.append(name)
        return ignored


@dataclass
class Archive:
    filename: str
    checksum: str
    source: str
    tables: dict[str, Table]
    not_taken: list[str]  # files of entities this import does not take in


def _entity_of(name: str) -> tuple[str | None, str]:
    base = name.rsplit("/", 1)[-1]
    match = NAME.match(base)
    if match:
        return match["entity"], match["host"] or ""
    stem = base[:-4] if base.endswith(".csv") else ""
    return (stem or None), ""


def _decode(data: bytes, name: str) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError as exc:
            raise ArchiveError(_("Le fichier %(name)s n'est pas un texte lisible (UTF-8).") % {"name": name}) from exc


def clean_cell(value: str) -> str:
    """A cell as Decidim wrote it, without the apostrophe that disarms formulas (``'=1+1`` → ``=1+1``)."""
    value = value.strip()
    if value.startswith(FORMULA_START):
        return value[1:]
    return value


def _table(entity: str, name: str, text: str) -> Table:
    header_line = text.split("\n", 1)[0]
    delimiter = ";" if header_line.count(";") >= header_line.count(",") else ","
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [h.strip() for h in next(reader, [])]
    table = Table(entity=entity, filename=name, header=header)
    for row in reader:
        if not any(cell.strip() for cell in row):
            continue
        if len(table.rows) >= MAX_ROWS:
            raise ArchiveError(
                _("Le fichier %(name)s compte plus de %(n)s lignes : cet import n'en prend pas tant.")
                % {"name": name, "n": MAX_ROWS}
            )
        values = {h: clean_cell(row[i]) if i < len(row) else "" for i, h in enumerate(header) if h}
        table.rows.append((reader.line_num, values))
    return table


def _members(zipped: zipfile.ZipFile, members: list[zipfile.ZipInfo]) -> tuple[dict[str, Table], list[str], list[str]]:
    """The tables of the entities this import takes in; the names of the other files; the hosts the names give."""
    tables: dict[str, Table] = {}
    not_taken: list[str] = []
    hosts: list[str] = []
    for member in members:
        if NOT_DATA.search(member.filename):
            continue
        entity, host = _entity_of(member.filename)
        if entity not in ENTITIES:
            not_taken.append(member.filename)
            continue
        try:
            raw = zipped.read(member)
        except (zipfile.BadZipFile, OSError, RuntimeError) as exc:
            raise ArchiveError(
                _("Le fichier %(name)s de l'archive est illisible.") % {"name": member.filename}
            ) from exc
        tables[entity] = _table(entity, member.filename, _decode(raw, member.filename))
        if host:
            hosts.append(host)
    return tables, not_taken, hosts


def read_archive(data: bytes, filename: str = "") -> Archive:
    """The archive's tables by entity, or ``ArchiveError`` saying why the whole archive is refused."""
    if not data:
        raise ArchiveError(_("Le fichier est vide."))
    if len(data) > MAX_ARCHIVE_BYTES:
        raise ArchiveError(_("L'archive dépasse %(n)s Mo.") % {"n": MAX_ARCHIVE_BYTES // (1024 * 1024)})
    try:
        zipped = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in zipped.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        raise ArchiveError(
            _("Ce fichier n'est pas une archive ZIP : téléchargez l'archive des données ouvertes de Decidim.")
        ) from exc
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise ArchiveError(_("L'archive décompressée est trop volumineuse."))
    tables, not_taken, hosts = _members(zipped, members)
    if not tables:
        raise ArchiveError(
            _(
                "L'archive ne contient aucun fichier de données ouvertes Decidim (…-open-data-proposals.csv, "
                "…-open-data-meetings.csv, …-open-data-results.csv)."
            )
        )
    if not any(t.rows for t in tables.values()):
        raise ArchiveError(_("Les fichiers de l'archive n'ont aucune ligne de données."))
    source = hosts[0] if hosts else _host_of_urls(tables) or "decidim"
    return Archive(
        filename=filename,
        checksum=hashlib.sha256(data).hexdigest(),
        source=source[:120],
        tables=tables,
        not_taken=sorted(not_taken),
    )


def _host_of_urls(tables: dict[str, Table]) -> str:
    for table in tables.values():
        for _line, values in table.rows[:5]:
            for name in ("url", "participatory_space/url", "root_commentable_url"):
                match = re.match(r"https?://([^/]+)/", values.get(name, ""))
                if match:
                    return match[1]
    return ""


# --- values -------------------------------------------------------------------------------------------------------
def localised(values: dict[str, str], base: str) -> str:
    """The French text of a localised field (else English, else any locale, else a machine translation, else the
    plain column of older versions)."""
    for locale in LOCALE_PREFERENCE:
        if values.get(f"{base}/{locale}"):
            return values[f"{base}/{locale}"]
    for name, value in values.items():
        if value and name.startswith(f"{base}/") and name.count("/") == base.count("/") + 1:
            return value
    for locale in LOCALE_PREFERENCE:
        if values.get(f"{base}/machine_translations/{locale}"):
            return values[f"{base}/machine_translations/{locale}"]
    return values.get(base, "")


DATETIME_FORMATS = (
    "%Y-%m-%d %H:%M:%S %Z",
    "%Y-%m-%d %H:%M:%S %z",
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%d/%m/%Y %H:%M",
    "%d/%m/%Y",
)


class BadValue(ValueError):
    """A cell that cannot be read: the reason, in a sentence."""


def parse_datetime(value: str, column: str) -> datetime.datetime | None:
    """Decidim's dates (``2023-03-14 18:30:00 UTC``, ``2023-03-14T18:30:00.000+01:00``, ``2023-03-14``), aware."""
    if not value:
        return None
    parsed: datetime.datetime | None = None
    try:
        parsed = datetime.datetime.fromisoformat(value.replace(" UTC", "+00:00").replace("Z", "+00:00"))
    except ValueError:
        for fmt in DATETIME_FORMATS:
            try:
                parsed = datetime.datetime.strptime(value, fmt)
                break
            except ValueError:
                continue
    if parsed is None or parsed.year < 1990 or parsed.year > 2100:
        raise BadValue(_("date illisible « %(v)s » (colonne %(c)s)") % {"v": value, "c": column})
    return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed, datetime.UTC)


def parse_date(value: str, column: str) -> datetime.date | None:
    found = parse_datetime(value, column)
    return found.date() if found is not None else None


def parse_decimal(value: str, column: str) -> Decimal | None:
    if not value:
        return None
    try:
        return Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation as exc:
        raise BadValue(_("nombre illisible « %(v)s » (colonne %(c)s)") % {"v": value, "c": column}) from exc


def parse_bool(value: str) -> bool:
    return value.strip().lower() in {"true", "1", "yes", "oui", "t"}


def parse_int(value: str, column: str) -> int | None:
    if not value:
        return None
    try:
        return int(float(value))
    except ValueError as exc:
        raise BadValue(_("nombre illisible « %(v)s » (colonne %(c)s)") % {"v": value, "c": column}) from exc


def ids_in(value: str) -> list[str]:
    """The ids of a list cell (``"12, 13"``, or URLs ending with the id)."""
    found = []
    for part in re.split(r"[,\s]+", value):
        match = re.search(r"(\d+)/?$", part.strip())
        if match:
            found.append(match[1])
    return found


def space_key(values: dict[str, str]) -> str:
    """The key of a record's participatory space: ``process:12`` or ``assembly:3`` (from its id and type, else its
    URL); "" when the record names none."""
    kind = (
        "assembly"
        if "assembl" in (values.get("participatory_space/type", "") + values.get("participatory_space/url", "")).lower()
        else "process"
    )
    if values.get("participatory_space/id"):
        return f"{kind}:{values['participatory_space/id']}"
    match = re.search(
        r"/(processes|assemblies)/([^/]+)", values.get("participatory_space/url") or values.get("url", "")
    )
    if match:
        return f"{'assembly' if match[1] == 'assemblies' else 'process'}:slug:{match[2]}"
    return ""
