"""Reading the files of ``manage.py jury_draw`` and of the pool import: the ``sortition-algorithms`` example format.

- Categories: a header ``category,feature,min,max`` (that format's words: the category is our feature, its
  feature our value) or ``feature,value,min,max``; one quota per line.
- Respondents: a header with an ``id`` column (without one, people are numbered by their line, 1 for the first
  person) and one column per feature; other columns are ignored.

Every bad line is reported with its line number (the header is line 1); nothing is returned partly.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from dataclasses import dataclass

from participe.modules.juries.sortition.model import Quota


@dataclass(frozen=True)
class LineError:
    line: int
    message: str


class CsvErrors(ValueError):
    def __init__(self, errors: list[LineError]) -> None:
        self.errors = errors
        super().__init__("\n".join(f"line {e.line}: {e.message}" for e in errors))


def _reader(text: str) -> csv.DictReader:
    sample = text[:2048]
    try:
        dialect: type[csv.Dialect] | csv.Dialect = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    return csv.DictReader(io.StringIO(text.lstrip("\ufeff")), dialect=dialect)


def _lower(fields: Iterable[str] | None) -> dict[str, str]:
    return {(f or "").strip().lower(): f for f in fields or ()}


def _quota(row: dict[str, str], feature_col: str, value_col: str, names: dict[str, str]) -> Quota | str:
    """The quota of a line, or what is wrong with it."""
    feature, value = (row.get(feature_col) or "").strip(), (row.get(value_col) or "").strip()
    try:
        low, high = int(row.get(names["min"]) or ""), int(row.get(names["max"]) or "")
    except ValueError:
        return "min and max must be whole numbers"
    if not feature or not value:
        return "a feature and a value are required"
    if low < 0 or low > high:
        return f"min {low} and max {high}: expected 0 ≤ min ≤ max"
    return Quota(feature, value, low, high)


def read_categories(text: str) -> list[Quota]:
    reader = _reader(text)
    names = _lower(reader.fieldnames)
    if {"category", "feature"} <= names.keys():
        feature_col, value_col = names["category"], names["feature"]
    elif {"feature", "value"} <= names.keys():
        feature_col, value_col = names["feature"], names["value"]
    else:
        raise CsvErrors([LineError(1, "header: expected category,feature,min,max or feature,value,min,max")])
    if not {"min", "max"} <= names.keys():
        raise CsvErrors([LineError(1, "header: the min and max columns are missing")])
    quotas: list[Quota] = []
    errors: list[LineError] = []
    for line, row in enumerate(reader, start=2):
        quota = _quota(row, feature_col, value_col, names)
        if isinstance(quota, str):
            errors.append(LineError(line, quota))
        elif (quota.feature, quota.value) in {(q.feature, q.value) for q in quotas}:
            errors.append(LineError(line, f"{quota.feature}={quota.value} is listed twice"))
        else:
            quotas.append(quota)
    if errors:
        raise CsvErrors(errors)
    if not quotas:
        raise CsvErrors([LineError(1, "no quota")])
    return quotas


def read_respondents(
    text: str, quotas: list[Quota]
) -> tuple[list[tuple[str, dict[str, str], dict[str, str]]], list[LineError]]:
    """People as (id, {feature: value}, the whole row) and the errors of the other lines; the caller decides
    whether to go on without them (the import asks the agent to confirm; the command refuses)."""
    reader = _reader(text)
    names = _lower(reader.fieldnames)
    features = list(dict.fromkeys(q.feature for q in quotas))
    values = {f: {q.value for q in quotas if q.feature == f} for f in features}
    missing = [f for f in features if f.lower() not in names]
    if missing:
        return [], [LineError(1, f"header: no column for {', '.join(missing)}")]
    id_col = names.get("id")
    people, errors, seen = [], [], set()
    for number, row in enumerate(reader, start=1):
        line = number + 1
        pid = (row.get(id_col) or "").strip() if id_col else str(number)
        profile = {f: (row.get(names[f.lower()]) or "").strip() for f in features}
        bad = [f"{f}={v!r}" for f, v in profile.items() if v not in values[f]]
        if not pid:
            errors.append(LineError(line, "the id is empty"))
        elif pid in seen:
            errors.append(LineError(line, f"the id {pid} is already used"))
        elif bad:
            errors.append(LineError(line, f"unknown value: {', '.join(bad)}"))
        else:
            seen.add(pid)
            people.append((pid, profile, {k: (v or "") for k, v in row.items() if k}))
    return people, errors
