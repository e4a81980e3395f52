"""Reading the search index: one query over every searchable thing the user may see."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.apps import apps
from django.db import connection
from django.db.models import BigIntegerField, BooleanField, ExpressionWrapper, F, FloatField, OrderBy, Q, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import SafeString
from django.utils.text import capfirst

from participe.core.dates import day_start
from participe.core.models import ModerationStatus
from participe.core.pagination import decode_cursor, encode_cursor
from participe.organisation.models import Territory, Theme
from participe.search import text
from participe.search.models import SearchEntry, SearchEntryTerritory, SearchEntryTheme
from participe.search.services import indexed_models
from participe.spaces.models import Space
from participe.spaces.predicates import is_authenticated, is_org_admin
from participe.spaces.selectors import LISTED_STATUSES, spaces_visible_to

PAGE_SIZE = 20
MAX_RESULTS = 1000  # results reachable by paging, and the bound of the count ("plus de 1 000")
OFFSET_ORDER = "offset"  # the order named in the cursors of search pages (see cursor_at)
MAX_QUERY_LENGTH = 200
RANKING_POOL = 20_000  # relevance is computed among this many most recent matches (see _sqlite_pool_page)
EXCERPT_LENGTH = 240
SORTS = ("relevance", "date")
PG_QUERY = "websearch_to_tsquery('french_unaccent'::regconfig, %s)"


@dataclass
class SearchFilters:
    kind: str | None = None  # "app_label.model", see ``kind_choices``
    space: Space | None = None
    territory: Territory | None = None
    theme: Theme | None = None
    date_from: datetime.date | None = None
    date_to: datetime.date | None = None
    sort: str = "relevance"


@dataclass
class SearchResult:
    entry: SearchEntry
    title: SafeString  # escaped, with <mark> around the words found
    excerpt: SafeString
    type_label: str

    @property
    def url(self) -> str:
        return self.entry.url


@dataclass
class SearchPage:
    results: list[SearchResult] = field(default_factory=list)
    total: int = 0
    total_is_bounded: bool = False  # more than MAX_RESULTS matched: ``total`` is a lower bound
    offset: int = 0
    next_cursor: str | None = None
    previous_cursor: str | None = None
    searched: bool = False  # a query or a filter was given

    @property
    def has_next(self) -> bool:
        return self.next_cursor is not None


def kind_choices() -> list[tuple[str, str]]:
    """The types of things search finds, for the type filter: ("app_label.model", "Label")."""
    return [(m._meta.label_lower, str(capfirst(m._meta.verbose_name))) for m in indexed_models()]


def entries_visible_to(user: Any) -> QuerySet[SearchEntry]:
    """Entries of published or archived spaces the user may see, published modules, and published content.

    Drafts, private spaces the user is not a member of, unpublished modules, content hidden or awaiting
    moderation and news scheduled for later are never found (moderators work in the moderation queue).
    """
    qs = SearchEntry.objects.filter(
        space_status__in=LISTED_STATUSES,
        module_published=True,
        moderation_status=ModerationStatus.PUBLISHED,
        date__lte=timezone.now(),
    )
    if not is_authenticated(user):
        return qs.filter(space_public=True)
    if is_org_admin(user):
        return qs
    private = spaces_visible_to(user).filter(visibility=Space.Visibility.PRIVATE).values("pk")
    return qs.filter(Q(space_public=True) | Q(space_id__in=private))


def search(*, user: Any, query: str, filters: SearchFilters | None = None, cursor: str | None = None) -> SearchPage:
    """One page of what ``query`` finds among the entries ``user`` may see, best first, with highlighted excerpts.

    The query follows web search habits: words (all required), "a phrase", -excluded, OR. Accents, case and
    French plurals do not matter. Without a query, the filters alone list the most recent entries.
    """
    filters = filters or SearchFilters()
    query = " ".join((query or "").split())[:MAX_QUERY_LENGTH]
    qs = _filtered(entries_visible_to(user), filters)
    searched = bool(query) or _has_filters(filters)
    if not searched:
        return SearchPage()
    words: set[str] = set()
    if query:
        parsed = text.parse_query(query)
        if parsed.is_empty:
            return SearchPage(searched=True)
        words = parsed.words
        visible = qs
        qs = _matching(qs, query, parsed)
    offset = _offset(cursor)
    by_relevance = bool(query) and filters.sort != "date"
    if by_relevance and connection.vendor == "sqlite" and not _has_filters(filters):
        ids, count = _sqlite_pool_page(visible, text.fts5_expression(parsed), offset)
    elif by_relevance and connection.vendor == "postgresql":
        ids, count = _pg_pool_page(qs, query, offset)
    else:
        # Ids first, rows after: the sort then handles small rows, not every matching text.
        ordering = ("rank", "-date", "-pk") if by_relevance else ("-date", "-pk")
        ids = list(qs.order_by(*ordering).values_list("pk", flat=True)[offset : offset + PAGE_SIZE + 1])
        count = qs.order_by()[: MAX_RESULTS + 1].count
    fetched_more = len(ids) > PAGE_SIZE
    has_more = fetched_more and offset + PAGE_SIZE < MAX_RESULTS
    ids = ids[:PAGE_SIZE]
    by_pk = SearchEntry.objects.select_related("space").defer("space__description").in_bulk(ids)
    rows = [by_pk[pk] for pk in ids if pk in by_pk]
    total = offset + len(rows) if not fetched_more and (rows or offset == 0) else count()  # no count on a last page
    return SearchPage(
        results=_results(rows, query, words),
        total=min(total, MAX_RESULTS),
        total_is_bounded=total > MAX_RESULTS,
        offset=offset,
        next_cursor=cursor_at(offset + PAGE_SIZE) if has_more else None,
        previous_cursor=cursor_at(max(0, offset - PAGE_SIZE)) if offset else None,
        searched=True,
    )


def _sqlite_pool_page(qs: QuerySet[SearchEntry], expression: str, offset: int) -> tuple[list[int], Callable[[], int]]:
    """Ids of one page ranked by relevance on SQLite, among the RANKING_POOL most recent matches.

    bm25 and the visibility check cost a little per match; a word found in most of a million items would cost
    seconds. Ranking the most recently indexed matches only keeps a query's cost bounded whatever the size of the
    index; below RANKING_POOL matches (nearly every real query) the result is exact. Searches with filters do not
    come here: a filter must see every match.
    """
    visible_sql, visible_params = qs.filter(pk=RawSQL("m.id", [])).values("pk").query.sql_with_params()
    pool = (
        "SELECT rowid AS id, bm25(search_fts, 10.0, 1.0) AS rank FROM search_fts "
        "WHERE search_fts MATCH %s ORDER BY rowid DESC LIMIT %s"
    )
    # One query gives the page and the bounded count: the ids of every reachable result (1,001 at most).
    sql = f"SELECT m.id FROM ({pool}) AS m WHERE EXISTS ({visible_sql}) ORDER BY m.rank, m.id DESC LIMIT %s"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, RANKING_POOL, *visible_params, MAX_RESULTS + 1])
        reachable = [row[0] for row in cursor.fetchall()]
    return reachable[offset : offset + PAGE_SIZE + 1], lambda: len(reachable)


def _pg_pool_page(qs: QuerySet[SearchEntry], query: str, offset: int) -> tuple[list[int], Callable[[], int]]:
    """Ids of one page ranked by relevance on PostgreSQL, among the RANKING_POOL most recent matches.

    The same bound as on SQLite: ts_rank reads each matching tsvector, so only the RANKING_POOL most recent
    matches (filters included: they live in the same row) are ranked. The match runs once: one query reads the
    pool with each row's tsvector, ranks it and returns the ids of every reachable result (1,001 at most), which
    give the page and the bounded count (RANKING_POOL is larger than MAX_RESULTS: the count is exact up to it).
    Before, the pool was read again by id to be ranked, and the count ran the match a second time (a phrase at
    1,000,000 items: the whole table read twice).
    """
    vector = RawSQL(f"{connection.ops.quote_name(SearchEntry._meta.db_table)}.search_vector", [])  # noqa: S611
    pool = qs.order_by(_pool_order(query)).annotate(_vector=vector).values("pk", "date", "_vector")[:RANKING_POOL]
    pool_sql, pool_params = pool.query.sql_with_params()
    sql = (
        f'SELECT p."pk" FROM ({pool_sql}) AS p '  # noqa: S608 - constant SQL, every value is bound
        f'ORDER BY -ts_rank(p."_vector", {PG_QUERY}), p."date" DESC, p."pk" DESC LIMIT %s'
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*pool_params, query, MAX_RESULTS + 1])
        reachable = [row[0] for row in cursor.fetchall()]
    return reachable[offset : offset + PAGE_SIZE + 1], lambda: len(reachable)


def _has_filters(filters: SearchFilters) -> bool:
    return any((filters.kind, filters.space, filters.territory, filters.theme, filters.date_from, filters.date_to))


def cursor_at(offset: int) -> str:
    """The cursor of the results from ``offset`` on. Results are ranked, not walked along an index: their pages
    are counted by offset (up to ``MAX_RESULTS``), in the cursor encoding of every list."""
    return encode_cursor([offset], order=OFFSET_ORDER)


def _offset(cursor: str | None) -> int:
    if not cursor:
        return 0
    (offset,) = decode_cursor(cursor, order=OFFSET_ORDER, types=(int,))  # InvalidCursor: 400 / a notice
    return max(0, min(offset - offset % PAGE_SIZE, MAX_RESULTS - PAGE_SIZE))


def _filtered(qs: QuerySet[SearchEntry], filters: SearchFilters) -> QuerySet[SearchEntry]:
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.space is not None:
        qs = qs.filter(space_id=filters.space.pk)
    if filters.territory is not None:
        # A commune-wide item concerns each of its quartiers, and a quartier's item is in the commune.
        ids = filters.territory.descendant_ids() | {t.pk for t in filters.territory.ancestors()}
        qs = qs.filter(pk__in=SearchEntryTerritory.objects.filter(territory_id__in=ids).values("entry_id"))
    if filters.theme is not None:
        qs = qs.filter(pk__in=SearchEntryTheme.objects.filter(theme_id=filters.theme.pk).values("entry_id"))
    if filters.date_from:
        qs = qs.filter(date__gte=day_start(filters.date_from))
    if filters.date_to:
        qs = qs.filter(date__lt=day_start(filters.date_to + datetime.timedelta(days=1)))
    return qs


def _pool_order(query: str) -> OrderBy:
    """Most recent first. For a phrase, through an expression no index provides: PostgreSQL cannot estimate how
    rare a phrase is, and walking the primary key backwards (its choice for common words, right for them) would
    read the whole table to find a rare phrase; the full-text index must drive the query instead."""
    if '"' in query:
        return ExpressionWrapper(F("pk") + 0, output_field=BigIntegerField()).desc()
    return F("pk").desc()


def _pg_rank(query: str) -> RawSQL:
    """PostgreSQL's relevance of an entry, negated so that, as with SQLite's bm25, lower is better.

    ``search_vector`` is left unqualified on purpose, here and in ``_matching``: inside a subquery the ORM names
    the table ``U0``, and a qualified name would point at the outer query's table instead.
    """
    return RawSQL(f"-ts_rank(search_vector, {PG_QUERY})", [query], output_field=FloatField())  # noqa: S611


def _matching(qs: QuerySet[SearchEntry], query: str, parsed: text.ParsedQuery) -> QuerySet[SearchEntry]:
    """Entries matching the query, annotated with ``rank`` (lower is better)."""
    if connection.vendor == "postgresql":
        return qs.filter(
            RawSQL(f"search_vector @@ {PG_QUERY}", [query], output_field=BooleanField())  # noqa: S611 - constant SQL, bound query
        ).annotate(rank=_pg_rank(query))
    # SQLite FTS5: the text was normalised on the way in, the query is normalised the same way; bm25 weighs
    # the title ten times the text (bm25 is negative: lower is better).
    return qs.extra(
        tables=["search_fts"],
        where=["search_fts.rowid = search_searchentry.id", "search_fts MATCH %s"],
        params=[text.fts5_expression(parsed)],
        select={"rank": "bm25(search_fts, 10.0, 1.0)"},
    )


def _results(rows: list[SearchEntry], query: str, words: set[str]) -> list[SearchResult]:
    headlines = _pg_headlines(rows, query) if query and connection.vendor == "postgresql" else {}
    results = []
    for entry in rows:
        if entry.pk in headlines:
            title, excerpt = headlines[entry.pk]
        else:
            title = text.highlight(entry.title, words)
            excerpt = text.highlight(entry.body, words, limit=EXCERPT_LENGTH)
        results.append(SearchResult(entry=entry, title=title, excerpt=excerpt, type_label=_type_label(entry.kind)))
    return results


def _pg_headlines(rows: list[SearchEntry], query: str) -> dict[int, tuple[SafeString, SafeString]]:
    """Highlighted title and excerpt made by PostgreSQL (ts_headline), for one page of results only."""
    if not rows:
        return {}
    marks = f'StartSel="{text.MARK_START}", StopSel="{text.MARK_STOP}"'
    sql = f"""
        SELECT e.id,
               ts_headline('french_unaccent'::regconfig, e.title, q, %s),
               ts_headline('french_unaccent'::regconfig, e.body, q, %s)
        FROM search_searchentry e, {PG_QUERY} AS q
        WHERE e.id = ANY(%s)
    """  # noqa: S608 - constant SQL, every value is bound
    title_options = f"{marks}, HighlightAll=true"
    body_options = f'{marks}, MaxWords=35, MinWords=15, MaxFragments=2, FragmentDelimiter=" … "'
    with connection.cursor() as cursor:
        cursor.execute(sql, [title_options, body_options, query, [e.pk for e in rows]])
        return {pk: (text.marked(title), text.marked(body)) for pk, title, body in cursor.fetchall()}


def _type_label(kind: str) -> str:
    try:
        return str(capfirst(apps.get_model(kind)._meta.verbose_name))
    except (LookupError, ValueError):
        return kind
