"""Questions as answering sees them, pages, conditional display, and the posted values in the draft format."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings

SECTION = "section"
SHORT_TEXT, LONG_TEXT = "short_text", "long_text"
SINGLE, MULTIPLE, RANKING, MATRIX = "single", "multiple", "ranking", "matrix"
SCALE, NUMBER, DATE, FILE = "scale", "number", "date", "file"
CHOICE_KINDS = (SINGLE, MULTIPLE)
CLOSED_KINDS = (SINGLE, MULTIPLE, RANKING, MATRIX, SCALE)

MAX_POSTED_CHARS = 20_000  # no posted string is kept longer than this, whatever the question allows
NUMBER_LIMIT = Decimal(10) ** 12  # Answer.number: 18 digits, 6 of them decimals

Values = dict[str, Any]  # the draft format: "<pk>" -> list of strings, other keys -> a string


@dataclass(frozen=True)
class ChoiceSpec:
    id: int
    label: str
    is_other: bool = False


@dataclass(frozen=True)
class RowSpec:
    id: int
    label: str


@dataclass(frozen=True)
class QuestionSpec:
    id: int
    kind: str
    title: str
    help_text: str = ""
    required: bool = False
    config: Mapping[str, Any] = field(default_factory=dict)
    choices: tuple[ChoiceSpec, ...] = ()
    rows: tuple[RowSpec, ...] = ()
    condition_question_id: int | None = None
    condition_choice_ids: frozenset[int] = frozenset()

    @property
    def is_section(self) -> bool:
        return self.kind == SECTION

    @property
    def name(self) -> str:
        """The name of its form field (and the id of the element an error links to)."""
        return f"q{self.id}"

    def option(self, key: str) -> Any:
        """A ``config`` option, or its default (``Question.CONFIG_KEYS``)."""
        value = self.config.get(key)
        return default_option(self, key) if value in (None, "") else value

    def choice(self, pk: int) -> ChoiceSpec | None:
        return next((c for c in self.choices if c.id == pk), None)


def default_option(question: QuestionSpec, key: str) -> Any:
    if key == "max_length":
        return 5000 if question.kind == LONG_TEXT else 300
    if key == "min_choices":
        return 1 if question.required else 0
    if key == "max_choices":
        return len(question.choices)
    if key == "rank_all":
        return True
    if question.kind == SCALE and key in ("min", "max"):
        return 1 if key == "min" else 5
    if key == "decimals":
        return 0
    if key == "max_mb":
        return settings.PARTICIPE_MAX_DOCUMENT_MB
    return "" if key in ("min_label", "max_label", "unit") else None


@dataclass(frozen=True)
class Page:
    number: int  # 1-based, stable: the address of the page
    section: QuestionSpec | None
    questions: tuple[QuestionSpec, ...]


def split_pages(items: Sequence[QuestionSpec]) -> list[Page]:
    """Pages of a questionnaire: each section item starts one. Always at least one page."""
    pages: list[Page] = []
    section: QuestionSpec | None = None
    questions: list[QuestionSpec] = []
    for item in items:
        if item.is_section:
            if section is not None or questions:
                pages.append(Page(len(pages) + 1, section, tuple(questions)))
            section, questions = item, []
        else:
            questions.append(item)
    pages.append(Page(len(pages) + 1, section, tuple(questions)))
    return pages


def visible_ids(items: Sequence[QuestionSpec], values: Mapping[str, Any]) -> set[int]:
    """Ids of the visible items, in one pass (a condition refers to an earlier question). Questions of a hidden
    section are hidden with it."""
    visible: set[int] = set()
    section_visible = True
    for item in items:
        shown = _condition_met(item, values, visible)
        if item.is_section:
            section_visible = shown
        shown = shown and section_visible
        if shown:
            visible.add(item.id)
    return visible


def _condition_met(item: QuestionSpec, values: Mapping[str, Any], visible: set[int]) -> bool:
    if item.condition_question_id is None:
        return True
    if item.condition_question_id not in visible:
        return False
    wanted = {str(pk) for pk in item.condition_choice_ids}
    return bool(wanted & set(as_list(values.get(str(item.condition_question_id)))))


def visible_pages(pages: Sequence[Page], visible: set[int]) -> list[Page]:
    """The pages a respondent goes through: a page whose section is hidden, or whose questions are all hidden by
    their conditions, is skipped (a section without any question, a text to read, is kept)."""
    kept = []
    for page in pages:
        if page.section is not None and page.section.id not in visible:
            continue
        if page.questions and not any(q.id in visible for q in page.questions):
            continue
        kept.append(page)
    return kept


def as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, list | tuple):
        return [str(v) for v in value]
    return [str(value)]


def _posted(data: Any, name: str) -> str:
    value = data.get(name, "")
    return str(value)[:MAX_POSTED_CHARS] if value is not None else ""


def _posted_list(data: Any, name: str, limit: int) -> list[str]:
    getlist = getattr(data, "getlist", None)
    raw = getlist(name) if getlist else as_list(data.get(name))
    return [str(v)[:MAX_POSTED_CHARS] for v in raw if str(v) != ""][: max(limit, 1)]


def read_posted(questions: Iterable[QuestionSpec], data: Any) -> Values:
    """The values posted for ``questions`` (a QueryDict or a plain mapping), in the draft format. File questions are
    left out: their value is the stored file, set by the service."""
    values: Values = {}
    for question in questions:
        pk, name = str(question.id), question.name
        if question.kind in (SECTION, FILE):
            continue
        if question.kind == MULTIPLE:
            values[pk] = _posted_list(data, name, len(question.choices))
        elif question.kind == MATRIX:
            for row in question.rows:
                values[f"{pk}-{row.id}"] = _posted(data, f"{name}-{row.id}")
        elif question.kind == RANKING:
            for choice in question.choices:
                values[f"{pk}-rank-{choice.id}"] = _posted(data, f"{name}-rank-{choice.id}")
        else:
            values[pk] = _posted_list(data, name, 1)
        if question.kind in CHOICE_KINDS and any(c.is_other for c in question.choices):
            values[f"{pk}-other"] = _posted(data, f"{name}-other")
    return values


def keys_of(question: QuestionSpec, values: Mapping[str, Any]) -> list[str]:
    """The draft keys holding the answer to ``question``."""
    pk = str(question.id)
    return [key for key in values if key == pk or key.startswith(f"{pk}-")]


def merge(draft: Mapping[str, Any], questions: Iterable[QuestionSpec], posted: Mapping[str, Any]) -> Values:
    """The draft with the answers to ``questions`` replaced by ``posted`` (file questions are kept as they were)."""
    merged = dict(draft)
    for question in questions:
        if question.kind == FILE:
            continue
        for key in keys_of(question, merged):
            del merged[key]
    merged.update(posted)
    return merged
