"""Shapes every API router shares: identifiers and the error answers.

Errors: a refusal or a missing object is ``{"detail": "<message>"}`` (``ErrorOut``: 400, 401, 403, 404, 409);
a request that does not validate is ``{"detail": [{"type", "loc", "msg", …}, …]}`` (``ValidationErrorOut``: 422,
django-ninja's format). A router declares the ones its operations return, e.g.
``response={200: ThingOut, **errors(404, 422)}``; ``participe.api.api`` adds to every operation those the
framework itself returns (422 for parameters, 404 for path parameters, 401/403 behind authentication).
They live in core so that every router (of a platform app or of a module) uses them below the API root that
mounts it.
"""

from __future__ import annotations

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
