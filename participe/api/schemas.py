"""Shapes of the API's answers, and the error answers every router declares.

Errors: a refusal or a missing object is ``{"detail": "<message>"}`` (``ErrorOut``: 400, 401, 403, 404, 409);
a request that does not validate is ``{"detail": [{"type", "loc", "msg", …}, …]}`` (``ValidationErrorOut``: 422,
django-ninja's format). A router declares the ones its operations return, e.g.
``response={200: ThingOut, **errors(404, 422)}``; ``participe.api.api`` adds to every operation those the
framework itself returns (422 for parameters, 404 for path parameters, 401/403 behind authentication).
"""

from __future__ import annotations

import datetime
from typing import Annotated, Any

from ninja import Path, Schema

# Identifiers are 64-bit: a larger number is a 422 (validation), not a database error.
Id = Annotated[int, Path(ge=1, le=2**63 - 1)]


class ErrorOut(Schema):
    detail: str


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


def errors(*codes: int) -> dict[int, type[Schema]]:
    """The ``response`` entries of error answers: ``{404: ErrorOut, 422: ValidationErrorOut}`` for (404, 422)."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in codes}


class TerritoryOut(Schema):
    id: int
    name: str
    slug: str
    kind: str
    code: str
    parent_id: int | None


class ThemeOut(Schema):
    id: int
    name: str
    slug: str


class OrganisationOut(Schema):
    name: str
    short_description: str
    website: str
    contact_email: str
    primary_colour: str
    secondary_colour: str


class PhaseOut(Schema):
    id: int
    name: str
    phase_type: str
    start: datetime.datetime
    end: datetime.datetime
    capabilities: list[str]
    is_active: bool


class ModuleOut(Schema):
    id: int
    module_type: str
    title: str
    slug: str
    description: str
    url: str
    phases: list[PhaseOut]


class SpaceOut(Schema):
    id: int
    kind: str
    title: str
    slug: str
    summary: str
    status: str
    start_date: datetime.date | None
    end_date: datetime.date | None
    territories: list[int]
    themes: list[int]
    url: str


class SpaceDetailOut(SpaceOut):
    description: str
    modules: list[ModuleOut]


class SpacePage(Schema):
    items: list[SpaceOut]
    next_cursor: str | None
