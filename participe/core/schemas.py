"""Shapes every API router shares: identifiers and the error answers.

Errors: a refusal or a missing object is ``{"detail": "<message>"}`` (``ErrorOut``: 400, 401, 403, 404, 409); a
refusal of the permission layer adds its ``reasons`` (``[{"code", "message", "action_url"}, …]``);
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


class ReasonOut(Schema):
    """One reason of a refusal (``participe.permissions``): a stable ``code``, the message shown to people, and where
    to fix it when there is such a place (the login page, the verification page)."""

    code: str
    message: str
    action_url: str | None = None


class ErrorOut(Schema):
    detail: str
    # A refusal of the permission layer (403, and 409 for a state that may change: an allowance used up) also says
    # why, in the order a person should deal with the reasons; ``detail`` is the first one's message.
    reasons: list[ReasonOut] = []


def refusal_body(refused: Any) -> dict[str, Any]:
    """The ``ErrorOut`` of a ``Refused``: its first reason as ``detail``, and every reason."""
    reasons = [{"code": r.code, "message": str(r.message), "action_url": r.action_url or None} for r in refused.reasons]
    return {"detail": reasons[0]["message"] if reasons else "Forbidden", "reasons": reasons}


class ThrottledOut(Schema):
    """A write refused for coming too often (429, ``participe.core.throttle``): ``retry_after`` seconds to wait, as
    the ``Retry-After`` header says."""

    detail: str
    retry_after: int


class ValidationErrorOut(Schema):
    detail: list[dict[str, Any]]


def errors(*codes: int) -> dict[int, type[Schema]]:
    """The ``response`` entries of error answers: ``{404: ErrorOut, 422: ValidationErrorOut}`` for (404, 422)."""
    return {code: ValidationErrorOut if code == 422 else ErrorOut for code in codes}


def idempotency_key(header: str | None) -> str | None:
    """The ``Idempotency-Key`` header checked (``participe.core.idempotency``): None without one, 400 when it is not
    16 to 200 random ASCII characters."""
    from django.core.exceptions import ValidationError
    from ninja.errors import HttpError

    from participe.core.idempotency import check_key

    try:
        return check_key(header)
    except ValidationError as error:
        raise HttpError(400, " ".join(error.messages)) from error
