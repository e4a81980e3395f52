"""API of the ballot service, mounted under /api/v1/ballots/. Same checks as the pages (the services decide).

- ``GET /elections``: the elections open now that the caller may see, with whether they may vote and why not;
- ``GET /elections/{id}``: one election (its ballot schema's description: options, rules);
- ``POST /elections/{id}/ballots`` (signed in: session and CSRF token): cast a ballot. Send an ``Idempotency-Key``
  header (a UUID, 16 to 200 random ASCII characters): the same request sent again answers 200 with the first
  receipt instead of voting twice. 201: the receipt; 403: refused, with the reasons; 409: already voted (the answer
  says by which channel, never what); 422: the ballot breaks the schema, a message per field as on the page;
- ``GET /elections/{id}/receipts/{code}``: after the count, whether a ballot with this receipt is in the box (and its
  content when the election publishes ballots with their receipts);
- ``GET /elections/{id}/results``: totals and results once counted, with the tally file's SHA-256;
- ``GET /elections/{id}/tally``: the tally file (JSON), its SHA-256 in the ``Digest`` header.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from ninja import Header, Router, Schema
from ninja.errors import HttpError
from ninja.security import django_auth

from participe.ballots import context, schemas, selectors, services, views
from participe.ballots.models import Election
from participe.core.schemas import Id, ReasonOut, errors
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused

router = Router(tags=["ballots"])


class VotedOut(Schema):
    channel: str
    station: str | None
    day: datetime.date


class ElectionOut(Schema):
    id: int
    title: str
    module_id: int
    url: str
    status: str
    channels: str
    opens_at: datetime.datetime | None
    closes_at: datetime.datetime | None
    ballot_schema: dict[str, Any]
    publish_receipts: bool
    allow_blank: bool
    can_vote: bool
    reasons: list[ReasonOut]
    voted: VotedOut | None


class CastIn(Schema):
    content: dict[str, Any] | None = None
    blank: bool = False
    email_receipt: bool = False


class CastOut(Schema):
    receipt: str
    day: datetime.date
    replayed: bool


class ReceiptOut(Schema):
    receipt: str
    found: bool
    kind: str | None
    content: dict[str, Any] | None
    display: str | None


class ElectionResultsOut(Schema):
    id: int
    status: str
    counted_at: datetime.datetime | None
    totals: dict[str, Any]
    results: dict[str, Any]
    tally_sha256: str
    tally_url: str


def _election(request: HttpRequest, election_id: int, *, kept: bool = False) -> Election:
    if kept:  # casting: the copy the process keeps while its rows are unchanged (``participe.ballots.context``)
        try:
            election = context.election(election_id)
        except Election.DoesNotExist:
            raise HttpError(404, "Not found") from None
    else:
        election = get_object_or_404(Election.objects.select_related("module__space"), pk=election_id)
    if not request.user.has_perm("ballots.view_election", election):
        raise HttpError(404, "Not found")
    return election


def _out(request: HttpRequest, election: Election) -> dict[str, Any]:
    verdict = explain(request.user, "ballots.vote_now", election)
    entry = selectors.roll_entry_of(request.user, election) if request.user.is_authenticated else None
    opens_at, closes_at = selectors.vote_window(election)
    return {
        "id": election.pk,
        "title": election.title,
        "module_id": election.module_id,
        "url": request.build_absolute_uri(election.module.get_absolute_url()),
        "status": election.status,
        "channels": election.channels,
        "opens_at": opens_at,
        "closes_at": closes_at,
        "ballot_schema": schemas.get(election.schema).describe(election),
        "publish_receipts": election.publish_receipts,
        "allow_blank": election.allow_blank,
        "can_vote": verdict.allowed,
        "reasons": [{"code": r.code, "message": str(r.message)} for r in verdict.reasons],
        "voted": (
            {"channel": entry.channel, "station": entry.station.name if entry.station else None, "day": entry.at.date()}
            if entry is not None
            else None
        ),
    }


@router.get("/elections", response=list[ElectionOut])
def election_list(request: HttpRequest) -> list[dict[str, Any]]:
    """The elections open now that the caller may see (for a signed-in resident: whether they may vote)."""
    return [_out(request, e) for e in selectors.open_elections(request.user)]


@router.get("/elections/{election_id}", response={200: ElectionOut, **errors(404, 422)})
def election_detail(request: HttpRequest, election_id: Id) -> dict[str, Any]:
    return _out(request, _election(request, election_id))


def _validation_detail(error: ValidationError) -> list[dict[str, Any]]:
    messages = error.message_dict if hasattr(error, "error_dict") else {"content": error.messages}
    return [
        {
            "type": "ballot",
            "loc": ["body", field if field in ("blank", "idempotency_key") else "content", field],
            "msg": m,
        }
        for field, found in messages.items()
        for m in found
    ]


@router.post(
    "/elections/{election_id}/ballots",
    response={200: CastOut, 201: CastOut, **errors(403, 404, 409, 422)},
    auth=django_auth,
)
def ballot_cast(
    request: HttpRequest,
    election_id: Id,
    payload: CastIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),  # type: ignore[assignment]
) -> tuple[int, Any]:
    """Cast the caller's ballot. 201 with the receipt; 200 with the first receipt when the same
    ``Idempotency-Key`` was already used; 409 when the caller already voted by another request or channel."""
    election = _election(request, election_id, kept=True)
    try:
        cast = services.ballot_cast(
            actor=request.user,
            election=election,
            content=payload.content,
            blank=payload.blank,
            idempotency_key=idempotency_key,
            email_receipt=payload.email_receipt,
        )
    except Refused as refused:
        raise HttpError(409 if refused.codes == ["already_voted"] else 403, str(refused)) from refused
    except ValidationError as invalid:
        return 422, {"detail": _validation_detail(invalid)}
    return (200 if cast.replayed else 201), {"receipt": cast.receipt, "day": cast.day, "replayed": cast.replayed}


@router.get("/elections/{election_id}/receipts/{code}", response={200: ReceiptOut, **errors(404, 409, 422)})
def receipt_check(request: HttpRequest, election_id: Id, code: str) -> dict[str, Any]:
    """After the count: is the ballot with this receipt in the box? (409 before the count.)"""
    election = _election(request, election_id)
    canonical = selectors.normalise_receipt(code)
    if not election.is_counted:
        raise HttpError(409, "Les reçus se vérifient après le dépouillement.")
    ballot = selectors.ballot_by_receipt(election, canonical) if canonical else None
    show = ballot is not None and election.publish_receipts
    return {
        "receipt": canonical or code[:40],
        "found": ballot is not None,
        "kind": ballot.kind if show and ballot else None,
        "content": ballot.content if show and ballot else None,
        "display": schemas.get(election.schema).display(election, ballot.content) if show and ballot else None,
    }


@router.get("/elections/{election_id}/results", response={200: ElectionResultsOut, **errors(404, 409, 422)})
def election_results(request: HttpRequest, election_id: Id) -> dict[str, Any]:
    """Totals and results of a counted election (409 before the count)."""
    election = _election(request, election_id)
    if not election.is_counted:
        raise HttpError(409, "Les résultats seront publiés après le dépouillement.")
    return {
        "id": election.pk,
        "status": election.status,
        "counted_at": election.counted_at,
        "totals": election.totals,
        "results": election.results,
        "tally_sha256": election.tally_sha256,
        "tally_url": request.build_absolute_uri(reverse("ballots:tally", kwargs={"pk": election.pk})),
    }


@router.get("/elections/{election_id}/tally", response={200: None, **errors(404, 422)})
def election_tally(request: HttpRequest, election_id: Id) -> HttpResponse:
    """The tally file (JSON), for recounting (docs/services/ballots.md)."""
    return views.tally_file(request, election_id)
