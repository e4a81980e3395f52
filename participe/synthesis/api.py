"""API routes of the syntheses, mounted under /api/v1/syntheses/: the published syntheses you may see (by space,
newest first) and one synthesis with its text, its themes (size, share, territories, stances) and their quotes, each
linking to its contribution. Reads only: the agents work in the back-office."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema
from ninja.errors import HttpError

from participe.core.pagination import keyset_paginate
from participe.core.schemas import Id, errors
from participe.spaces.models import Space
from participe.synthesis import selectors
from participe.synthesis.models import Synthesis

router = Router(tags=["syntheses"])
ORDERING = ("-published_at", "-pk")


class SynthesisOut(Schema):
    id: int
    title: str
    space_id: int
    space: str
    published_at: datetime.datetime | None
    contributions: int
    url: str


class ShareOut(Schema):
    name: str
    count: int
    percent: int


class QuoteOut(Schema):
    id: int
    text: str
    kind: str
    territory: str
    url: str


class ThemeOut(Schema):
    id: int
    label: str
    size: int
    percent: int
    territories: list[ShareOut]
    stances: list[ShareOut]
    quotes: list[QuoteOut]


class SynthesisDetailOut(SynthesisOut):
    text: str
    method: str
    themes: list[ThemeOut]


class SynthesisPage(Schema):
    items: list[SynthesisOut]
    next_cursor: str | None


class ListQuery(Schema):
    space: int | None = None
    cursor: str | None = None
    limit: int = 30


def _out(request: HttpRequest, s: Synthesis) -> dict[str, Any]:
    return {
        "id": s.pk,
        "title": s.title,
        "space_id": s.space_id,
        "space": s.space.title,
        "published_at": s.published_at,
        "contributions": s.contributions_count,
        "url": request.build_absolute_uri(s.get_absolute_url()),
    }


def _theme(request: HttpRequest, t: selectors.ThemeSummary) -> dict[str, Any]:
    return {
        "id": t.theme.pk,
        "label": t.label,
        "size": t.size,
        "percent": t.percent,
        "territories": [vars(s) for s in t.territories],
        "stances": [vars(s) for s in t.stances],
        "quotes": [
            {
                "id": q.pk,
                "text": q.text,
                "kind": q.kind,
                "territory": q.territory_name,
                "url": request.build_absolute_uri(q.url) if q.url else "",
            }
            for q in t.quotes
        ],
    }


@router.get("/", response={200: SynthesisPage, **errors(400)})
def synthesis_list(request: HttpRequest, query: Query[ListQuery]) -> dict[str, Any]:
    """The published syntheses of the démarches you may see, newest first (filter ``space``; keyset pages)."""
    if not 1 <= query.limit <= 100:
        raise HttpError(400, "limit must be between 1 and 100")
    qs = Synthesis.objects.filter(status=Synthesis.Status.PUBLISHED).select_related("space")
    if query.space:
        space = Space.objects.filter(pk=query.space).first()
        if space is None or not request.user.has_perm("spaces.view_space", space):
            raise HttpError(400, "unknown space")
        qs = qs.filter(space=space)
    else:
        visible = [
            s.pk
            for s in Space.objects.filter(pk__in=qs.values("space_id"))
            if request.user.has_perm("spaces.view_space", s)
        ]
        qs = qs.filter(space_id__in=visible)
    page = keyset_paginate(qs, ordering=ORDERING, cursor=query.cursor, size=query.limit)
    return {"items": [_out(request, s) for s in page.items], "next_cursor": page.next_cursor}


@router.get("/{synthesis_id}", response={200: SynthesisDetailOut, **errors(404)})
def synthesis_detail(request: HttpRequest, synthesis_id: Id) -> dict[str, Any]:
    """A published synthesis: its text (with its [[theme:N]] and [[citation:N]] markers), the method's paragraph,
    and every theme with its figures and quotes."""
    s = Synthesis.objects.select_related("space").filter(pk=synthesis_id).first()
    if s is None or not request.user.has_perm("synthesis.view_synthesis", s):
        raise HttpError(404, "Not found")
    themes = selectors.summaries(s, quotes=5)
    return {**_out(request, s), "text": s.text, "method": s.method_note, "themes": [_theme(request, t) for t in themes]}
