"""The authorization matrix over the Decidim import (docs/decidim-import.md): the organisation administrator's only; a
visitor is sent to the login page, a resident refused by the back-office's door, the other staff refused with the
reason. No archive exists in the demo: its report is « not found » for the administrator; confirming and dropping
take POST only (checked after the back-office's door)."""

from __future__ import annotations

from audit.expectations import row

NONE = {"pk": 999_999}
PARAMS = {
    "decidim_import:report": lambda: NONE,
    "decidim_import:confirm": lambda: NONE,
    "decidim_import:drop": lambda: NONE,
}

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "decidim_import:index": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "ok"),
    "decidim_import:report": row("login", "forbidden", "forbidden", "forbidden", "forbidden", "notfound"),
    "decidim_import:confirm": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "decidim_import:drop": row("login", "forbidden", "forbidden", "method", "method", "method"),
}
