"""Shapes of the API root's own answers: the organisation, its territories and themes, spaces, modules, phases.

The identifiers and error answers every router shares are in ``participe.core.schemas``.
"""

from __future__ import annotations

import datetime

from ninja import Schema


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
