"""CSV import of proposals into a module (proposals collected on paper, in meetings, or on another platform).

One line per proposal, with a header naming the columns (French names, any order, accents and capitals
ignored): ``titre`` and ``description`` are required; ``theme``, ``territoire``, ``adresse``, ``latitude``,
``longitude``, ``auteur`` (email or pseudonym of an existing account; empty or "anonyme": none), ``nom`` (the
name given by a resident without account, kept as a private note), ``origine`` (papier — the default —, réunion,
guichet, en ligne) and ``date_depot`` are optional. The exports write the same columns.

Each line goes through the same service as a proposal typed in the back-office (numbers, moderation, search,
history, audit), entered by the importing agent. Nothing is ever half-imported: the whole file is imported in one
transaction, and when a line is rejected nothing is imported unless the agent asked to import the valid lines
alone. Every rejected line is reported with its number and the reason.
"""

from __future__ import annotations

import csv
import datetime
import html
import io
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.accounts.models import User
from participe.activity.services import audit
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.services.analysis import proposal_enter
from participe.organisation.models import Territory, Theme
from participe.spaces.models import Module
from participe.spaces.selectors import themes_of

MAX_ROWS = 500  # each line costs what a proposal typed in costs (~10 ms): a file stays under a few seconds
DATE_FORMATS = ("%d/%m/%Y", "%Y-%m-%d", "%d/%m/%Y %H:%M", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S%z", "%Y-%m-%dT%H:%M:%S")
ALIASES = {
    "titre": "titre",
    "title": "titre",
    "description": "description",
    "texte": "description",
    "body": "description",
    "theme": "theme",
    "territoire": "territoire",
    "quartier": "territoire",
    "adresse": "adresse",
    "lieu": "adresse",
    "latitude": "latitude",
    "lat": "latitude",
    "longitude": "longitude",
    "lon": "longitude",
    "lng": "longitude",
    "auteur": "auteur",
    "nom": "nom",
    "origine": "origine",
    "date_depot": "date_depot",
    "date_de_depot": "date_depot",
    "date_de_reception": "date_depot",
    "date": "date_depot",
}
REQUIRED = ("titre", "description")
ORIGINS = {
    "": Proposal.Origin.PAPER,
    "papier": Proposal.Origin.PAPER,
    "sur_papier": Proposal.Origin.PAPER,
    "paper": Proposal.Origin.PAPER,
    "courrier": Proposal.Origin.PAPER,
    "reunion": Proposal.Origin.MEETING,
    "en_reunion": Proposal.Origin.MEETING,
    "meeting": Proposal.Origin.MEETING,
    "guichet": Proposal.Origin.COUNTER,
    "au_guichet": Proposal.Origin.COUNTER,
    "counter": Proposal.Origin.COUNTER,
    "en_ligne": Proposal.Origin.ONLINE,
    "online": Proposal.Origin.ONLINE,
}
# Names of the service's fields in the file's columns, to report a refusal where the agent will look.
FIELD_COLUMNS = {
    "title": "titre",
    "body": "description",
    "theme": "theme",
    "territory": "territoire",
    "address": "adresse",
    "latitude": "latitude",
    "longitude": "longitude",
    "origin": "origine",
}


def normalise(value: str) -> str:
    """Lowercase, without accents, words joined by "_" ("Date de dépôt" → "date_de_depot")."""
    decomposed = unicodedata.normalize("NFKD", value.strip().lower())
    ascii_only = "".join(c for c in decomposed if not unicodedata.combining(c))
    return "_".join(ascii_only.replace("-", " ").replace("'", " ").split())


@dataclass
class Row:
    line: int
    data: dict[str, Any]
    author: User | None = None
    name: str = ""
    origin: str = Proposal.Origin.PAPER
    published_at: datetime.datetime | None = None


@dataclass
class Report:
    """What happened to the file: how many proposals were imported and each line rejected."""

    imported: int = 0
    rows: int = 0
    errors: list[tuple[int | None, str]] = field(default_factory=list)  # (line, reason); None: the whole file
    valid: int = 0  # lines that were valid (not imported when the file was rolled back)
    rolled_back: bool = False

    def as_session(self, limit: int = 200) -> dict[str, Any]:
        return {
            "imported": self.imported,
            "valid": self.valid,
            "rows": self.rows,
            "errors": [list(e) for e in self.errors[:limit]],
            "total_errors": len(self.errors),
            "rolled_back": self.rolled_back,
        }


# --- reading the file ---------------------------------------------------------------------------------------------
def _decode(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what Excel writes in French), else Latin-1."""
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")


def _delimiter(text: str) -> str:
    header = text.split("\n", 1)[0]
    return max((";", ",", "\t"), key=header.count)


def _records(text: str) -> Iterator[tuple[int, dict[str, str]]]:
    """Each non-empty line as {column: value}, with its line number in the file (the header is line 1)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text))
    header = [ALIASES.get(normalise(h), normalise(h)) for h in next(reader, [])]
    for row in reader:
        if any(cell.strip() for cell in row):
            # A quoted cell may span several lines: the reader knows the line where the record ended.
            yield reader.line_num, {name: (row[i].strip() if i < len(row) else "") for i, name in enumerate(header)}


