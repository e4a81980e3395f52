"""The authorization matrix (``python -m audit --only authz``) over the debate module: the outcomes its rules
(``rules.py``) give each role. The debate of the place du Marché, which only the organisation admin runs (the agent
administers another space). Parameters are filled by the audit's generic filler. See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin")


def _row(*outcomes: str | set[str]) -> dict[str, set[str]]:
    return {r: {o} if isinstance(o, str) else o for r, o in zip(ROLES, outcomes, strict=True)}


EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "spaces:debate:subject": {"*": {"ok"}},
    "backoffice:debate:subjects": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:debate:subject_create": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:debate:subject_edit": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:debate:subject_status": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:debate:subject_move": _row("login", "forbidden", "forbidden", "method", "method", "method"),
    "backoffice:debate:subject_delete": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:debate:synthesis": _row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "api:subject_list": {"*": {"ok"}},
    "api:subject_detail": {"*": {"ok"}},
}
