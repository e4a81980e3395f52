"""What the answer page's templates need to draw each question: its current values (as typed, from the draft or
the post), its errors, the ids that tie labels, hints and errors together, and the error summary's links."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from participe.modules.surveys import answers
from participe.modules.surveys.answers import ChoiceSpec, QuestionSpec, RowSpec


@dataclass
class Option:
    """A radio button or a checkbox."""

    id: str
    value: str
    label: str
    checked: bool = False
    is_other: bool = False
    end_label: str = ""  # scale: the label of an end of the scale


@dataclass
class MatrixLine:
    row: RowSpec
    options: list[Option]
    error: str = ""
    error_id: str = ""


@dataclass
class RankLine:
    choice: ChoiceSpec
    id: str
    name: str
    value: str
    error: str = ""


@dataclass
class Field:
    question: QuestionSpec
    template: str
    anchor: str  # the id of the element the error summary links to (the first input)
    visible: bool = True  # hidden: its condition is not met (yet); a script shows it when it is
    revealed: bool = False  # just shown by an answer of this page, without a script: pointed out
    value: str = ""
    options: list[Option] = field(default_factory=list)
    other_value: str = ""
    other_error: str = ""
    lines: list[MatrixLine] = field(default_factory=list)
    ranks: list[RankLine] = field(default_factory=list)
    rank_choices: list[int] = field(default_factory=list)
    file_name: str = ""
    error: str = ""
    condition_name: str = ""  # the form field whose answer decides whether it is shown (same page only)
    condition_values: str = ""  # the choice ids that show it, separated by spaces
    details: list[str] = field(default_factory=list)  # what to know before answering: limits, units, format

    @property
    def hint_id(self) -> str:
        return f"{self.question.name}-hint"

    @property
    def error_id(self) -> str:
        return f"{self.question.name}-error"

    @property
    def has_hint(self) -> bool:
        return bool(self.question.help_text or self.details)

    @property
    def described_by(self) -> str:
        ids = [self.hint_id] if self.has_hint else []
        if self.error:
            ids.append(self.error_id)
        return " ".join(ids)

    @property
    def has_errors(self) -> bool:
        return bool(
            self.error or self.other_error or any(line.error for line in self.lines) or any(r.error for r in self.ranks)
        )


def build_fields(
    questions: Iterable[QuestionSpec],
    values: Mapping[str, Any],
    errors: Mapping[str, str],
    visible: set[int],
    page_ids: set[int],
) -> list[Field]:
    """One ``Field`` per question of a page. ``page_ids``: the questions of this page, whose answers can show
    another question of the page live (the others are settled: a hidden one is not drawn at all)."""
    fields = []
    for question in questions:
        if question.is_section:
            continue
        same_page = question.condition_question_id in page_ids
        if question.id not in visible and not same_page:
            continue
        built = BUILDERS.get(question.kind, _plain)(question, values, errors)
        built.visible = question.id in visible
        built.error = errors.get(question.name, "")
        built.details = details(question)
        if same_page:
            built.condition_name = f"q{question.condition_question_id}"
            built.condition_values = " ".join(str(pk) for pk in sorted(question.condition_choice_ids))
        fields.append(built)
    return fields


def _first(values: Mapping[str, Any], question: QuestionSpec) -> str:
    items = answers.as_list(values.get(str(question.id)))
    return items[0] if items else ""


def _plain(question: QuestionSpec, values: Mapping[str, Any], errors: Mapping[str, str]) -> Field:
    return Field(question, f"surveys/answer/_q_{question.kind}.html", question.name, value=_first(values, question))


def _choices(question: QuestionSpec, values: Mapping[str, Any], errors: Mapping[str, str]) -> Field:
    selected = set(answers.as_list(values.get(str(question.id))))
    options = [
        Option(f"{question.name}-c{c.id}", str(c.id), c.label, str(c.id) in selected, c.is_other)
        for c in question.choices
    ]
    return Field(
        question,
        f"surveys/answer/_q_{question.kind}.html",
        options[0].id if options else question.name,
        options=options,
        other_value=str(values.get(f"{question.id}-other") or ""),
        other_error=errors.get(f"{question.name}-other", ""),
    )


def _matrix(question: QuestionSpec, values: Mapping[str, Any], errors: Mapping[str, str]) -> Field:
    lines = []
    for row in question.rows:
        chosen = str(values.get(f"{question.id}-{row.id}") or "")
        options = [
            Option(f"{question.name}-{row.id}-c{c.id}", str(c.id), c.label, chosen == str(c.id))
            for c in question.choices
        ]
        key = f"{question.name}-{row.id}"
        lines.append(MatrixLine(row, options, errors.get(key, ""), f"{key}-error"))
    anchor = lines[0].options[0].id if lines and lines[0].options else question.name
    return Field(question, "surveys/answer/_q_matrix.html", anchor, lines=lines)


def _ranking(question: QuestionSpec, values: Mapping[str, Any], errors: Mapping[str, str]) -> Field:
    ranks = []
    for choice in question.choices:
        key = f"{question.name}-rank-{choice.id}"
        value = str(values.get(f"{question.id}-rank-{choice.id}") or "")
        ranks.append(RankLine(choice, key, key, value, errors.get(key, "")))
    anchor = ranks[0].id if ranks else question.name
    return Field(
        question,
        "surveys/answer/_q_ranking.html",
        anchor,
        ranks=ranks,
        rank_choices=list(range(1, len(question.choices) + 1)),
    )


def _scale(question: QuestionSpec, values: Mapping[str, Any], errors: Mapping[str, str]) -> Field:
    low, high = int(question.option("min")), int(question.option("max"))
    chosen = _first(values, question)
    options = []
    for number in range(low, high + 1):
        end = question.option("min_label") if number == low else question.option("max_label") if number == high else ""
        options.append(
            Option(f"{question.name}-v{number}", str(number), str(number), chosen == str(number), end_label=end)
        )
    return Field(question, "surveys/answer/_q_scale.html", options[0].id if options else question.name, options=options)


def _date(question: QuestionSpec, values: Mapping[str, Any], errors: Mapping[str, str]) -> Field:
    """A date typed by hand (14/07/2025) is shown back in the date field's own format (2025-07-14)."""
    built = _plain(question, values, errors)
    with contextlib.suppress(ValueError):  # otherwise shown as typed, with its error
        built.value = answers.parse_date(built.value).isoformat() if built.value else ""
    return built


