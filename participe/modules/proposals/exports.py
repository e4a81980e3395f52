"""Exports of a proposals module: CSV (for spreadsheets: UTF-8 with a BOM, ";" separator), JSON and GeoJSON.

- For the agents (back-office): every proposal they see, with every field but the private notes (author's
  name and email, service, feasibility, cost, prepared and published answers…), filtered like their list.
- Open data (public, when the module's ``open_data`` setting is on): the published proposals a visitor sees,
  without any personal data (no author, no agent, nothing of the analysis but the published answer).

Rows are streamed from the database by chunks: memory stays flat whatever the size of the module.
Column names are the same in every format, and those the CSV import reads (``titre``, ``description``,
``theme``, ``territoire``, ``adresse``, ``latitude``, ``longitude``, ``auteur``, ``origine``, ``date_depot``) mean
the same thing there, so an export can be imported into another module.
"""

from __future__ import annotations

import csv
import datetime
import decimal
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from participe.core.models import ModerationStatus
from participe.core.sanitize import plain_text
from participe.modules.proposals.models import Proposal
from participe.spaces.models import Module

FORMATS = ("csv", "json", "geojson")
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "geojson": "application/geo+json; charset=utf-8",
}
BOM = "\ufeff"
CHUNK = 1000
# A cell a spreadsheet would run as a formula (CSV injection) is written as text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _when(value: datetime.datetime | None) -> str | None:
    return timezone.localtime(value).isoformat(timespec="seconds") if value else None


def _number(value: decimal.Decimal | None) -> float | None:
    return float(value) if value is not None else None


@dataclass(frozen=True)
class Column:
    key: str
    value: Callable[[Proposal], Any]
    label: Callable[[Proposal], Any] | None = None  # what a spreadsheet shows instead of a code


URL_SENTINEL = 987654321


def _url_of(module: Module) -> Callable[[Proposal], str]:
    """The public address of each proposal, reversed once for the whole export."""
    kwargs = {"slug": module.space.slug, "module_slug": module.slug, "pk": URL_SENTINEL}
    template = settings.SITE_URL.rstrip("/") + reverse("spaces:proposals:detail", kwargs=kwargs)
    return lambda p: template.replace(str(URL_SENTINEL), str(p.pk))


def _labels(choices: Any, field: str) -> Callable[[Proposal], str | None]:
    """A choice's label in the current language, translated once per export (not once per row)."""
    names = {value: str(label) for value, label in choices}
    return lambda p: names.get(getattr(p, field)) or None


def _name(obj: Any) -> str | None:
    return str(obj) if obj is not None else None


def _author(p: Proposal) -> str:
    return p.author.pseudonym if p.author is not None else "anonyme"


def public_columns(module: Module) -> list[Column]:
    """What anybody may reuse: the proposals as published, the collectivité's answers, no personal data."""
    return [
        Column("numero", lambda p: p.reference or None),
        Column("id", lambda p: p.pk),
        Column("titre", lambda p: p.title),
        Column("description", lambda p: plain_text(p.body)),
        Column("url", _url_of(module)),
        Column("date_depot", lambda p: _when(p.published_at)),
        Column("theme", lambda p: _name(p.theme)),
        Column("territoire", lambda p: _name(p.territory)),
        Column("code_territoire", lambda p: (p.territory.code or None) if p.territory else None),
        Column("latitude", lambda p: _number(p.latitude)),
        Column("longitude", lambda p: _number(p.longitude)),
        Column("adresse", lambda p: p.address or None),
        Column("origine", lambda p: p.origin, _labels(Proposal.Origin.choices, "origin")),
        Column("soutiens", lambda p: p.supports_count),
        Column("commentaires", lambda p: p.comments_count),
        Column("seuil_atteint_le", lambda p: _when(p.retained_at)),
        Column(
            "reponse_statut", lambda p: p.answer_status or None, _labels(Proposal.AnswerStatus.choices, "answer_status")
        ),
        Column("reponse", lambda p: plain_text(p.answer) or None),
        Column("date_reponse", lambda p: _when(p.answered_at)),
    ]


