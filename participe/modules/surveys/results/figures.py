"""Every question's results: counts and percentages of closed questions (from ``Tally``), statistics of numbers and
dates and counts of free texts (from ``Answer``, cached), grouped by section.

Percentages: their base is the number of respondents who answered the question (a question may be optional or
shown only after some answers). A single choice, a scale and each row of a matrix count one answer per respondent, so
the sum of their counts is that base; a multiple choice and a ranking have several answers per respondent and a
counter of their own (``ANSWERED``) says how many respondents answered them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.db.models import Avg, Count, Max, Min, QuerySet, Sum

from participe.modules.surveys.models import Answer, Question, Questionnaire, Tally
from participe.modules.surveys.results.listing import HAS_TEXT, NEWEST, TEXT_KINDS, listed_answers
from participe.modules.surveys.results.scope import EVERYONE, MIN_GROUP, Scope, is_anonymous, respondents_count

Kind = Question.Kind
SAMPLES = 3  # free-text answers shown under a question on the results page
FIGURES_CACHE_SECONDS = 600
ANSWERED = (0, 0, 0)  # the tally key (choice, row, value) counting the respondents of a multiple choice or a ranking
# Below this many respondents, the results of a territory are not published: one could guess who answered what.
PUBLIC_MIN_RESPONDENTS = MIN_GROUP


@dataclass
class Line:
    """One bar of a chart and one row of its table: a choice, a value of a scale, a cell of a matrix."""

    key: str
    label: str
    count: int
    percent: float | None = None
    is_other: bool = False
    mean_rank: float | None = None
    share: float = 0.0  # length of the bar, 0 to 1


@dataclass
class MatrixLine:
    key: str
    label: str
    answered: int
    cells: list[Line]


@dataclass
class Stats:
    count: int
    minimum: Any = None
    maximum: Any = None
    mean: float | None = None
    median: Decimal | None = None


@dataclass
class QuestionResult:
    question: Question
    number: int
    respondents: int  # respondents of the scope
    answered: int | None = None  # respondents who answered the question (closed questions): the percentages' base
    lines: list[Line] = field(default_factory=list)
    matrix: list[MatrixLine] = field(default_factory=list)
    stats: Stats | None = None
    mean: float | None = None  # scale
    answers_count: int = 0  # free-text answers, files, or "autre, précisez" precisions
    samples: list[Answer] = field(default_factory=list)
    chart: Any = None  # its drawing (``charts``), set by the page that shows it

    @property
    def kind(self) -> str:
        return self.question.kind

    @property
    def no_answer(self) -> int | None:
        if self.answered is None:
            return None
        return max(0, self.respondents - self.answered)

    @property
    def has_other(self) -> bool:
        return any(line.is_other for line in self.lines)


@dataclass
class Group:
    """The questions of a page: those before the first section, then one group per section."""

    section: Question | None
    results: list[QuestionResult] = field(default_factory=list)


@dataclass
class Results:
    questionnaire: Questionnaire
    scope: Scope
    respondents: int
    groups: list[Group]

    def __iter__(self) -> Iterator[QuestionResult]:
        for group in self.groups:
            yield from group.results

    @property
    def too_few_to_publish(self) -> bool:
        """The results of a part of the respondents (a territory) are too few to be published (all together are)."""
        return not self.scope.is_everyone and self.respondents < PUBLIC_MIN_RESPONDENTS

    def hidden_from(self, *, staff: bool) -> bool:
        """Too few to publish: hidden from residents, and from the staff too when the answers are anonymous."""
        return self.too_few_to_publish and (not staff or is_anonymous(self.questionnaire))


def questions_of(questionnaire: Questionnaire) -> list[Question]:
    """Every item of the questionnaire in order (sections included), with choices and matrix rows."""
    return list(
        Question.objects.filter(questionnaire=questionnaire)
        .prefetch_related("choices", "rows")
        .order_by("position", "pk")
    )


def numbered(items: list[Question]) -> Iterator[tuple[int, Question]]:
    """The questions (not the sections) with their number, 1-based, as residents see them."""
    number = 0
    for item in items:
        if not item.is_section:
            number += 1
            yield number, item


def scale_bounds(question: Question) -> tuple[int, int]:
    config = question.config or {}
    low, high = int(config.get("min", 1)), int(config.get("max", 5))
    return low, max(low, high)


def _tallies(questionnaire: Questionnaire, scope: Scope) -> dict[int, dict[tuple[int, int, int], tuple[int, int]]]:
    """{question: {(choice, row, value): (count, rank_sum)}} summed over the territories of the scope."""
    rows = (
        Tally.objects.filter(question__questionnaire=questionnaire)
        .filter(scope.condition())
        .values("question_id", "choice_id", "row_id", "value")
        .annotate(n=Sum("count"), ranks=Sum("rank_sum"))
        .order_by()
    )
    found: dict[int, dict[tuple[int, int, int], tuple[int, int]]] = defaultdict(dict)
    for row in rows:
        key = (row["choice_id"] or 0, row["row_id"] or 0, row["value"] or 0)
        found[row["question_id"]][key] = (int(row["n"] or 0), int(row["ranks"] or 0))
    return found


def _percent(part: int, whole: int) -> float | None:
    return 100 * part / whole if whole else None


def _shares(lines: list[Line]) -> list[Line]:
    top = max((line.count for line in lines), default=0)
    for line in lines:
        line.share = line.count / top if top else 0.0
    return lines


def _choice_result(result: QuestionResult, counts: dict[tuple[int, int, int], tuple[int, int]]) -> None:
    choices = list(result.question.choices.all())
    lines = [Line(str(c.pk), c.label, counts.get((c.pk, 0, 0), (0, 0))[0], is_other=c.is_other) for c in choices]
    if result.kind == Kind.SINGLE:
        result.answered = sum(line.count for line in lines)
    else:
        result.answered = counts.get(ANSWERED, (0, 0))[0]
    for line in lines:
        line.percent = _percent(line.count, result.answered)
    result.lines = _shares(lines)


def _scale_result(result: QuestionResult, counts: dict[tuple[int, int, int], tuple[int, int]]) -> None:
    low, high = scale_bounds(result.question)
    config = result.question.config or {}
    labels = {low: config.get("min_label", ""), high: config.get("max_label", "")}
    lines = []
    for value in range(low, high + 1):
        label = f"{value} — {labels[value]}" if labels.get(value) else str(value)
        lines.append(Line(str(value), label, counts.get((0, 0, value), (0, 0))[0]))
    result.answered = sum(line.count for line in lines)
    total = sum(int(line.key) * line.count for line in lines)
    result.mean = total / result.answered if result.answered else None
    for line in lines:
        line.percent = _percent(line.count, result.answered)
    result.lines = _shares(lines)


def _ranking_result(result: QuestionResult, counts: dict[tuple[int, int, int], tuple[int, int]]) -> None:
    choices = list(result.question.choices.all())
    lines = []
    for choice in choices:
        count, rank_sum = counts.get((choice.pk, 0, 0), (0, 0))
        line = Line(str(choice.pk), choice.label, count)
        line.mean_rank = rank_sum / count if count else None
        # The bar grows as the mean rank gets better: first everywhere fills it, last everywhere is 1/n of it.
        line.share = (len(choices) + 1 - line.mean_rank) / len(choices) if line.mean_rank else 0.0
        lines.append(line)
    result.answered = counts.get(ANSWERED, (0, 0))[0]
    for line in lines:
        line.percent = _percent(line.count, result.answered)
    result.lines = sorted(lines, key=lambda line: (line.mean_rank is None, line.mean_rank or 0))


def _matrix_result(result: QuestionResult, counts: dict[tuple[int, int, int], tuple[int, int]]) -> None:
    columns = list(result.question.choices.all())
    for row in result.question.rows.all():
        cells = [Line(str(c.pk), c.label, counts.get((c.pk, row.pk, 0), (0, 0))[0]) for c in columns]
        answered = sum(cell.count for cell in cells)
        for cell in cells:
            cell.percent = _percent(cell.count, answered)
            cell.share = cell.count / answered if answered else 0.0
        result.matrix.append(MatrixLine(str(row.pk), row.label, answered, cells))


CLOSED_BUILDERS = {
    Kind.SINGLE: _choice_result,
    Kind.MULTIPLE: _choice_result,
    Kind.SCALE: _scale_result,
    Kind.RANKING: _ranking_result,
    Kind.MATRIX: _matrix_result,
}


def _answers(scope: Scope, questions: list[Question]) -> QuerySet[Answer]:
    questionnaire_id = questions[0].questionnaire_id if questions else 0
    return Answer.objects.filter(scope.answers(questionnaire_id)).order_by()


def _stats(questions: list[Question], scope: Scope) -> dict[int, Stats]:
    """Count, bounds, mean and median of the numbers; count and bounds of the dates. One query per kind.

    Every column read is in the partial indexes on answers (counts count the value, not the primary key), so that
    PostgreSQL answers with an index-only scan and SQLite from a covering index."""
    found: dict[int, Stats] = {}
    numbers = [q.pk for q in questions if q.kind == Kind.NUMBER]
    dates = [q.pk for q in questions if q.kind == Kind.DATE]
    if numbers:
        rows = (
            _answers(scope, questions)
            .filter(question_id__in=numbers, number__isnull=False)
            .values("question_id")
            .annotate(n=Count("number"), low=Min("number"), high=Max("number"), mean=Avg("number"))
        )
        for row in rows:
            found[row["question_id"]] = Stats(row["n"], row["low"], row["high"], row["mean"] and float(row["mean"]))
        for question_id, stats in found.items():
            stats.median = _median(_answers(scope, questions).filter(question_id=question_id), stats.count)
    if dates:
        date_rows = (
            _answers(scope, questions)
            .filter(question_id__in=dates, date__isnull=False)
            .values("question_id")
            .annotate(n=Count("date"), low=Min("date"), high=Max("date"))
        )
        found.update({row["question_id"]: Stats(row["n"], row["low"], row["high"]) for row in date_rows})
    return found


def _median(answers: QuerySet[Answer], count: int) -> Decimal | None:
    if not count:
        return None
    ordered = answers.filter(number__isnull=False).order_by("number")
    middle = [n for n in ordered.values_list("number", flat=True)[(count - 1) // 2 : count // 2 + 1] if n is not None]
    return sum(middle, Decimal(0)) / Decimal(len(middle)) if middle else None


def _listed_counts(questions: list[Question], scope: Scope) -> dict[int, int]:
    ids = [q.pk for q in questions if q.kind in TEXT_KINDS]
    counts: dict[int, int] = {}
    if ids:
        rows = _answers(scope, questions).filter(HAS_TEXT, question_id__in=ids).values("question_id")
        counts.update({r["question_id"]: r["n"] for r in rows.annotate(n=Count("response_id"))})
    for question in questions:
        if question.kind == Kind.FILE:
            counts[question.pk] = listed_answers(question).filter(scope.answers(question.questionnaire_id)).count()
    return counts


def _answer_figures(
    questionnaire: Questionnaire, questions: list[Question], scope: Scope
) -> tuple[dict[int, Stats], dict[int, int]]:
    """Statistics of numbers and dates, counts of free texts and files: read from ``Answer``, so their cost grows
    with the responses. They are cached under the number of responses received: a new response changes the key,
    so the figures are always those of every response counted in the page's header."""
    key = f"surveys:figures:{questionnaire.pk}:{questionnaire.responses_count}:{scope.key}"
    found = cache.get(key)
    if found is None:
        found = (_stats(questions, scope), _listed_counts(questions, scope))
        cache.set(key, found, FIGURES_CACHE_SECONDS)
    return found  # type: ignore[no-any-return]


