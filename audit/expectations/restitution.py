"""The authorization matrix over the bilans: the place du Marché's bilan (published by the demo) and its PDF are open
to everyone; the back-office is for the staff of a space: its list for anyone with a role, the place du Marché's
editing page and DOCX for its administrators only (the organisation admin here: the agent administers the budget
space, the moderator moderates the council — both get « not found », as for a démarche they do not run)."""

from __future__ import annotations

from audit.expectations import row

SPACE = {"slug": "place-du-marche"}

PARAMS = {
    "restitution:bilan": lambda: SPACE,
    "restitution:bilan_pdf": lambda: SPACE,
    "restitution_backoffice:edit": lambda: SPACE,
    "restitution_backoffice:publish": lambda: SPACE,
    "restitution_backoffice:unpublish": lambda: SPACE,
    "restitution_backoffice:docx": lambda: SPACE,
    "commitments:bilan_moved": lambda: SPACE,
    "commitments:bilan_pdf_moved": lambda: SPACE,
    "api:bilan_detail": lambda: SPACE,
}

EVERYONE = {"*": {"ok"}}
EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "restitution:bilan": EVERYONE,
    "restitution:bilan_pdf": EVERYONE,
    "api:bilan_detail": EVERYONE,
    "commitments:bilan_moved": {"*": {"redirect"}},
    "commitments:bilan_pdf_moved": {"*": {"redirect"}},
    "restitution_backoffice:index": row("login", "forbidden", "forbidden", "ok", "ok", "ok"),
    "restitution_backoffice:edit": row("login", "forbidden", "forbidden", "notfound", "notfound", "ok"),
    "restitution_backoffice:docx": row("login", "forbidden", "forbidden", "notfound", "notfound", "ok"),
    "restitution_backoffice:publish": row("login", "forbidden", "forbidden", "method", "method", "method"),
    "restitution_backoffice:unpublish": row("login", "forbidden", "forbidden", "method", "method", "method"),
}
