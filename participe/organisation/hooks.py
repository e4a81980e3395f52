"""What the apps above the organisation plug into it (registered in their ``AppConfig.ready()``).

The organisation is below the apps that use its territories (spaces, verifications): it never imports them.
An app whose rows point to a territory registers a *territory use*, so that a territory still in use is not
deleted and the refusal says what uses it (decision 0012).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from participe.organisation.models import Territory


@dataclass(frozen=True)
class TerritoryUse:
    """Rows of another app that point to a territory: ``count(territory)`` of them, described by ``label(n)``
    (a translated, pluralised phrase with ``%(n)s``, e.g. "%(n)s espaces participatifs")."""

    key: str
    count: Callable[[Territory], int]
    label: Callable[[int], str]


_territory_uses: dict[str, TerritoryUse] = {}


def register_territory_use(key: str, count: Callable[[Territory], int], label: Callable[[int], str]) -> None:
    """Declare a use of territories; registering a key again replaces it (apps register once, at start-up)."""
    _territory_uses[key] = TerritoryUse(key=key, count=count, label=label)


def territory_uses() -> list[TerritoryUse]:
    """The registered uses, in the order of registration (the order of ``INSTALLED_APPS``)."""
    return list(_territory_uses.values())
