"""The authorization matrix (``python -m audit --only authz``) over the identity providers (participe/identity,
decision 0038). The audit runs on the demo, where neither FranceConnect nor ProConnect is configured: their
addresses answer 404 to everyone; the page of the link is each signed-in person's own; the button's form and the
unlinking take a POST only; a return from the provider without its state goes back to the login page, and so does
the sign-up page without an identity waiting."""

from __future__ import annotations

from audit.expectations import row

PARAMS = {
    "identity:start": lambda: {"provider": "franceconnect"},
    "identity:callback": lambda: {"provider": "franceconnect"},
    "identity:unlink": lambda: {"provider": "franceconnect"},
}

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "identity:account": row("login", "ok", "ok", "ok", "ok", "ok"),
    "identity:start": row("method", "method", "method", "method", "method", "method"),
    "identity:callback": row("notfound", "notfound", "notfound", "notfound", "notfound", "notfound"),
    "identity:unlink": row("login", "method", "method", "method", "method", "method"),
    "identity:signup": row("login", "login", "login", "login", "login", "login"),
    "identity:logged_out": row("redirect", "redirect", "redirect", "redirect", "redirect", "redirect"),
}