def agent_columns(module: Module) -> list[Column]:
    """Everything the agents know about the proposals, but their private notes."""
    public = public_columns(module)
    return [
        *public[:5],
        Column("statut", lambda p: p.status, _labels(Proposal.Status.choices, "status")),
        *public[5:],
        Column("date_retrait", lambda p: _when(p.withdrawn_at)),
        Column("auteur", _author),
        Column("auteur_nom", lambda p: (p.author.full_name or None) if p.author else None),
        Column("auteur_courriel", lambda p: p.author.email if p.author else None),
        Column("saisie_par", lambda p: p.entered_by.pseudonym if p.entered_by else None),
        Column("abonnes", lambda p: p.followers_count),
        Column("moderation", lambda p: p.moderation_status, _labels(ModerationStatus.choices, "moderation_status")),
        # Annotated by the agents' list (participe.assignments.selectors.with_assignment): no query per row.
        Column("service", lambda p: getattr(p, "assignment_service_name", None)),
        Column("service_echeance", lambda p: _when(getattr(p, "assignment_due_at", None))),
        Column("faisabilite", lambda p: p.feasibility or None, _labels(Proposal.Feasibility.choices, "feasibility")),
        Column("cout_estime", lambda p: _number(p.estimated_cost), lambda p: p.estimated_cost),
        Column(
            "reponse_preparee_statut",
            lambda p: p.draft_answer_status or None,
            _labels(Proposal.AnswerStatus.choices, "draft_answer_status"),
        ),
        Column("reponse_preparee", lambda p: plain_text(p.draft_answer) or None),
    ]


# --- writers ------------------------------------------------------------------------------------------------------
class _Echo:
    """A file-like object whose ``write`` hands back what it is given (for csv.writer in a stream)."""

    def write(self, value: str) -> str:
        return value


def _cell(value: Any) -> Any:
    if value is None:
        return ""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def _rows(proposals: QuerySet[Proposal], module: Module) -> Iterator[Proposal]:
    for proposal in proposals.iterator(chunk_size=CHUNK):
        proposal.module = module  # one module for all: no query per row for its address
        yield proposal


def csv_stream(proposals: QuerySet[Proposal], module: Module, columns: list[Column]) -> Iterator[str]:
    writer = csv.writer(_Echo(), delimiter=";", lineterminator="\r\n")
    yield BOM + writer.writerow([c.key for c in columns])
    for proposal in _rows(proposals, module):
        yield writer.writerow([_cell((c.label or c.value)(proposal)) for c in columns])


def _record(proposal: Proposal, columns: Iterable[Column]) -> dict[str, Any]:
    return {c.key: c.value(proposal) for c in columns}


def _module_meta(module: Module) -> dict[str, Any]:
    return {
        "demarche": module.space.title,
        "module": module.title,
        "url": settings.SITE_URL.rstrip("/") + module.get_absolute_url(),
        "genere_le": _when(timezone.now()),
    }


def json_stream(proposals: QuerySet[Proposal], module: Module, columns: list[Column]) -> Iterator[str]:
    head = json.dumps(_module_meta(module), ensure_ascii=False)[:-1]
    yield head + ', "propositions": ['
    separator = "\n"
    for proposal in _rows(proposals, module):
        yield separator + json.dumps(_record(proposal, columns), ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


def geojson_stream(proposals: QuerySet[Proposal], module: Module, columns: list[Column]) -> Iterator[str]:
    """The located proposals as a GeoJSON FeatureCollection (RFC 7946: WGS 84, longitude first)."""
    properties = [c for c in columns if c.key not in {"latitude", "longitude"}]
    located = proposals.filter(latitude__isnull=False, longitude__isnull=False)
    meta = json.dumps(_module_meta(module), ensure_ascii=False)
    yield '{"type": "FeatureCollection", "metadata": ' + meta + ', "features": ['
    separator = "\n"
    for proposal in _rows(located, module):
        feature = {
            "type": "Feature",
            "id": proposal.pk,
            "geometry": {"type": "Point", "coordinates": [float(proposal.longitude), float(proposal.latitude)]},  # type: ignore[arg-type]
            "properties": _record(proposal, properties),
        }
        yield separator + json.dumps(feature, ensure_ascii=False)
        separator = ",\n"
    yield "\n]}\n"


STREAMS = {"csv": csv_stream, "json": json_stream, "geojson": geojson_stream}


def export_stream(fmt: str, proposals: QuerySet[Proposal], module: Module, *, public: bool) -> Iterator[str]:
    """The export of ``proposals`` in ``fmt`` ("csv", "json" or "geojson"), chunk by chunk."""
    columns = public_columns(module) if public else agent_columns(module)
    ordered = proposals.order_by("reference", "pk")
    return STREAMS[fmt](ordered, module, columns)


def filename(module: Module, fmt: str, *, public: bool) -> str:
    stem = "propositions-donnees-ouvertes" if public else "propositions"
    return f"{stem}-{module.space.slug}-{module.slug}-{timezone.localdate():%Y-%m-%d}.{fmt}"


def is_open_data(module: Module) -> bool:
    return bool(module.effective_settings().get("open_data"))
