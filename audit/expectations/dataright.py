"""The authorization matrix (``python -m audit --only authz``) over « Mes données » (participe/dataright): every
signed-in person reaches their own page; the state's fragment answers htmx only (a plain GET goes back to the
page); a download link opens nothing without a valid signature for the account (decision 0035)."""

from __future__ import annotations

from audit.expectations import row

PARAMS = {
    # A link whose signature is not the platform's: refused (404) to everyone signed in, the login first otherwise.
    "dataright:download": lambda: {"token": "pas-une-signature"},
}

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "dataright:index": row("login", "ok", "ok", "ok", "ok", "ok"),
    "dataright:status": row("login", "redirect", "redirect", "redirect", "redirect", "redirect"),
    "dataright:download": row("login", "notfound", "notfound", "notfound", "notfound", "notfound"),
}
