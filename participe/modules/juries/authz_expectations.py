"""The authorization matrix (``python -m audit --only authz``) over the juries' back-office. See docs/benchmarks.md,
"Sweeps"."""

from __future__ import annotations

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "backoffice:juries:panel": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
    "backoffice:juries:import": _row("login", "forbidden", "forbidden", "forbidden", "ok", "ok"),
}
