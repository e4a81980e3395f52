"""How a response becomes a CSV row and a JSON object: the columns of each question, the writers.

CSV: one row per response, one column per question (per option for a multiple choice and a ranking, per row for a
matrix), UTF-8 with a byte order mark, ";" between fields and decimal commas, as spreadsheets set to French expect
when the file is opened with a double click; cells beginning like a formula are neutralised with a quote.
JSON: the questionnaire's structure, then the responses with their answers by question number, numbers as numbers.
"""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from typing import IO, Any

from django.utils import timezone
from django.utils.translation import gettext as _

from participe.modules.surveys.models import Question, Questionnaire
from participe.modules.surveys.results import numbered

DELIMITER = ";"
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
Kind = Question.Kind
# An answer as read for an export: question, choice, matrix row, rank, number, date, text, file name.
Row = tuple[int, int | None, int | None, int | None, Decimal | None, datetime.date | None, str, str]
ANSWER_FIELDS = ("question_id", "choice_id", "row_id", "rank", "number", "date", "text", "file_name")
# A response as read for an export: primary key, receipt, time of submission, territory's name, agent who typed it.
ResponseRow = tuple[int, Any, datetime.datetime, str | None, int | None]
RESPONSE_FIELDS = ("pk", "receipt", "submitted_at", "territory__name", "entered_by_id")


