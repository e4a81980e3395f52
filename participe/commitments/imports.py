"""Import or update commitments from a CSV file: every line is checked by the same services as the forms, and
nothing is written unless every line is right (the errors come back line by line).

Columns (header line, any order, French names; only ``titre`` and ``demarche`` are needed for a new commitment):
``reference`` or ``id`` (an existing commitment to update), ``titre``, ``demarche`` (the démarche's slug),
``description``, ``service`` (its name), ``territoire`` (slug or name), ``date_prevue`` (2027-03-01 or 01/03/2027),
``budget``, ``statut`` (à l'étude, en cours, en travaux, réalisé, abandonné), ``avancement`` (0–100),
``motif`` (why it was abandoned), ``etape`` (the text of the step recording a change of status or progress).
"""

from __future__ import annotations

import csv
import datetime
import io
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.commitments import services
from participe.commitments.models import Commitment, Status
from participe.organisation.models import Service, Territory
from participe.spaces.models import Space

MAX_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
COLUMNS = (
    "reference",
    "id",
    "titre",
    "demarche",
    "description",
    "service",
    "territoire",
    "date_prevue",
    "budget",
    "statut",
    "avancement",
    "motif",
    "etape",
)
FIELD_NAMES = {
    "title": "titre",
    "description": "description",
    "budget": "budget",
    "reference": "reference",
    "planned_date": "date_prevue",
    "status": "statut",
    "status_reason": "motif",
    "progress": "avancement",
    "text": "etape",
    "__all__": "",
}


@dataclass
class Report:
    """What an import did, or why it did nothing: (line number, message) pairs."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _LineError(Exception):
    pass


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise ValidationError(_("Le fichier dépasse 2 Mo : découpez-le en plusieurs fichiers."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ValidationError(
            _(
                "Le fichier n'est pas encodé en UTF-8. Dans votre tableur, enregistrez-le en « CSV UTF-8 » "
                "puis importez-le de nouveau."
            )
        ) from None
    if not text.strip():
        raise ValidationError(_("Le fichier est vide."))
    return text


def read_rows(data: bytes) -> list[dict[str, str]]:
    """The lines of the file as dictionaries keyed by the known columns; a ValidationError for the whole file."""
    text = _decode(data)
    first = text.splitlines()[0]
    delimiter = ";" if first.count(";") > first.count(",") else ","
    reader = csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter)
    header = [(h or "").strip().lower() for h in reader.fieldnames or []]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise ValidationError(
            _("Colonnes inconnues : %(cols)s. Colonnes possibles : %(known)s.")
            % {"cols": ", ".join(unknown), "known": ", ".join(COLUMNS)}
        )
    if "titre" not in header and "reference" not in header and "id" not in header:
        raise ValidationError(_("La ligne d'en-tête doit nommer au moins la colonne « titre » (ou « reference »)."))
    reader.fieldnames = header
    rows = []
    for row in reader:
        rows.append({k: (v or "").strip() for k, v in row.items() if k})
        if len(rows) > MAX_ROWS:
            raise ValidationError(_("Au plus %(n)s lignes par fichier.") % {"n": MAX_ROWS})
    if not rows:
        raise ValidationError(_("Le fichier ne contient aucune ligne après l'en-tête."))
    return rows


def _date(value: str) -> datetime.date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise _LineError(_("date_prevue : « %(v)s » n'est pas une date (2027-03-01 ou 01/03/2027).") % {"v": value})


def _status(value: str) -> str | None:
    if not value:
        return None
    wanted = value.strip().lower().replace("’", "'")
    for status in Status:
        if wanted in (status.value, str(status.label).lower()):
            return status.value
    raise _LineError(
        _("statut : « %(v)s » est inconnu (à l'étude, en cours, en travaux, réalisé, abandonné).") % {"v": value}
    )


def _service(value: str) -> Service | None:
    if not value:
        return None
    found = Service.objects.filter(name__iexact=value).first()
    if found is None:
        raise _LineError(_("service : aucun service ne s'appelle « %(v)s ».") % {"v": value})
    return found


def _territory(value: str) -> Territory | None:
    if not value:
        return None
    found = Territory.objects.filter(slug=value).first() or Territory.objects.filter(name__iexact=value).first()
    if found is None:
        raise _LineError(_("territoire : « %(v)s » est inconnu.") % {"v": value})
    return found


def _existing(row: dict[str, str]) -> Commitment | None:
    if row.get("id"):
        if not row["id"].isdigit():
            raise _LineError(_("id : « %(v)s » n'est pas un numéro.") % {"v": row["id"]})
        found = Commitment.objects.filter(pk=int(row["id"])).first()
        if found is None:
            raise _LineError(_("id : aucun engagement n° %(v)s.") % {"v": row["id"]})
        return found
    if row.get("reference"):
        return Commitment.objects.filter(reference=row["reference"]).first()
    return None


def _fields(row: dict[str, str]) -> dict[str, Any]:
    """The commitment's fields the line gives (an empty cell changes nothing on an update)."""
    values: dict[str, Any] = {}
    simple = {"titre": "title", "description": "description", "budget": "budget", "reference": "reference"}
    for column, name in simple.items():
        if row.get(column):
            values[name] = row[column]
    if row.get("date_prevue"):
        values["planned_date"] = _date(row["date_prevue"])
    if row.get("service"):
        values["service"] = _service(row["service"])
    if row.get("territoire"):
        values["territory"] = _territory(row["territoire"])
    return values


