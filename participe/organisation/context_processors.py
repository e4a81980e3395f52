from typing import Any

from django.http import HttpRequest

from participe.organisation.models import Organisation


def organisation(request: HttpRequest) -> dict[str, Any]:
    """The organisation is on every page (header, footer, theme); fetched once per request."""
    if not hasattr(request, "_organisation"):
        request._organisation = Organisation.get()  # type: ignore[attr-defined]
    return {"organisation": request._organisation}  # type: ignore[attr-defined]
