from typing import Any

from django.http import HttpRequest

from participe.identity import providers


def identity_providers(request: HttpRequest) -> dict[str, Any]:
    """The configured identity providers by key, for the buttons of the login and sign-up pages (settings only)."""
    return {"identity_providers": {p.key: p for p in providers.configured()}}