def _create(actor: User, row: dict[str, str], values: dict[str, Any]) -> None:
    if not row.get("demarche"):
        raise _LineError(_("demarche : indiquez l'identifiant (slug) de la démarche d'un nouvel engagement."))
    space = Space.objects.filter(slug=row["demarche"]).first()
    if space is None:
        raise _LineError(_("demarche : aucune démarche « %(v)s ».") % {"v": row["demarche"]})
    status = _status(row.get("statut", "")) or Status.STUDY
    services.commitment_create(
        actor,
        space=space,
        title=values.pop("title", ""),
        status=status,
        status_reason=row.get("motif", ""),
        progress=row.get("avancement") or 0,
        **values,
    )


def _update(actor: User, commitment: Commitment, row: dict[str, str], values: dict[str, Any]) -> bool:
    changed = False
    if row.get("demarche") and row["demarche"] != commitment.space.slug:
        raise _LineError(_("demarche : un engagement ne change pas de démarche."))
    current = {name: getattr(commitment, name) for name in values}
    if any(str(current[name] or "") != str(value or "") for name, value in values.items()):
        services.commitment_change(actor, commitment, **values)
        changed = True
    status = _status(row.get("statut", ""))
    progress = row.get("avancement") or None
    if (status and status != commitment.status) or (progress is not None and str(commitment.progress) != progress):
        services.commitment_update_add(
            actor,
            commitment,
            text=row.get("etape") or _("Mise à jour du suivi."),
            status=status if status != commitment.status else None,
            status_reason=row.get("motif", ""),
            progress=progress,
        )
        changed = True
    return changed


def _message(exc: Exception) -> str:
    if isinstance(exc, ValidationError) and hasattr(exc, "error_dict"):
        parts = []
        for name, messages in exc.message_dict.items():
            column = FIELD_NAMES.get(name, name)
            parts.extend(f"{column} : {m}" if column else m for m in messages)
        return " ".join(parts)
    if isinstance(exc, ValidationError):
        return " ".join(exc.messages)
    return str(exc)


def _apply_line(actor: User, row: dict[str, str], report: Report) -> None:
    values = _fields(row)
    commitment = _existing(row)
    if commitment is None:
        _create(actor, row, values)
        report.created += 1
    elif _update(actor, commitment, row, values):
        report.updated += 1
    else:
        report.unchanged += 1


def import_csv(actor: User, data: bytes) -> Report:
    """Create or update commitments from ``data`` (the file's bytes), as ``actor`` (each line is checked by the
    services, with the actor's permissions): all the lines, or none when any line is wrong."""
    report = Report()
    try:
        rows = read_rows(data)
    except ValidationError as exc:
        report.errors.append((0, " ".join(exc.messages)))
        return report
    with transaction.atomic():
        for number, row in enumerate(rows, start=2):  # line 1 is the header
            try:
                with transaction.atomic():
                    _apply_line(actor, row, report)
            except (_LineError, ValidationError, PermissionDenied) as exc:
                report.errors.append((number, _message(exc)))
        if report.errors:
            transaction.set_rollback(True)
            report.created = report.updated = report.unchanged = 0
    return report