def safe(text: str) -> str:
    """A text cell that a spreadsheet will not read as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def decimal_text(value: Decimal | None, comma: bool = True) -> str:
    """``Decimal("3.500000")`` → "3,5" (or "3.5"); integers without decimals."""
    if value is None:
        return ""
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",") if comma else text


def json_number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral_value() else float(value)


class QuestionColumns:
    """The CSV columns and the JSON value of one question."""

    def __init__(self, number: int, question: Question) -> None:
        self.number = number
        self.question = question
        self.choices = list(question.choices.all())
        self.rows = list(question.rows.all())
        self.labels = {c.pk: c.label for c in self.choices}
        self.other = next((c for c in self.choices if c.is_other), None)
        self.title = f"Q{number}. {question.title}"

    def headers(self) -> list[str]:
        kind = self.question.kind
        if kind == Kind.MULTIPLE:
            columns = [f"{self.title} — {c.label}" for c in self.choices]
        elif kind == Kind.RANKING:
            columns = [f"{self.title} — {c.label} ({_('rang')})" for c in self.choices]
        elif kind == Kind.MATRIX:
            columns = [f"{self.title} — {r.label}" for r in self.rows]
        else:
            columns = [self.title]
        if self.other is not None and kind in (Kind.SINGLE, Kind.MULTIPLE):
            columns.append(f"{self.title} — {self.other.label} ({_('précisez')})")
        return columns

    def cells(self, answers: list[Row]) -> list[str]:
        kind = self.question.kind
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            return self._choice_cells(answers)
        if kind == Kind.RANKING:
            ranks = {a[1]: a[3] for a in answers}
            return [str(ranks[c.pk]) if ranks.get(c.pk) else "" for c in self.choices]
        if kind == Kind.MATRIX:
            chosen = {a[2]: a[1] for a in answers}
            return [safe(self.labels.get(chosen.get(r.pk) or 0, "")) for r in self.rows]
        first = answers[0] if answers else None
        if first is None:
            return [""]
        if kind in (Kind.NUMBER, Kind.SCALE):
            return [decimal_text(first[4])]
        if kind == Kind.DATE:
            return [first[5].isoformat() if first[5] else ""]
        if kind == Kind.FILE:
            return [safe(first[7])]
        return [safe(first[6])]

    def _choice_cells(self, answers: list[Row]) -> list[str]:
        chosen = {a[1] for a in answers}
        if self.question.kind == Kind.SINGLE:
            cells = [safe("; ".join(self.labels.get(c or 0, "") for c in chosen))]
        else:
            cells = [("1" if c.pk in chosen else "0") if answers else "" for c in self.choices]
        if self.other is not None:
            cells.append(safe(next((a[6] for a in answers if a[1] == self.other.pk), "")))
        return cells

    def value(self, answers: list[Row]) -> Any:
        kind = self.question.kind
        if kind in (Kind.SINGLE, Kind.MULTIPLE):
            chosen = [self._choice(a) for a in answers]
            return (chosen[0] if chosen else None) if kind == Kind.SINGLE else chosen
        if kind == Kind.RANKING:
            ranked = sorted((a for a in answers if a[3]), key=lambda a: a[3] or 0)
            return [{"choice_id": a[1], "label": self.labels.get(a[1] or 0, ""), "rank": a[3]} for a in ranked]
        if kind == Kind.MATRIX:
            labels = {r.pk: r.label for r in self.rows}
            return [
                {
                    "row_id": a[2],
                    "row": labels.get(a[2] or 0, ""),
                    "choice_id": a[1],
                    "label": self.labels.get(a[1] or 0, ""),
                }
                for a in answers
            ]
        if not answers:
            return None
        first = answers[0]
        if kind in (Kind.NUMBER, Kind.SCALE):
            return json_number(first[4])
        if kind == Kind.DATE:
            return first[5].isoformat() if first[5] else None
        if kind == Kind.FILE:
            return {"name": first[7]}
        return first[6]

    def _choice(self, answer: Row) -> dict[str, Any]:
        data: dict[str, Any] = {"choice_id": answer[1], "label": self.labels.get(answer[1] or 0, "")}
        if self.other is not None and answer[1] == self.other.pk:
            data["precision"] = answer[6]
        return data


class ExportPlan:
    """The questions of a questionnaire (sections left out), numbered, with their columns."""

    def __init__(self, items: list[Question]) -> None:
        self.columns = [QuestionColumns(number, question) for number, question in numbered(items)]
        self.question_ids = [c.question.pk for c in self.columns]

    def headers(self) -> list[str]:
        fixed = [_("Récépissé"), _("Envoyée le"), _("Territoire du répondant"), _("Saisie par un agent")]
        return [safe(h) for h in fixed + [h for c in self.columns for h in c.headers()]]


def _local(moment: datetime.datetime) -> str:
    return timezone.localtime(moment).strftime("%Y-%m-%d %H:%M:%S")


def _receipt(value: Any) -> str:
    return value.hex[:8].upper()


class CsvWriter:
    def __init__(self, raw: IO[bytes], plan: ExportPlan) -> None:
        self.text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")  # type: ignore[arg-type]
        self.csv = csv.writer(self.text, delimiter=DELIMITER, lineterminator="\r\n")
        self.plan = plan
        self.csv.writerow(plan.headers())

    def write(self, response: ResponseRow, answers: dict[int, list[Row]]) -> None:
        _pk, receipt, submitted_at, territory, entered_by = response
        row = [_receipt(receipt), _local(submitted_at), safe(territory or ""), _("oui") if entered_by else _("non")]
        for column in self.plan.columns:
            row.extend(column.cells(answers.get(column.question.pk, [])))
        self.csv.writerow(row)

    def close(self) -> None:
        self.text.flush()
        self.text.detach()


class JsonWriter:
    def __init__(self, raw: IO[bytes], plan: ExportPlan, questionnaire: Questionnaire) -> None:
        self.raw = raw
        self.plan = plan
        self.first = True
        head = {"questionnaire": structure(questionnaire, plan), "exported_at": timezone.now().isoformat()}
        opening = json.dumps(head, ensure_ascii=False)[:-1] + ', "responses": [\n'
        raw.write(opening.encode())

    def write(self, response: ResponseRow, answers: dict[int, list[Row]]) -> None:
        _pk, receipt, submitted_at, territory, entered_by = response
        data = {
            "receipt": _receipt(receipt),
            "submitted_at": submitted_at.isoformat(),
            "territory": territory,
            "entered_by_agent": bool(entered_by),
            "answers": {str(c.number): c.value(answers.get(c.question.pk, [])) for c in self.plan.columns},
        }
        text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
        self.raw.write((("" if self.first else ",\n") + text).encode())
        self.first = False

    def close(self) -> None:
        self.raw.write(b"\n]}\n")
        self.raw.flush()


def structure(questionnaire: Questionnaire, plan: ExportPlan) -> dict[str, Any]:
    return {
        "id": questionnaire.pk,
        "module_id": questionnaire.module_id,
        "title": str(questionnaire.module.title),
        "questions": [
            {
                "number": c.number,
                "id": c.question.pk,
                "kind": c.question.kind,
                "title": c.question.title,
                "choices": [{"id": x.pk, "label": x.label, "is_other": x.is_other} for x in c.choices],
                "rows": [{"id": r.pk, "label": r.label} for r in c.rows],
            }
            for c in plan.columns
        ],
    }
