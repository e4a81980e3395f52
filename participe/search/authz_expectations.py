"""The authorization matrix (``python -m audit --only authz``) over search: open to everyone (results are filtered
per user by the selectors). See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "search:search": {"*": {"ok"}},
    "api:search": {"*": {"ok"}},
}