def _file(question: QuestionSpec, values: Mapping[str, Any], errors: Mapping[str, str]) -> Field:
    built = _plain(question, values, errors)
    built.file_name = str(values.get(f"{question.id}-name") or "") if built.value else ""
    return built


BUILDERS = {
    answers.SINGLE: _choices,
    answers.MULTIPLE: _choices,
    answers.MATRIX: _matrix,
    answers.RANKING: _ranking,
    answers.SCALE: _scale,
    answers.DATE: _date,
    answers.FILE: _file,
}


def details(question: QuestionSpec) -> list[str]:
    """Limits and formats said before answering, rather than discovered through an error."""
    kind, option = question.kind, question.option
    notes: list[str] = []
    if kind == answers.LONG_TEXT or (kind == answers.SHORT_TEXT and question.config.get("max_length")):
        notes.append(_("%(max)s caractères au plus.") % {"max": number_format(int(option("max_length")))})
    if kind == answers.MULTIPLE:
        notes.extend(_multiple_notes(question))
    if kind == answers.RANKING:
        size = len(question.choices)
        if option("rank_all"):
            notes.append(
                _("Donnez un rang à chaque choix : 1 pour votre préféré, %(n)s pour le dernier.") % {"n": size}
            )
        else:
            notes.append(
                _("Classez les choix qui comptent pour vous : 1 pour votre préféré. Laissez les autres sans rang.")
            )
    if kind == answers.NUMBER:
        notes.extend(_number_notes(question))
    if kind == answers.DATE:
        notes.append(_("Par exemple 14/07/2025."))
    if kind == answers.FILE:
        max_mb = int(option("max_mb"))
        notes.append(
            ngettext(
                "PDF, image ou document bureautique, %(mb)s Mo au plus.",
                "PDF, image ou document bureautique, %(mb)s Mo au plus.",
                max_mb,
            )
            % {"mb": max_mb}
        )
    return notes


def _multiple_notes(question: QuestionSpec) -> list[str]:
    low, high, size = int(question.option("min_choices")), int(question.option("max_choices")), len(question.choices)
    if low > 1 and high < size:
        return [_("Cochez entre %(min)s et %(max)s réponses.") % {"min": low, "max": high}]
    if high < size:
        return [_("Cochez %(max)s réponses au plus.") % {"max": high}]
    if low > 1:
        return [_("Cochez au moins %(min)s réponses.") % {"min": low}]
    return [_("Plusieurs réponses possibles.")]


def _number_notes(question: QuestionSpec) -> list[str]:
    low, high, unit = question.option("min"), question.option("max"), question.option("unit")
    notes = []
    if low is not None and high is not None:
        notes.append(
            _("Un nombre entre %(min)s et %(max)s.")
            % {"min": number_format(Decimal(str(low))), "max": number_format(Decimal(str(high)))}
        )
    elif low is not None:
        notes.append(_("Un nombre à partir de %(min)s.") % {"min": number_format(Decimal(str(low)))})
    elif high is not None:
        notes.append(_("Un nombre jusqu'à %(max)s.") % {"max": number_format(Decimal(str(high)))})
    if unit:
        notes.append(_("En %(unit)s.") % {"unit": unit})
    return notes


@dataclass(frozen=True)
class SummaryItem:
    anchor: str
    title: str
    message: str


def error_summary(fields: Iterable[Field], errors: Mapping[str, str]) -> list[SummaryItem]:
    """The errors of a page in the order of its questions, each linking to the field to correct."""
    items = []
    for built in fields:
        name = built.question.name
        for key, message in errors.items():
            if key != name and not key.startswith(f"{name}-"):
                continue
            items.append(SummaryItem(_anchor_for(built, key), built.question.title, message))
    return items


def _anchor_for(built: Field, key: str) -> str:
    if key == built.question.name:
        return built.anchor
    for line in built.lines:
        if key == f"{built.question.name}-{line.row.id}" and line.options:
            return line.options[0].id
    return key  # "q12-other", "q12-rank-34": the id of the input itself
