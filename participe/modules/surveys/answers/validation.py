"""Checking the answers to visible questions, kind by kind, into ``AnswerRow`` and French error messages keyed by
the id of the field each belongs to."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.core import dates
from participe.modules.surveys.answers.specs import (
    DATE,
    FILE,
    LONG_TEXT,
    MATRIX,
    MULTIPLE,
    NUMBER,
    NUMBER_LIMIT,
    RANKING,
    SCALE,
    SHORT_TEXT,
    SINGLE,
    QuestionSpec,
    as_list,
)


@dataclass(frozen=True)
class AnswerRow:
    """One future ``Answer`` row."""

    question_id: int
    choice_id: int | None = None
    row_id: int | None = None
    rank: int | None = None
    number: Decimal | None = None
    date: datetime.date | None = None
    text: str = ""
    file: str = ""
    file_name: str = ""


@dataclass
class Validation:
    rows: list[AnswerRow] = field(default_factory=list)
    errors: dict[str, str] = field(default_factory=dict)  # field id -> message
    invalid_questions: list[int] = field(default_factory=list)  # in questionnaire order

    @property
    def is_valid(self) -> bool:
        return not self.errors


class Invalid(Exception):
    def __init__(self, message: str, field_id: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field_id = field_id


def validate(questions: Iterable[QuestionSpec], values: Mapping[str, Any], visible: set[int]) -> Validation:
    """Check the answers to the visible ``questions``; hidden ones are never required and give no rows."""
    result = Validation()
    for question in questions:
        if question.is_section or question.id not in visible:
            continue
        try:
            rows = VALIDATORS[question.kind](question, values)
        except Invalid as error:
            result.errors[error.field_id or question.name] = error.message
            result.invalid_questions.append(question.id)
            continue
        if not rows and question.required:
            result.errors[question.name] = required_message(question)
            result.invalid_questions.append(question.id)
        result.rows.extend(rows)
    return result


def required_message(question: QuestionSpec) -> str:
    messages = {
        SINGLE: _("Choisissez une réponse : cette question est obligatoire."),
        MULTIPLE: _("Cochez au moins une réponse : cette question est obligatoire."),
        RANKING: _("Classez les choix : cette question est obligatoire."),
        MATRIX: _("Répondez pour chaque ligne : cette question est obligatoire."),
        SCALE: _("Choisissez une valeur : cette question est obligatoire."),
        FILE: _("Joignez un fichier : cette question est obligatoire."),
    }
    return str(messages.get(question.kind, _("Répondez à cette question : elle est obligatoire.")))


def _first(values: Mapping[str, Any], question: QuestionSpec) -> str:
    items = as_list(values.get(str(question.id)))
    return items[0].strip() if items else ""


def _text(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    items = as_list(values.get(str(question.id)))
    text = (items[0] if items else "").strip().replace("\r\n", "\n")
    if not text:
        return []
    limit = int(question.option("max_length"))
    if len(text) > limit:
        raise Invalid(
            _("Votre réponse compte %(n)s caractères ; la limite est de %(max)s : raccourcissez-la.")
            % {"n": number_format(len(text)), "max": number_format(limit)}
        )
    return [AnswerRow(question.id, text=text)]


def _choice_ids(question: QuestionSpec, raw: list[str]) -> list[int]:
    ids: list[int] = []
    for value in (v.strip() for v in raw):
        if not value:
            continue
        pk = int(value) if value.isdigit() else None
        if pk is None or question.choice(pk) is None:
            raise Invalid(_("Ce choix n'existe pas ou plus : choisissez parmi les réponses proposées."))
        if pk not in ids:
            ids.append(pk)
    return ids


def _with_other(question: QuestionSpec, values: Mapping[str, Any], ids: list[int]) -> list[AnswerRow]:
    rows = []
    for pk in ids:
        choice = question.choice(pk)
        text = ""
        if choice is not None and choice.is_other:
            text = str(values.get(f"{question.id}-other") or "").strip()
            if not text:
                raise Invalid(
                    _("Précisez votre réponse « %(label)s ».") % {"label": choice.label}, f"{question.name}-other"
                )
            if len(text) > 300:
                raise Invalid(_("Votre précision dépasse 300 caractères : raccourcissez-la."), f"{question.name}-other")
        rows.append(AnswerRow(question.id, choice_id=pk, text=text))
    return rows


def _single(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    ids = _choice_ids(question, as_list(values.get(str(question.id)))[:1])
    return _with_other(question, values, ids)


def _multiple(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    ids = _choice_ids(question, as_list(values.get(str(question.id))))
    low, high = int(question.option("min_choices")), int(question.option("max_choices"))
    if ids and len(ids) < low:
        raise Invalid(ngettext("Cochez au moins %(n)s réponse.", "Cochez au moins %(n)s réponses.", low) % {"n": low})
    if len(ids) > high:
        raise Invalid(
            ngettext(
                "Cochez au plus %(n)s réponse (vous en avez coché %(count)s).",
                "Cochez au plus %(n)s réponses (vous en avez coché %(count)s).",
                high,
            )
            % {"n": high, "count": len(ids)}
        )
    return _with_other(question, values, ids)


def _ranking(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    ranks: dict[int, int] = {}
    size = len(question.choices)
    for choice in question.choices:
        raw = str(values.get(f"{question.id}-rank-{choice.id}") or "").strip()
        if not raw:
            continue
        if not raw.isdigit() or not 1 <= int(raw) <= size:
            raise Invalid(_("Choisissez un rang entre 1 et %(n)s.") % {"n": size}, f"{question.name}-rank-{choice.id}")
        ranks[choice.id] = int(raw)
    if not ranks:
        return []
    given = sorted(ranks.values())
    for rank in given:
        if given.count(rank) > 1:
            raise Invalid(
                _("Le rang %(rank)s est donné plusieurs fois : chaque rang ne sert qu'une fois.") % {"rank": rank}
            )
    if question.option("rank_all") and len(ranks) < size:
        raise Invalid(_("Classez tous les choix, de 1 à %(n)s.") % {"n": size})
    # Ranks 1, 3 and 4 given (one left out) keep their order: stored as 1, 2, 3.
    ordered = sorted(ranks, key=lambda pk: ranks[pk])
    return [AnswerRow(question.id, choice_id=pk, rank=index) for index, pk in enumerate(ordered, start=1)]


def _matrix(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    rows = []
    missing = []
    for row in question.rows:
        raw = str(values.get(f"{question.id}-{row.id}") or "").strip()
        if not raw:
            missing.append(row)
            continue
        pk = int(raw) if raw.isdigit() else None
        if pk is None or question.choice(pk) is None:
            raise Invalid(
                _("Ce choix n'existe pas ou plus : choisissez parmi les réponses proposées."),
                f"{question.name}-{row.id}",
            )
        rows.append(AnswerRow(question.id, choice_id=pk, row_id=row.id))
    if rows and missing and question.required:
        labels = ", ".join(f"« {row.label} »" for row in missing)
        raise Invalid(
            ngettext("Répondez aussi pour la ligne %(rows)s.", "Répondez aussi pour les lignes %(rows)s.", len(missing))
            % {"rows": labels},
            f"{question.name}-{missing[0].id}",
        )
    return rows


def _scale(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    raw = _first(values, question)
    if not raw:
        return []
    low, high = int(question.option("min")), int(question.option("max"))
    if not re.fullmatch(r"-?\d+", raw) or not low <= int(raw) <= high:
        raise Invalid(_("Choisissez une valeur entre %(min)s et %(max)s.") % {"min": low, "max": high})
    return [AnswerRow(question.id, number=Decimal(int(raw)))]


def parse_number(raw: str) -> Decimal:
    """A number as people type it in France: "1 234,5", "1234.5", "-3". Raises ValueError."""
    cleaned = re.sub(r"[\s\u00a0\u202f]", "", raw).replace(",", ".")
    if not re.fullmatch(r"[-+]?(\d+(\.\d*)?|\.\d+)", cleaned):
        raise ValueError(raw)
    try:
        return Decimal(cleaned)
    except InvalidOperation as error:  # pragma: no cover - the pattern above excludes it
        raise ValueError(raw) from error


def _number(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    raw = _first(values, question)
    if not raw:
        return []
    decimals = int(question.option("decimals") or 0)
    try:
        number = parse_number(raw)
    except ValueError:
        example = _("par exemple 12") if decimals == 0 else _("par exemple 12 ou 3,5")
        raise Invalid(_("Saisissez un nombre, %(example)s.") % {"example": example}) from None
    if abs(number) >= NUMBER_LIMIT:
        raise Invalid(_("Ce nombre est trop grand."))
    exponent = number.normalize().as_tuple().exponent
    if isinstance(exponent, int) and -exponent > min(decimals, 6):
        if decimals == 0:
            raise Invalid(_("Saisissez un nombre entier, sans virgule."))
        raise Invalid(
            ngettext("Au plus %(n)s chiffre après la virgule.", "Au plus %(n)s chiffres après la virgule.", decimals)
            % {"n": decimals}
        )
    _check_bounds(question, number)
    return [AnswerRow(question.id, number=number)]


def _check_bounds(question: QuestionSpec, number: Decimal) -> None:
    low, high = question.option("min"), question.option("max")
    if low is not None and number < Decimal(str(low)):
        raise Invalid(_("Saisissez un nombre supérieur ou égal à %(min)s.") % {"min": number_format(Decimal(str(low)))})
    if high is not None and number > Decimal(str(high)):
        raise Invalid(
            _("Saisissez un nombre inférieur ou égal à %(max)s.") % {"max": number_format(Decimal(str(high)))}
        )


def parse_date(raw: str) -> datetime.date:
    """A date from a date field (2025-03-14) or typed by hand (14/03/2025, 14-03-2025, 14.03.2025). Raises ValueError."""
    raw = raw.strip()
    match = re.fullmatch(r"(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})", raw)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return datetime.date(year, month, day)
    return datetime.date.fromisoformat(raw)


def _date(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    raw = _first(values, question)
    if not raw:
        return []
    try:
        day = parse_date(raw)
    except ValueError:
        raise Invalid(_("Saisissez une date valide, par exemple 14/07/2025.")) from None
    low, high = _iso(question.option("min")), _iso(question.option("max"))
    if low and day < low:
        raise Invalid(_("Saisissez une date à partir du %(date)s.") % {"date": dates.long_date(low)})
    if high and day > high:
        raise Invalid(_("Saisissez une date jusqu'au %(date)s au plus tard.") % {"date": dates.long_date(high)})
    return [AnswerRow(question.id, date=day)]


def _iso(value: Any) -> datetime.date | None:
    if not value:
        return None
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def _file(question: QuestionSpec, values: Mapping[str, Any]) -> list[AnswerRow]:
    path = _first(values, question)
    if not path:
        return []
    name = str(values.get(f"{question.id}-name") or "")
    return [AnswerRow(question.id, file=path, file_name=name[:255])]


VALIDATORS = {
    SHORT_TEXT: _text,
    LONG_TEXT: _text,
    SINGLE: _single,
    MULTIPLE: _multiple,
    RANKING: _ranking,
    MATRIX: _matrix,
    SCALE: _scale,
    NUMBER: _number,
    DATE: _date,
    FILE: _file,
}
