"""The answers listed one by one (free texts, files, "autre, précisez" precisions): newest first, searched, paged."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import BooleanField, ExpressionWrapper, QuerySet
from django.db.models.expressions import RawSQL

from participe.core.pagination import InvalidCursor, after_cursor, cursor_of, encode_cursor, order_key
from participe.modules.surveys.models import Answer, Question, Response
from participe.modules.surveys.results.scope import EVERYONE, Scope

Kind = Question.Kind
TEXT_KINDS = (Kind.SHORT_TEXT, Kind.LONG_TEXT)
SEARCH_WINDOW = 20_000  # answers a search reads per page (see ``answers_page``)

# "The text is not empty", written as the condition of the index ``surveys_answer_text`` is: SQLite reads the count
# from that partial index alone only when the query repeats its condition literally (not with a bound parameter).
HAS_TEXT = ExpressionWrapper(
    RawSQL(f'NOT ("{Answer._meta.db_table}"."text" = \'\')', ()),  # noqa: S611 - a constant
    output_field=BooleanField(),
)


NEWEST = ("-response_id",)  # the order of the index on texts: newest responses first


def listed_answers(question: Question) -> QuerySet[Answer]:
    """The answers of ``question`` that are listed one by one: texts, files, "autre, précisez" precisions."""
    answers = Answer.objects.filter(question=question)
    if question.kind == Kind.FILE:
        return answers.exclude(file="")
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return answers.filter(HAS_TEXT, choice__is_other=True)
    return answers.filter(HAS_TEXT)


def has_listed_answers(question: Question) -> bool:
    if question.kind in (*TEXT_KINDS, Kind.FILE):
        return True
    if question.kind in (Kind.SINGLE, Kind.MULTIPLE):
        return any(choice.is_other for choice in question.choices.all())
    return False


@dataclass
class AnswersPage:
    """A page of listed answers. A search examines at most ``SEARCH_WINDOW`` answers per page: when it reached the
    end of that window before filling the page, ``window_ended`` is true and ``next_cursor`` continues after it."""

    items: list[Answer]
    next_cursor: str | None
    window_ended: bool = False

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def answers_page(
    question: Question, *, scope: Scope = EVERYONE, search: str = "", cursor: str | None = None, size: int = 20
) -> AnswersPage:
    """A page of the listed answers of a question, newest first, optionally containing ``search``.

    A question has at most one listed answer per response (a text, a file, the precision of its « autre » choice),
    so the response orders them and is the cursor (keyset: the page after response n starts below n), read in the
    order of the index on texts. A search reads a window of ``SEARCH_WINDOW`` answers of that index, whatever their
    number: its time stays bounded, and the agent may continue it."""
    answers = listed_answers(question).filter(scope.answers(question.questionnaire_id))
    answers = answers.select_related("choice") if question.kind in (Kind.SINGLE, Kind.MULTIPLE) else answers
    try:
        answers = after_cursor(answers, ordering=NEWEST, cursor=cursor)
    except InvalidCursor:
        answers = after_cursor(answers, ordering=NEWEST, cursor=None)  # from the top
    if search:
        page = _search(answers, "file_name" if question.kind == Kind.FILE else "text", search, size)
    else:
        page = _page(list(answers[: size + 1]), size)
    _attach_responses(page.items)
    return page


def _page(found: list[Answer], size: int) -> AnswersPage:
    if len(found) > size:
        return AnswersPage(found[:size], cursor_of(found[size - 1], NEWEST))
    return AnswersPage(found, None)


def _search(ordered: QuerySet[Answer], field: str, search: str, size: int) -> AnswersPage:
    edge = next(iter(ordered.values_list("response_id", flat=True)[SEARCH_WINDOW - 1 : SEARCH_WINDOW]), None)
    window = ordered if edge is None else ordered.filter(response_id__gte=edge)
    page = _page(list(window.filter(**{f"{field}__icontains": search})[: size + 1]), size)
    if page.next_cursor is None and edge is not None:
        # The window's last answer was examined: the search continues below it.
        return AnswersPage(page.items, encode_cursor([edge], order=order_key(NEWEST)), window_ended=True)
    return page


def _attach_responses(answers: list[Answer]) -> None:
    """The responses of a page of answers (receipt, date) in one query, not in the paging query's join."""
    missing = [a for a in answers if "response" not in a._state.fields_cache]
    responses = Response.objects.in_bulk([a.response_id for a in missing])
    for answer in missing:
        answer.response = responses[answer.response_id]
