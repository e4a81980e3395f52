"""Cross-tabulation of two closed questions: how the respondents who answered both split between their answers."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from django.db import connection

from participe.modules.surveys.models import Answer, Question, Response
from participe.modules.surveys.results.figures import FIGURES_CACHE_SECONDS, _percent, numbered, scale_bounds
from participe.modules.surveys.results.scope import EVERYONE, Scope

Kind = Question.Kind
CROSSABLE_KINDS = (Kind.SINGLE, Kind.MULTIPLE, Kind.SCALE)  # closed questions a cross-tabulation accepts
ONE_ANSWER_KINDS = (Kind.SINGLE, Kind.SCALE)  # one value per respondent


def crossable_questions(items: list[Question]) -> list[tuple[int, Question]]:
    """The numbered questions a cross-tabulation accepts, among the items of a questionnaire (``questions_of``)."""
    return [(n, q) for n, q in numbered(items) if q.kind in CROSSABLE_KINDS]


@dataclass
class CrossTab:
    rows_question: Question
    columns_question: Question
    rows: list[tuple[str, str]]  # (key, label)
    columns: list[tuple[str, str]]
    cells: dict[tuple[str, str], int]
    row_totals: dict[str, int]
    column_totals: dict[str, int]
    total: int

    @property
    def column_total_list(self) -> list[int]:
        return [self.column_totals.get(key, 0) for key, _label in self.columns]

    def table(self) -> list[tuple[str, int, list[tuple[int, float | None]]]]:
        """Each row: its label, its respondents, and per column the count and the share of the row."""
        return [
            (
                label,
                self.row_totals.get(key, 0),
                [
                    (n := self.cells.get((key, col), 0), _percent(n, self.row_totals.get(key, 0)))
                    for col, _label in self.columns
                ],
            )
            for key, label in self.rows
        ]


def _categories(question: Question) -> list[tuple[str, str]]:
    if question.kind == Kind.SCALE:
        low, high = scale_bounds(question)
        return [(str(v), str(v)) for v in range(low, high + 1)]
    return [(str(c.pk), c.label) for c in question.choices.all()]


def crosstab(rows_question: Question, columns_question: Question, scope: Scope = EVERYONE) -> CrossTab:
    """How respondents who answered both questions split between their answers (rows × columns).

    Cells count respondents; a multiple choice puts a respondent in several cells, so totals count respondents
    once each (distinct responses), not cells. Cached like the figures read from answers (``_answer_figures``).
    """
    questionnaire = rows_question.questionnaire
    key = (
        f"surveys:crosstab:{questionnaire.pk}:{questionnaire.responses_count}:{scope.key}:"
        f"{rows_question.pk}:{columns_question.pk}"
    )
    counts = cache.get(key)
    if counts is None:
        counts = _crosstab_counts(rows_question, columns_question, scope)
        cache.set(key, counts, FIGURES_CACHE_SECONDS)
    cells, row_totals, column_totals, total = counts
    return CrossTab(
        rows_question,
        columns_question,
        _categories(rows_question),
        _categories(columns_question),
        cells,
        row_totals,
        column_totals,
        total,
    )


def _crosstab_counts(
    rows_question: Question, columns_question: Question, scope: Scope
) -> tuple[dict[tuple[str, str], int], dict[str, int], dict[str, int], int]:
    pairs = _Pairs(rows_question, columns_question, scope)
    # A response has one answer row per choice of a question: a pair of rows is a respondent in a cell.
    cells = {(r, c): n for r, c, n in pairs.rows("a.{a}, b.{b}, COUNT(*)", "GROUP BY a.{a}, b.{b}")}
    row_totals: dict[str, int] = defaultdict(int)
    column_totals: dict[str, int] = defaultdict(int)
    if rows_question.kind in ONE_ANSWER_KINDS and columns_question.kind in ONE_ANSWER_KINDS:
        for (r, c), n in cells.items():
            row_totals[r] += n
            column_totals[c] += n
        return cells, dict(row_totals), dict(column_totals), sum(cells.values())
    for r, n in pairs.rows("a.{a}, COUNT(DISTINCT a.response_id)", "GROUP BY a.{a}"):
        row_totals[r] = n
    for c, n in pairs.rows("b.{b}, COUNT(DISTINCT a.response_id)", "GROUP BY b.{b}"):
        column_totals[c] = n
    total = pairs.rows("COUNT(DISTINCT a.response_id)", "")[0][0]
    return cells, dict(row_totals), dict(column_totals), int(total)


class _Pairs:
    """The pairs of answers of one response to two questions, read from the indexes on answers alone.

    In SQL rather than through ``response__answers``: that path joins the responses too, and the answers' columns
    it reads (``choice_id`` and ``number`` together) are in no single index, so every answer would be read from the
    table. Here each side reads the column of its kind (a choice, or the value of a scale) with the response, from
    ``surveys_answer_choice_response`` or ``surveys_answer_number``.
    """

    def __init__(self, rows_question: Question, columns_question: Question, scope: Scope) -> None:
        self.a = "number" if rows_question.kind == Kind.SCALE else "choice_id"
        self.b = "number" if columns_question.kind == Kind.SCALE else "choice_id"
        table = connection.ops.quote_name(Answer._meta.db_table)
        where = f"a.question_id = %s AND a.{self.a} IS NOT NULL"
        params: list[Any] = [columns_question.pk, rows_question.pk]
        if not scope.is_everyone:
            responses = Response.objects.filter(scope.condition(), questionnaire_id=rows_question.questionnaire_id)
            sql, scope_params = responses.values("pk").query.sql_with_params()
            where += f" AND a.response_id IN ({sql})"
            params += list(scope_params)
        self.source = (
            f"FROM {table} a JOIN {table} b ON b.response_id = a.response_id AND b.question_id = %s "
            f"AND b.{self.b} IS NOT NULL WHERE {where}"
        )
        self.params = params

    def rows(self, columns: str, group: str) -> list[tuple[Any, ...]]:
        select = columns.format(a=self.a, b=self.b)
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT {select} {self.source} {group.format(a=self.a, b=self.b)}", self.params)
            return [tuple(_key(v) if i < len(row) - 1 else v for i, v in enumerate(row)) for row in cursor.fetchall()]


def _key(value: Any) -> str:
    """A category of a cross-tabulation: a choice's primary key or a scale's value, as text."""
    return str(int(value)) if value is not None else "0"
