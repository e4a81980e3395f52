"""The archive of « Mes données »: every source's named tables, as JSON and CSV, in one ZIP (decision 0035).

The sources are the platform apps' providers (``accounts.hooks.register_personal_data``) and each module type's
``personal_data`` (its manifest): nothing here names an app's or a module's model, so a new module plugs in by
declaring its own.
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Callable, Iterator
from functools import partial
from typing import IO, Any

from django.utils import timezone

from participe.accounts.hooks import personal_data_providers
from participe.core.personal_data import Row, Tables
from participe.core.registry import ModuleManifest, personal_data_of, registry

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Source = tuple[str, Callable[[Any], Tables]]

README = """Vos données sur {site}, préparées le {date}.

Chaque dossier est une source : le compte, les services de la plateforme (commentaires, soutiens, abonnements…)
et chaque type de module (propositions, questionnaires, réunions…). Chaque tableau y est en deux formats :
JSON (les valeurs telles quelles) et CSV (séparateur « ; », UTF-8, à ouvrir avec un tableur).
mes-donnees.json réunit tout.

Ne s'y trouvent pas :
- les valeurs chiffrées du recensement qui ont servi à vérifier votre résidence (elles ne disent rien
  d'autre que ce que la vérification indique) ;
- vos réponses aux questionnaires anonymes et vos bulletins de vote : rien ne les relie à votre compte,
  c'est ce qui garantit leur anonymat ; seul le fait d'avoir répondu ou voté y figure.
"""


def sources() -> list[Source]:
    """(name, provider) of every source, the platform's first, then each module type's, in key order."""
    found: list[Source] = list(personal_data_providers().items())
    found.extend((f"module-{m.key}", partial(_module_data, m)) for m in registry.all() if m.personal_data)
    return found


def _module_data(manifest: ModuleManifest, user: Any) -> Tables:
    return personal_data_of(manifest, user)


def collect(user: Any, progress: Callable[[int, int], None] | None = None) -> dict[str, Tables]:
    """Every source's tables about ``user``; ``progress(done, total)`` after each source."""
    found: dict[str, Tables] = {}
    every = sources()
    for index, (name, provider) in enumerate(every, start=1):
        tables = {table: list(table_rows) for table, table_rows in provider(user).items()}
        if any(tables.values()):
            found[name] = tables
        if progress is not None:
            progress(index, len(every))
    return found


def write_zip(target: IO[bytes], data: dict[str, Tables], *, site: str) -> None:
    """The archive of ``data`` into the binary file ``target``."""
    now = timezone.localtime()
    with zipfile.ZipFile(target, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("LISEZ-MOI.txt", README.format(site=site, date=now.strftime("%d/%m/%Y à %H:%M")))
        archive.writestr("mes-donnees.json", _json(data))
        for source, tables in data.items():
            for table, table_rows in tables.items():
                archive.writestr(f"{source}/{table}.json", _json(table_rows))
                archive.writestr(f"{source}/{table}.csv", "".join(csv_lines(table_rows)))


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, indent=2, sort_keys=False)


def csv_lines(table_rows: list[Row]) -> Iterator[str]:
    """The table as CSV (« ; », a BOM for spreadsheets): every key a column, nested values as JSON text, cells that
    look like a formula neutralised with a quote."""
    columns: list[str] = []
    for row in table_rows:
        columns.extend(key for key in row if key not in columns)
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")
    writer.writerow(columns)
    for row in table_rows:
        writer.writerow([_cell(row.get(column)) for column in columns])
    yield buffer.getvalue()


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "oui" if value else "non"
    if isinstance(value, dict | list):
        value = json.dumps(value, ensure_ascii=False)
    text = str(value)
    return "'" + text if text.startswith(FORMULA_STARTS) else text
