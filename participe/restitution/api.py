"""API route of the bilans, mounted under /api/v1/bilans/: a démarche's published bilan as data — its state, the
agents' texts, the figures (participants, contributions by kind, by territory with representativeness, by channel)
and the counts of answered and unanswered contributions (the staff of the démarche read its draft too)."""

from __future__ import annotations

import datetime
from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema
from ninja.errors import HttpError

from participe.core.schemas import errors
from participe.restitution import selectors
from participe.spaces.models import Space

router = Router(tags=["bilans"])


class BilanKindOut(Schema):
    label: str
    count: int


class BilanTerritoryOut(Schema):
    territory: str | None
    population: int | None
    participants: int
    contributions: int
    population_share: float | None
    participants_share: float | None
    representativeness: float | None


class BilanChannelOut(Schema):
    channel: str
    label: str
    contributions: int
    votes: int


class BilanOut(Schema):
    space_id: int
    space: str
    state: str
    published_at: datetime.datetime | None
    sections: list[str]
    introduction: str
    decisions: str
    participants: int
    contributions: int
    answered: int
    unanswered: int
    commitments: int
    kinds: list[BilanKindOut]
    territories: list[BilanTerritoryOut]
    channels: list[BilanChannelOut]
    url: str
    pdf_url: str


@router.get("/{slug}", response={200: BilanOut, **errors(404)})
def bilan_detail(request: HttpRequest, slug: str) -> dict[str, Any]:
    """The bilan of the démarche ``slug``, once published (404 before, as for a démarche you may not see)."""
    from django.urls import reverse

    space = Space.objects.filter(slug=slug).first()
    if space is None or not request.user.has_perm("spaces.view_space", space):
        raise HttpError(404, "Not found")
    edition = selectors.edition_of(space)
    if not request.user.has_perm("restitution.view_bilan", edition):
        raise HttpError(404, "Not found")
    report = selectors.bilan_of(space, request.user, edition=edition)
    figures = report.figures
    return {
        "space_id": space.pk,
        "space": space.title,
        "state": edition.state,
        "published_at": edition.published_at,
        "sections": list(edition.sections),
        "introduction": edition.introduction,
        "decisions": edition.decisions,
        "participants": figures.participants,
        "contributions": figures.contributions,
        "answered": report.answered,
        "unanswered": report.unanswered,
        "commitments": len(report.commitments),
        "kinds": [{"label": k.label, "count": k.count} for k in figures.kinds],
        "territories": [
            {
                "territory": row.territory.name if row.territory else None,
                "population": row.population,
                "participants": row.participants,
                "contributions": row.contributions,
                "population_share": row.population_share,
                "participants_share": row.participants_share,
                "representativeness": row.index,
            }
            for row in figures.territories
        ],
        "channels": [
            {"channel": c.key, "label": c.label, "contributions": c.contributions, "votes": c.votes}
            for c in figures.channels
        ],
        "url": request.build_absolute_uri(reverse("restitution:bilan", args=[space.slug])),
        "pdf_url": request.build_absolute_uri(reverse("restitution:bilan_pdf", args=[space.slug])),
    }