def results_for(
    questionnaire: Questionnaire,
    scope: Scope = EVERYONE,
    *,
    with_answers: bool = False,
    items: list[Question] | None = None,
) -> Results:
    """Every question's results for the scope, grouped by section; free-text samples only ``with_answers``.

    ``items``: the questionnaire's items if the page has already read them (``questions_of``)."""
    items = questions_of(questionnaire) if items is None else items
    respondents = respondents_count(questionnaire, scope)
    questions = [q for q in items if not q.is_section]
    tallies = _tallies(questionnaire, scope) if any(q.kind in CLOSED_BUILDERS for q in questions) else {}
    stats, listed = _answer_figures(questionnaire, questions, scope)
    groups = [Group(section=None)]
    number = 0
    for item in items:
        if item.is_section:
            groups.append(Group(section=item))
            continue
        number += 1
        result = QuestionResult(question=item, number=number, respondents=respondents)
        builder = CLOSED_BUILDERS.get(Kind(item.kind))
        if builder is not None:
            builder(result, tallies.get(item.pk, {}))
        result.stats = stats.get(item.pk, Stats(0)) if item.kind in (Kind.NUMBER, Kind.DATE) else None
        result.answers_count = listed.get(item.pk, 0)
        if result.has_other:
            result.answers_count = sum(line.count for line in result.lines if line.is_other)
        if with_answers and item.kind in TEXT_KINDS and result.answers_count:
            result.samples = list(
                listed_answers(item).filter(scope.answers(questionnaire.pk)).order_by(*NEWEST)[:SAMPLES]
            )
        groups[-1].results.append(result)
    return Results(questionnaire, scope, respondents, [g for g in groups if g.results or g.section])
