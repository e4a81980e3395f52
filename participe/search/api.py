"""API routes of search, mounted under /api/v1/search/."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema
from ninja.errors import ValidationError

from participe.core.schemas import errors
from participe.search.forms import SearchForm
from participe.search.selectors import search

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = ""
    type: str = ""
    space: str = ""
    territory: str = ""
    theme: str = ""
    date_from: datetime.date | None = Field(None, alias="from")
    date_to: datetime.date | None = Field(None, alias="to")
    sort: str = "relevance"
    cursor: str = ""


class SearchResultOut(Schema):
    type: str
    type_label: str
    id: int
    title: str
    title_html: str
    excerpt_html: str
    url: str
    date: datetime.datetime
    space: str | None


class SearchPageOut(Schema):
    count: int
    count_is_lower_bound: bool
    next_cursor: str | None
    results: list[SearchResultOut]


@router.get("/", response={200: SearchPageOut, **errors(422)}, url_name="search")
def search_list(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """Search everything the caller may see. ``title_html`` and ``excerpt_html`` are escaped HTML with ``<mark>``.

    Filters: ``type`` (e.g. ``spaces.space``), ``space``, ``territory`` and ``theme`` (slugs), ``from`` and
    ``to`` (ISO dates), ``sort`` (``relevance`` or ``date``); ``cursor`` comes from ``next_cursor``.
    """
    data = {
        "q": params.q,
        "type": params.type,
        "space": params.space,
        "territory": params.territory,
        "theme": params.theme,
        "from": params.date_from.isoformat() if params.date_from else "",
        "to": params.date_to.isoformat() if params.date_to else "",
        "sort": params.sort,
    }
    form = SearchForm(data, user=request.user)
    if not form.is_valid():
        # The same shape as django-ninja's own validation errors: one entry per parameter refused.
        raise ValidationError(
            [
                {"type": "value_error", "loc": ["query", name], "msg": " ".join(messages)}
                for name, messages in form.errors.items()
            ]
        )
    page = search(user=request.user, query=form.query, filters=form.filters(), cursor=params.cursor or None)
    return {
        "count": page.total,
        "count_is_lower_bound": page.total_is_bounded,
        "next_cursor": page.next_cursor,
        "results": [
            {
                "type": r.entry.kind,
                "type_label": r.type_label,
                "id": r.entry.object_id,
                "title": r.entry.title,
                "title_html": str(r.title),
                "excerpt_html": str(r.excerpt),
                "url": request.build_absolute_uri(r.entry.url),
                "date": r.entry.date,
                "space": r.entry.space.title if r.entry.space else None,
            }
            for r in page.results
        ],
    }
