"""Pure checks of a question's structure, used by the builder services: its options (``Question.config``), its
choices and matrix rows, and the order of conditional questions. No database access here.

Each check raises a ``ValidationError`` whose keys are the names of the builder form's fields (the config keys,
``choices``, ``rows``, ``title``…), so that the message is shown next to the field the agent has to correct.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.modules.surveys.models import Question

Kind = Question.Kind

SHORT_TEXT_MAX = 1000
LONG_TEXT_MAX = 20000
SCALE_MIN, SCALE_MAX, SCALE_MAX_POINTS = -10, 100, 11
NUMBER_MAX_DECIMALS = 6
LABEL_MAX = 300
SCALE_LABEL_MAX = 100
UNIT_MAX = 20
DEFAULT_OTHER_LABEL = "Autre, précisez"


@dataclass(frozen=True)
class ChoiceSpec:
    """A choice as the agent wants it: an existing one (``pk``) renamed or kept, or a new one (``pk`` None)."""

    label: str
    pk: int | None = None
    is_other: bool = False


@dataclass(frozen=True)
class RowSpec:
    """A matrix row as the agent wants it."""

    label: str
    pk: int | None = None


def _int(value: Any) -> int | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | Decimal | float | str):
        raise ValueError(value)
    number = Decimal(str(value))
    if number != number.to_integral_value():
        raise ValueError(value)
    return int(number)


def _number(value: Any) -> int | float | None:
    if value in (None, ""):
        return None
    if isinstance(value, bool):
        raise ValueError(value)
    number = Decimal(str(value))
    if not number.is_finite():
        raise ValueError(value)
    return int(number) if number == number.to_integral_value() else float(number)


def _date(value: Any) -> str | None:
    if value in (None, ""):
        return None
    if isinstance(value, datetime.date):
        return value.isoformat()
    return datetime.date.fromisoformat(str(value)).isoformat()


def _text(value: Any, limit: int, key: str, errors: dict[str, str]) -> str:
    text = str(value or "").strip()
    if len(text) > limit:
        errors[key] = _("%(n)s caractères au plus.") % {"n": limit}
    return text


def _typed(config: dict[str, Any], key: str, parse: Any, message: str, errors: dict[str, str]) -> Any:
    try:
        return parse(config.get(key))
    except (ValueError, ArithmeticError, TypeError):
        errors[key] = message
        return None


def _clean_text(kind: str, config: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    limit = SHORT_TEXT_MAX if kind == Kind.SHORT_TEXT else LONG_TEXT_MAX
    max_length = _typed(config, "max_length", _int, _("Indiquez un nombre entier de caractères."), errors)
    if max_length is not None and not 1 <= max_length <= limit:
        errors["max_length"] = _("Entre 1 et %(n)s caractères.") % {"n": limit}
    return {} if max_length is None else {"max_length": max_length}


def _clean_multiple(
    config: dict[str, Any], choices_count: int, required: bool, errors: dict[str, str]
) -> dict[str, Any]:
    message = _("Indiquez un nombre entier.")
    low = _typed(config, "min_choices", _int, message, errors)
    high = _typed(config, "max_choices", _int, message, errors)
    if low is not None and not 0 <= low <= choices_count:
        errors["min_choices"] = _("Entre 0 et le nombre de choix (%(n)s).") % {"n": choices_count}
    elif low == 0 and required:
        errors["min_choices"] = _("Une question obligatoire demande au moins un choix : indiquez 1 ou plus.")
    if high is not None and not 1 <= high <= choices_count:
        errors["max_choices"] = _("Entre 1 et le nombre de choix (%(n)s).") % {"n": choices_count}
    elif high is not None and low is not None and high < low and "min_choices" not in errors:
        errors["max_choices"] = _("Le maximum ne peut pas être inférieur au minimum (%(n)s).") % {"n": low}
    cleaned = {}
    if low is not None:
        cleaned["min_choices"] = low
    if high is not None:
        cleaned["max_choices"] = high
    return cleaned


def _clean_scale(config: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    message = _("Indiquez un nombre entier.")
    low = _typed(config, "min", _int, message, errors)
    high = _typed(config, "max", _int, message, errors)
    low = 1 if low is None and "min" not in errors else low
    high = 5 if high is None and "max" not in errors else high
    if low is not None and not SCALE_MIN <= low <= SCALE_MAX:
        errors["min"] = _("Entre %(a)s et %(b)s.") % {"a": SCALE_MIN, "b": SCALE_MAX}
    if high is not None and low is not None and "min" not in errors:
        if high <= low:
            errors["max"] = _("La valeur la plus haute doit dépasser la plus basse (%(n)s).") % {"n": low}
        elif high - low + 1 > SCALE_MAX_POINTS:
            errors["max"] = _("Une échelle a %(n)s degrés au plus : de %(a)s à %(b)s par exemple.") % {
                "n": SCALE_MAX_POINTS,
                "a": low,
                "b": low + SCALE_MAX_POINTS - 1,
            }
    cleaned: dict[str, Any] = {"min": low, "max": high}
    for key in ("min_label", "max_label"):
        label = _text(config.get(key), SCALE_LABEL_MAX, key, errors)
        if label:
            cleaned[key] = label
    return cleaned


def _clean_number(config: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    message = _("Indiquez un nombre, par exemple 0 ou 12,5.")
    low = _typed(config, "min", _number, message, errors)
    high = _typed(config, "max", _number, message, errors)
    decimals = _typed(config, "decimals", _int, _("Indiquez un nombre entier."), errors)
    if decimals is not None and not 0 <= decimals <= NUMBER_MAX_DECIMALS:
        errors["decimals"] = _("Entre 0 et %(n)s décimales.") % {"n": NUMBER_MAX_DECIMALS}
    if low is not None and high is not None and high < low:
        errors["max"] = _("Le maximum ne peut pas être inférieur au minimum.")
    unit = _text(config.get("unit"), UNIT_MAX, "unit", errors)
    cleaned: dict[str, Any] = {}
    for key, value in (("min", low), ("max", high), ("decimals", decimals), ("unit", unit)):
        if value not in (None, ""):
            cleaned[key] = value
    return cleaned


def _clean_date(config: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    message = _("Indiquez une date, par exemple 14/07/2025.")
    low = _typed(config, "min", _date, message, errors)
    high = _typed(config, "max", _date, message, errors)
    if low and high and high < low:
        errors["max"] = _("La date la plus tardive doit suivre la plus précoce.")
    return {key: value for key, value in (("min", low), ("max", high)) if value}


def _clean_file(config: dict[str, Any], errors: dict[str, str]) -> dict[str, Any]:
    ceiling = int(settings.PARTICIPE_MAX_DOCUMENT_MB)
    max_mb = _typed(config, "max_mb", _int, _("Indiquez un nombre entier de mégaoctets."), errors)
    if max_mb is not None and not 1 <= max_mb <= ceiling:
        errors["max_mb"] = _("Entre 1 et %(n)s Mo.") % {"n": ceiling}
    return {} if max_mb is None else {"max_mb": max_mb}


def clean_config(
    kind: str, config: dict[str, Any] | None, *, choices_count: int = 0, required: bool = False
) -> dict[str, Any]:
    """The options of a question of ``kind``, checked and normalised (defaults left out, except a scale's bounds).

    Raises a ``ValidationError`` keyed by option name. Unknown options are refused.
    """
    config = dict(config or {})
    allowed = Question.CONFIG_KEYS.get(Kind(kind), ())
    unknown = sorted(set(config) - set(allowed))
    if unknown:
        raise ValidationError(
            _("Options inconnues pour ce type de question : %(keys)s.") % {"keys": ", ".join(unknown)}
        )
    errors: dict[str, str] = {}
    cleaned: dict[str, Any] = {}
    if kind in (Kind.SHORT_TEXT, Kind.LONG_TEXT):
        cleaned = _clean_text(kind, config, errors)
    elif kind == Kind.MULTIPLE:
        cleaned = _clean_multiple(config, choices_count, required, errors)
    elif kind == Kind.RANKING:
        cleaned = {"rank_all": bool(config.get("rank_all", True))}
    elif kind == Kind.SCALE:
        cleaned = _clean_scale(config, errors)
    elif kind == Kind.NUMBER:
        cleaned = _clean_number(config, errors)
    elif kind == Kind.DATE:
        cleaned = _clean_date(config, errors)
    elif kind == Kind.FILE:
        cleaned = _clean_file(config, errors)
    if errors:
        raise ValidationError(errors)
    return cleaned


def clean_labels(labels: Iterable[str], *, field: str, minimum: int, what: str) -> list[str]:
    """Labels of choices or rows: stripped, not empty, short enough, distinct (case and accents as typed)."""
    cleaned = [" ".join(str(label).split()) for label in labels]
    if any(not label for label in cleaned):
        raise ValidationError({field: _("Un libellé est vide : écrivez-le ou supprimez la ligne.")})
    too_long = next((label for label in cleaned if len(label) > LABEL_MAX), None)
    if too_long is not None:
        raise ValidationError(
            {field: _("« %(label)s… » dépasse %(n)s caractères.") % {"label": too_long[:40], "n": LABEL_MAX}}
        )
    seen: set[str] = set()
    for label in cleaned:
        if label.casefold() in seen:
            raise ValidationError({field: _("« %(label)s » apparaît deux fois.") % {"label": label}})
        seen.add(label.casefold())
    if len(cleaned) < minimum:
        raise ValidationError(
            {
                field: ngettext("Indiquez au moins %(n)s %(what)s.", "Indiquez au moins %(n)s %(what)s.", minimum)
                % {"n": minimum, "what": what}
            }
        )
    return cleaned


def check_choices(kind: str, choices: Sequence[ChoiceSpec]) -> None:
    """The choices a question of ``kind`` needs: at least two (a matrix: two columns); "autre" only for a single
    or multiple choice, once."""
    if kind not in Question.CHOICE_KINDS:
        if choices:
            raise ValidationError({"choices": _("Ce type de question n'a pas de choix.")})
        return
    others = [c for c in choices if c.is_other]
    if others and kind not in Question.CONDITION_KINDS:
        raise ValidationError({"choices": _("« Autre, précisez » n'existe que pour les choix unique et multiple.")})
    if len(others) > 1:
        raise ValidationError({"choices": _("Un seul choix « Autre, précisez » par question.")})
    what = _("colonnes (les réponses possibles de chaque ligne)") if kind == Kind.MATRIX else _("choix")
    clean_labels([c.label for c in choices], field="choices", minimum=2, what=str(what))


def check_rows(kind: str, rows: Sequence[RowSpec]) -> None:
    if kind != Kind.MATRIX:
        if rows:
            raise ValidationError({"rows": _("Seule une matrice a des lignes.")})
        return
    clean_labels([r.label for r in rows], field="rows", minimum=1, what=str(_("ligne")))


def conditions_in_order(questions: Sequence[Any]) -> Any | None:
    """The first question, in ``questions`` order, whose condition depends on a later question (or itself), else None.

    ``questions`` are objects with ``pk`` and ``condition_question_id``.
    """
    seen: set[int] = set()
    for question in questions:
        if question.condition_question_id is not None and question.condition_question_id not in seen:
            return question
        seen.add(question.pk)
    return None