def _header_errors(text: str) -> list[str]:
    first = next(csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(text)), None)
    if not first:
        return [_("Le fichier est vide.")]
    columns = {ALIASES.get(normalise(h), normalise(h)) for h in first}
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        return [
            _(
                "Colonnes manquantes : %(missing)s. La première ligne doit nommer les colonnes, par exemple : %(example)s."
            )
            % {"missing": ", ".join(missing), "example": "titre ; description ; theme ; territoire ; adresse"}
        ]
    return []


# --- one line -----------------------------------------------------------------------------------------------------
class Lookups:
    """Themes, territories and accounts named in the file, found once each."""

    def __init__(self, module: Module | None = None) -> None:
        self.themes: dict[str, Theme] = {}
        # The démarche's themes only (``themes_of``): a theme of the organisation it does not name is refused.
        self.other_themes: set[str] = set()
        allowed = set(themes_of(module.space).values_list("pk", flat=True)) if module is not None else None
        for theme in Theme.objects.all():
            if allowed is not None and theme.pk not in allowed:
                self.other_themes.update({normalise(theme.name), normalise(theme.slug)})
                continue
            self.themes.setdefault(normalise(theme.name), theme)
            self.themes.setdefault(normalise(theme.slug), theme)
        self.territories: dict[str, Territory] = {}
        for territory in Territory.objects.all():
            for key in (territory.name, territory.slug, territory.code):
                if key:
                    self.territories.setdefault(normalise(key), territory)
        self.users: dict[str, User | None] = {}

    def user(self, identifier: str) -> User | None:
        if identifier not in self.users:
            self.users[identifier] = (
                User.objects.filter(is_deleted=False)
                .filter(Q(email__iexact=identifier) | Q(pseudonym__iexact=identifier))
                .first()
            )
        return self.users[identifier]


def _body_html(text: str) -> str:
    """Plain text (one paragraph per line) as HTML; HTML typed in the file is kept (and sanitised on save)."""
    if text.lstrip().startswith("<"):
        return text
    return "".join(f"<p>{html.escape(line.strip())}</p>" for line in text.splitlines() if line.strip())


def _decimal(value: str) -> Decimal | str:
    try:
        return Decimal(value.replace(",", ".").replace(" ", ""))
    except InvalidOperation:
        return value


def _date(value: str) -> datetime.datetime | None:
    for fmt in DATE_FORMATS:
        try:
            parsed = datetime.datetime.strptime(value, fmt)
        except ValueError:
            continue
        return parsed if timezone.is_aware(parsed) else timezone.make_aware(parsed)
    return None


def _check_text(record: dict[str, str], errors: list[str]) -> None:
    if not record.get("titre"):
        errors.append(_("le titre est vide"))
    if not record.get("description"):
        errors.append(_("la description est vide"))


def _find(record: dict[str, str], lookups: Lookups, row: Row, errors: list[str]) -> None:
    theme, territory = record.get("theme", ""), record.get("territoire", "")
    if theme:
        row.data["theme"] = lookups.themes.get(normalise(theme))
        if row.data["theme"] is None and normalise(theme) in lookups.other_themes:
            errors.append(_("le thème « %(v)s » n'est pas l'un de ceux de la démarche") % {"v": theme})
        elif row.data["theme"] is None:
            errors.append(_("le thème « %(v)s » n'existe pas") % {"v": theme})
    if territory:
        row.data["territory"] = lookups.territories.get(normalise(territory))
        if row.data["territory"] is None:
            errors.append(_("le territoire « %(v)s » n'existe pas") % {"v": territory})
    author = record.get("auteur", "")
    if author and normalise(author) != "anonyme":
        row.author = lookups.user(author)
        if row.author is None:
            errors.append(
                _("aucun compte n'a l'adresse ou le pseudonyme « %(v)s » (laissez « auteur » vide et indiquez le nom)")
                % {"v": author}
            )


def _origin_and_date(record: dict[str, str], row: Row, errors: list[str]) -> None:
    origin = ORIGINS.get(normalise(record.get("origine", "")))
    if origin is None:
        errors.append(_("origine inconnue « %(v)s » (papier, réunion, guichet ou en ligne)") % {"v": record["origine"]})
    else:
        row.origin = origin
    when = record.get("date_depot", "")
    if when:
        row.published_at = _date(when)
        if row.published_at is None:
            errors.append(_("date de dépôt illisible « %(v)s » (jj/mm/aaaa)") % {"v": when})
        elif row.published_at > timezone.now():
            errors.append(_("la date de dépôt est dans le futur"))


