"""Reads for the results of a questionnaire: counts and percentages, statistics, free-text answers, cross-tabulation.

Closed questions (single and multiple choice, ranking, scale, matrix) are read from ``Tally`` (a few hundred rows,
whatever the number of responses); numbers, dates and counts of texts from ``Answer`` through partial indexes, cached
under the number of responses; free-text answers are paged with a keyset cursor. Every read takes a ``Scope``.

- ``scope``: ``Scope`` (everyone, a territory and the territories under it, no territory), respondents' counts.
- ``figures``: ``results_for`` — every question's results, grouped by section.
- ``listing``: ``answers_page`` — free texts, files and precisions, newest first, searched by bounded windows.
- ``crosstab``: ``crosstab`` — two closed questions crossed.
"""

from participe.modules.surveys.results.crosstab import CrossTab, crossable_questions, crosstab
from participe.modules.surveys.results.figures import (
    PUBLIC_MIN_RESPONDENTS,
    Line,
    MatrixLine,
    QuestionResult,
    Results,
    Stats,
    numbered,
    questions_of,
    results_for,
    scale_bounds,
)
from participe.modules.surveys.results.listing import (
    SEARCH_WINDOW,
    AnswersPage,
    answers_page,
    has_listed_answers,
    listed_answers,
)
from participe.modules.surveys.results.scope import (
    EVERYONE,
    Scope,
    respondents_count,
    submitted_responses,
    territory_options,
)

__all__ = [
    "EVERYONE",
    "PUBLIC_MIN_RESPONDENTS",
    "SEARCH_WINDOW",
    "AnswersPage",
    "CrossTab",
    "Line",
    "MatrixLine",
    "QuestionResult",
    "Results",
    "Scope",
    "Stats",
    "answers_page",
    "crossable_questions",
    "crosstab",
    "has_listed_answers",
    "listed_answers",
    "numbered",
    "questions_of",
    "respondents_count",
    "results_for",
    "scale_bounds",
    "submitted_responses",
    "territory_options",
]
