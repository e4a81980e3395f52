"""The authorization matrix over the statistics page and its CSV: the organisation administrator's only; a visitor is
sent to the login page, everyone else refused (with the reason: docs/statistics.md)."""

from __future__ import annotations

from audit.expectations import row

PARAMS: dict[str, object] = {}

ADMIN_ONLY = row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok")
EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "audience:statistics": ADMIN_ONLY,
    "audience:export": ADMIN_ONLY,
}
