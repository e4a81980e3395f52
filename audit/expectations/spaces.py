"""The authorization matrix over the organisation-wide modules' back-office page: only the organisation admin turns
them on (the enabling URL takes POST only; the demo installs no organisation-wide module type)."""

from __future__ import annotations

from audit.expectations import row

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "backoffice:permanent_modules": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "backoffice:permanent_module_enable": row("login", "forbidden", "forbidden", "method", "method", "method"),
}
PARAMS = {"backoffice:permanent_module_enable": lambda: {"key": "signalements"}}
