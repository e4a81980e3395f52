"""The permission layer's answer: allowed, or the reasons why not.

Every service that changes data takes the ``actor`` and checks its permission itself, before writing, with
:func:`require`; a refusal is a :class:`Refused` (a ``PermissionDenied``) carrying the reasons, which the page and the
API show as they are. See docs/decisions/ (the permission layer).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class Reason:
    """Why something is refused: a stable ``code`` (for the API and tests) and a message for people."""

    code: str
    message: Any  # str or lazy translation
    # Where the person can fix it (sign in, get verified), when there is such a place.
    action_url: str | None = None
    action_label: Any = None

    def __str__(self) -> str:
        return str(self.message)


NOT_ALLOWED = Reason("not_allowed", _("Vous n'avez pas le droit de faire cela."))


@dataclass(frozen=True)
class Verdict:
    """Allowed, or the reasons why not (in the order a person should deal with them)."""

    allowed: bool
    reasons: tuple[Reason, ...] = field(default=())

    def __bool__(self) -> bool:
        return self.allowed

    @property
    def message(self) -> str:
        """The first reason's message ('' when allowed)."""
        return str(self.reasons[0].message) if self.reasons else ""

    @property
    def reason(self) -> Reason | None:
        """The first reason (None when allowed): the one a page shows."""
        return self.reasons[0] if self.reasons else None

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]

    @classmethod
    def yes(cls) -> Verdict:
        return cls(True)

    @classmethod
    def no(cls, *reasons: Reason) -> Verdict:
        return cls(False, tuple(reasons) or (NOT_ALLOWED,))


class Refused(PermissionDenied):
    """A write refused by the permission layer, with its reasons (``str(exc)`` is the first reason's message)."""

    def __init__(self, reasons: Sequence[Reason] | Reason | str = ()) -> None:
        if isinstance(reasons, str):
            reasons = (Reason("not_allowed", reasons),)
        elif isinstance(reasons, Reason):
            reasons = (reasons,)
        self.reasons: tuple[Reason, ...] = tuple(reasons) or (NOT_ALLOWED,)
        super().__init__(str(self.reasons[0].message))

    @property
    def codes(self) -> list[str]:
        return [r.code for r in self.reasons]


def require(actor: Any, perm: str, obj: Any = None, *, reason: Reason | None = None) -> None:
    """Raise :class:`Refused` unless ``actor`` has ``perm`` on ``obj``.

    The reasons come from :func:`participe.permissions.explain.explain` (the same predicates that decide, for a
    permission declared as a requirement), else ``reason`` or a generic refusal."""
    from participe.permissions.explain import explain

    verdict = explain(actor, perm, obj)
    if verdict.allowed:
        return
    raise Refused((reason,) if reason is not None and verdict.reasons == (NOT_ALLOWED,) else verdict.reasons)
