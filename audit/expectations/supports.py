"""The authorization matrix (``python -m audit --only authz``) over supports: the outcomes of a GET (the actions are
POST only; the API's GET reads the state). See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from audit.expectations import row

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "supports:add": {"*": {"method"}},
    "supports:withdraw": {"*": {"method"}},
    "supports:mine": row("login", "ok", "ok", "ok", "ok", "ok"),
    "api:support_state": {"*": {"ok"}},
    "api:support_add": {"*": {"ok"}},
    "api:support_withdraw": {"*": {"ok"}},
    "api:support_list_mine": row("401", "ok", "ok", "ok", "ok", "ok"),
}
