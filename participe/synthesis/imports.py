"""Import of contributions collected outside the platform (a paper register, an earlier consultation) into a
space, read-only (« contributions importées »), so that they are synthesised with the others.

A CSV file (UTF-8, comma or semicolon) or a JSON file (a list of objects, or ``{"contributions": [...]}``) with
``id`` and ``text`` and optionally ``author``, ``territory``, ``date`` (2026-03-14 or 14/03/2026) and
``question``; the French names (``identifiant``, ``texte``, ``auteur``, ``territoire``, ``question``) work too.
All or nothing: every wrong line is listed with its number and nothing is written unless every line is right."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from participe.activity.services import audit
from participe.permissions.refusals import Reason, require
from participe.spaces.models import Space
from participe.synthesis.models import ImportBatch, ImportedContribution

MAX_TEXT = 100_000
MAX_ROWS = 200_000
MAX_ERRORS = 50  # listed; beyond, how many more
ALIASES = {
    "identifiant": "id",
    "texte": "text",
    "contribution": "text",
    "auteur": "author",
    "territoire": "territory",
    "quartier": "territory",
}
NOT_MANAGER = Reason(
    "not_manager", gettext_lazy("Seuls les administrateurs de la démarche y importent des contributions.")
)


@dataclass
class ImportErrors(Exception):
    errors: list[str]

    def __str__(self) -> str:
        return "\n".join(self.errors)


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportErrors(
            [
                _(
                    "Le fichier n'est pas en UTF-8 (caractère illisible à l'octet %(n)s) : enregistrez-le en "
                    "« CSV UTF-8 » depuis votre tableur, puis importez-le de nouveau."
                )
                % {"n": exc.start}
            ]
        ) from None


def _records(name: str, content: str) -> Iterator[dict[str, Any]]:
    if name.lower().endswith(".json") or content.lstrip().startswith(("[", "{")):
        try:
            data = json.loads(content)
        except json.JSONDecodeError as exc:
            raise ImportErrors([_("JSON illisible, ligne %(l)s : %(m)s.") % {"l": exc.lineno, "m": exc.msg}]) from None
        if isinstance(data, dict):
            data = data.get("contributions")
        if not isinstance(data, list):
            raise ImportErrors([_('Le JSON doit être une liste de contributions (ou {"contributions": [...]}).')])
        for record in data:
            yield record if isinstance(record, dict) else {}
        return
    sample = content[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    reader = csv.DictReader(io.StringIO(content, newline=""), delimiter=delimiter)
    columns = {ALIASES.get(c.strip().lower(), c.strip().lower()) for c in reader.fieldnames or []}
    missing = [c for c in ("id", "text") if c not in columns]
    if missing:
        raise ImportErrors(
            [
                _(
                    "Colonnes manquantes : %(c)s (attendues : id, text, et si vous les avez author, "
                    "territory, date, question)."
                )
                % {"c": ", ".join(missing)}
            ]
        )
    yield from reader


def _normalise(record: dict[str, Any]) -> dict[str, str]:
    return {
        ALIASES.get(str(k).strip().lower(), str(k).strip().lower()): str(v).strip() if v is not None else ""
        for k, v in record.items()
        if k is not None
    }


def _date(value: str) -> datetime.date | None:
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%Y-%m-%dT%H:%M:%S"):
        try:
            return datetime.datetime.strptime(value[:19], pattern).date()
        except ValueError:
            continue
    raise ValueError(value)


def _row(number: int, values: dict[str, str], seen: set[str]) -> tuple[ImportedContribution | None, list[str]]:
    errors = []
    external_id, text = values.get("id", ""), values.get("text", "")
    if not external_id:
        errors.append(_("ligne %(n)s : l'identifiant est vide.") % {"n": number})
    elif len(external_id) > 100:
        errors.append(_("ligne %(n)s : l'identifiant fait plus de 100 caractères.") % {"n": number})
    elif external_id in seen:
        errors.append(_("ligne %(n)s : l'identifiant « %(id)s » est en double.") % {"n": number, "id": external_id})
    seen.add(external_id)
    if not text:
        errors.append(_("ligne %(n)s : le texte est vide.") % {"n": number})
    elif len(text) > MAX_TEXT:
        errors.append(
            _("ligne %(n)s : le texte fait %(len)s caractères, au plus %(max)s.")
            % {"n": number, "len": len(text), "max": MAX_TEXT}
        )
    try:
        date = _date(values.get("date", ""))
    except ValueError:
        date = None
        errors.append(
            _("ligne %(n)s : date illisible « %(d)s » (attendu : 2026-03-14 ou 14/03/2026).")
            % {"n": number, "d": values.get("date", "")[:30]}
        )
    if errors:
        return None, errors
    return (
        ImportedContribution(
            external_id=external_id,
            text=text,
            author=values.get("author", "")[:200],
            territory_name=values.get("territory", "")[:200],
            date=date,
            question=values.get("question", "")[:300],
        ),
        [],
    )


def parse(name: str, data: bytes) -> list[ImportedContribution]:
    """The contributions of a file, unsaved; ``ImportErrors`` lists every wrong line."""
    content = _decode(data)
    rows: list[ImportedContribution] = []
    errors: list[str] = []
    seen: set[str] = set()
    for number, record in enumerate(_records(name, content), start=2 if not name.lower().endswith(".json") else 1):
        if len(rows) + len(errors) >= MAX_ROWS:
            raise ImportErrors([_("Le fichier a plus de %(n)s lignes : découpez-le.") % {"n": MAX_ROWS}])
        row, wrong = _row(number, _normalise(record), seen)
        if row is not None:
            rows.append(row)
        errors.extend(wrong)
    if not rows and not errors:
        errors.append(_("Le fichier ne contient aucune contribution."))
    if errors:
        shown = errors[:MAX_ERRORS]
        if len(errors) > MAX_ERRORS:
            shown.append(_("… et %(n)s autres erreurs.") % {"n": len(errors) - MAX_ERRORS})
        raise ImportErrors(shown)
    return rows


@transaction.atomic
def contributions_import(*, actor: Any, space: Space, name: str, data: bytes) -> ImportBatch:
    """Import the contributions of the file ``name`` (``data``: its bytes) into ``space``, all or nothing.
    Raises ``ImportErrors`` (every wrong line) and writes nothing when one line is wrong or an id is already
    imported in the space."""
    require(actor, "synthesis.import_contributions", space, reason=NOT_MANAGER)
    rows = parse(name, data)
    taken = set(
        ImportedContribution.objects.filter(space=space, external_id__in=[r.external_id for r in rows]).values_list(
            "external_id", flat=True
        )
    )
    if taken:
        listed = ", ".join(sorted(taken)[:20])
        raise ImportErrors([_("Ces identifiants sont déjà importés dans la démarche : %(ids)s.") % {"ids": listed}])
    batch = ImportBatch.objects.create(space=space, name=(name or _("import"))[:200], created_by=actor, count=len(rows))
    for row in rows:
        row.space, row.batch = space, batch
    ImportedContribution.objects.bulk_create(rows, batch_size=2000)
    audit(actor=actor, action="synthesis.import", target=space, after={"file": batch.name, "count": len(rows)})
    return batch


def validation_error(exc: ImportErrors) -> ValidationError:
    return ValidationError(exc.errors)