def parse_row(line: int, record: dict[str, str], lookups: Lookups) -> tuple[Row | None, list[str]]:
    """A line of the file as the data of ``proposal_create``, or the reasons it is rejected."""
    errors: list[str] = []
    _check_text(record, errors)
    row = Row(line=line, data={"title": record.get("titre", ""), "body": _body_html(record.get("description", ""))})
    row.data["address"] = record.get("adresse", "")
    for name in ("latitude", "longitude"):
        if record.get(name):
            row.data[name] = _decimal(record[name])
    _find(record, lookups, row, errors)
    _origin_and_date(record, row, errors)
    row.name = record.get("nom", "")[:200]
    return (None if errors else row), errors


# --- importing ----------------------------------------------------------------------------------------------------
def _service_reason(exc: ValidationError) -> str:
    if hasattr(exc, "error_dict"):
        parts = []
        for name, errors in exc.error_dict.items():
            column = FIELD_COLUMNS.get(name, name)
            text = " ".join(str(m) for e in errors for m in e.messages)
            parts.append(f"{column} : {text}" if column != "__all__" else text)
        return " ; ".join(parts)
    return " ".join(exc.messages)


def _create(*, actor: User, module: Module, row: Row) -> Proposal:
    return proposal_enter(
        agent=actor,
        module=module,
        data=row.data,
        origin=row.origin,
        author=row.author,
        name=row.name,
        received_at=row.published_at,
        allow_online=True,
    )


def _title(row: Row) -> str:
    return " ".join(str(row.data["title"]).split())


def _existing_titles(module: Module, rows: list[Row]) -> dict[str, int]:
    """The titles of the file already in the module (lowercased), with their number: one query for the file."""
    titles = {_title(row) for row in rows}
    if not titles:
        return {}
    lowered = {t.lower() for t in titles}
    found = (
        Proposal.objects.filter(module=module)
        .annotate(lowered=Lower("title"))
        .filter(Q(title__in=titles) | Q(lowered__in=lowered))
        .values_list("title", "reference")
    )
    return {title.lower(): reference for title, reference in found}


def _duplicate(row: Row, existing: dict[str, int], seen: set[str]) -> str | None:
    key = normalise(row.data["title"])
    if key in seen:
        return _("même titre qu'une ligne précédente du fichier")
    seen.add(key)
    reference = existing.get(_title(row).lower())
    if reference is not None:
        return _("une proposition de ce titre existe déjà (n° %(ref)s) : le fichier a-t-il déjà été importé ?") % {
            "ref": reference
        }
    return None


def _parse_file(text: str, report: Report, module: Module) -> list[tuple[int, Row | None, list[str]]] | None:
    """Every line read and checked (nothing written yet); None when the file has too many lines."""
    lookups = Lookups(module)
    parsed = []
    for line, record in _records(text):
        report.rows += 1
        if report.rows > MAX_ROWS:
            report.errors.append(
                (None, _("Le fichier compte plus de %(n)s propositions : découpez-le.") % {"n": MAX_ROWS})
            )
            return None
        parsed.append((line, *parse_row(line, record, lookups)))
    return parsed


def _import_rows(*, actor: User, module: Module, text: str, report: Report) -> None:
    parsed = _parse_file(text, report, module)
    if parsed is None:
        return
    existing = _existing_titles(module, [row for _line, row, _errors in parsed if row is not None])
    seen: set[str] = set()
    for line, row, errors in parsed:
        if row is not None:
            duplicate = _duplicate(row, existing, seen)
            errors = [duplicate] if duplicate else []
        if errors or row is None:
            report.errors.append((line, " ; ".join(errors)))
            continue
        try:
            with transaction.atomic():
                _create(actor=actor, module=module, row=row)
        except ValidationError as exc:
            report.errors.append((line, _service_reason(exc)))
        else:
            report.imported += 1


def import_proposals(*, actor: User, module: Module, filename: str, data: bytes, only_valid: bool = False) -> Report:
    """Import a CSV of proposals into ``module``, entered by ``actor``; see the module's docstring.

    Returns the report; ``report.rolled_back`` is true when lines were rejected and nothing was imported.
    """
    report = Report()
    text = _decode(data)
    header_errors = _header_errors(text)
    if header_errors:
        report.errors.extend((None, e) for e in header_errors)
        return report
    with transaction.atomic():
        _import_rows(actor=actor, module=module, text=text, report=report)
        report.valid = report.imported
        if report.errors and (not only_valid or any(line is None for line, _reason in report.errors)):
            transaction.set_rollback(True)
            report.rolled_back = report.imported > 0
            report.imported = 0
            return report
        audit(
            actor=actor,
            action="proposals.import",
            target=module,
            after={"file": filename[:200], "imported": report.imported, "rejected": len(report.errors)},
        )
    return report


def summary(report: Report) -> str:
    """One sentence for the message shown after the import."""
    if report.imported:
        return ngettext(
            "%(n)s proposition a été importée.", "%(n)s propositions ont été importées.", report.imported
        ) % {"n": report.imported}
    return _("Aucune proposition n'a été importée.")
