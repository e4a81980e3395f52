"""The authorization matrix (``python -m audit --only authz``) over supports: the outcomes of a GET (the actions are
POST only; the API's GET reads the state). See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "supports:add": {"*": {"method"}},
    "supports:withdraw": {"*": {"method"}},
    "supports:mine": _row("login", "ok", "ok", "ok", "ok", "ok"),
    "api:support_state": {"*": {"ok"}},
    "api:support_add": {"*": {"ok"}},
    "api:support_withdraw": {"*": {"ok"}},
    "api:support_list_mine": _row("401", "ok", "ok", "ok", "ok", "ok"),
}
