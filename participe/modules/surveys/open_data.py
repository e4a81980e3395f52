"""The aggregated results as data: the open-data CSV of the counts, and the payload of the API and of the open-data
JSON (counts, percentages and statistics; never an individual answer)."""

from __future__ import annotations

import csv
import datetime
import io
import json
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from participe.modules.surveys.export_formats import DELIMITER, json_number, safe
from participe.modules.surveys.models import Question, Questionnaire
from participe.modules.surveys.results import EVERYONE, QuestionResult, Results, results_for

Kind = Question.Kind
OPEN_DATA_FIELDS = ("question", "intitule", "type", "ligne", "reponse", "nombre", "pourcentage", "rang_moyen", "base")


def aggregated_rows(results: Results) -> Iterator[dict[str, Any]]:
    """One row per counted answer of each closed question: the counts, never an individual answer."""
    for result in results:
        common = {"question": result.number, "intitule": result.question.title, "type": result.kind}
        for line in result.lines:
            yield common | {
                "ligne": "",
                "reponse": line.label,
                "nombre": line.count,
                "pourcentage": None if line.percent is None else round(line.percent, 2),
                "rang_moyen": None if line.mean_rank is None else round(line.mean_rank, 3),
                "base": result.answered,
            }
        for matrix_line in result.matrix:
            for cell in matrix_line.cells:
                percent = None if cell.percent is None else round(cell.percent, 2)
                yield common | {
                    "ligne": matrix_line.label,
                    "reponse": cell.label,
                    "nombre": cell.count,
                    "pourcentage": percent,
                    "rang_moyen": None,
                    "base": matrix_line.answered,
                }


def _stat(value: Any) -> Any:
    if isinstance(value, Decimal):
        return json_number(value)
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _question_payload(result: QuestionResult) -> dict[str, Any]:
    kind = result.kind
    data: dict[str, Any] = {
        "id": result.question.pk,
        "number": result.number,
        "kind": kind,
        "title": result.question.title,
        "respondents": result.respondents,
        "answered": result.answered,
        "choices": [],
        "values": [],
        "rows": [],
        "mean": None,
        "stats": None,
        "answers_count": None,
    }
    lines = [
        {
            "id": int(line.key),
            "label": line.label,
            "count": line.count,
            "percent": line.percent,
            "mean_rank": line.mean_rank,
        }
        for line in result.lines
    ]
    if kind == Kind.SCALE:
        data["values"] = [
            {"value": int(line.key), "label": line.label, "count": line.count, "percent": line.percent}
            for line in result.lines
        ]
        data["mean"] = result.mean
    else:
        data["choices"] = lines
    data["rows"] = [
        {
            "id": int(row.key),
            "label": row.label,
            "answered": row.answered,
            "cells": [
                {"choice_id": int(c.key), "label": c.label, "count": c.count, "percent": c.percent} for c in row.cells
            ],
        }
        for row in result.matrix
    ]
    if result.stats is not None:
        stats = result.stats
        data["stats"] = {
            "count": stats.count,
            "minimum": _stat(stats.minimum),
            "maximum": _stat(stats.maximum),
            "mean": stats.mean,
            "median": _stat(stats.median),
        }
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT, Kind.FILE):
        data["answers_count"] = result.answers_count
    return data


def results_payload(results: Results) -> dict[str, Any]:
    """The aggregated results as data (the API and the open-data JSON): counts and statistics, no answer text."""
    questionnaire = results.questionnaire
    return {
        "module_id": questionnaire.module_id,
        "title": str(questionnaire.module.title),
        "respondents": results.respondents,
        "territory_id": results.scope.territory.pk if results.scope.territory is not None else None,
        "questions": [_question_payload(result) for result in results],
    }


def _comma(value: float | None) -> str:
    return "" if value is None else str(value).replace(".", ",")


def aggregated_csv(results: Results) -> str:
    """The open-data CSV of the counts (";" and decimal commas, as for the responses' export; BOM added on output)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=DELIMITER, lineterminator="\r\n")
    writer.writerow(OPEN_DATA_FIELDS)
    for row in aggregated_rows(results):
        writer.writerow(
            [
                row["question"],
                safe(row["intitule"]),
                row["type"],
                safe(row["ligne"]),
                safe(row["reponse"]),
                row["nombre"],
                _comma(row["pourcentage"]),
                _comma(row["rang_moyen"]),
                "" if row["base"] is None else row["base"],
            ]
        )
    return buffer.getvalue()


# --- the manifest's open-data export (served by the platform's catalogue, /donnees-ouvertes/) -------------------
def is_open(module: Any) -> bool:
    """The module publishes its aggregated results as open data (its ``results_open_data`` setting)."""
    return bool(module.effective_settings().get("results_open_data"))


def stream(module: Any, fmt: str) -> Iterator[str]:
    """The aggregated results of the module's questionnaire in ``fmt`` (``csv`` or ``json``)."""
    questionnaire = Questionnaire.objects.filter(module=module).first()
    if questionnaire is None:
        return iter(())
    results = results_for(questionnaire, EVERYONE)
    if fmt == "csv":
        return iter(("\ufeff", aggregated_csv(results)))
    return iter((json.dumps(results_payload(results), ensure_ascii=False, indent=1),))
