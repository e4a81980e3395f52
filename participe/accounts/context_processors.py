from typing import Any

from django.http import HttpRequest


def acting_for(request: HttpRequest) -> dict[str, Any]:
    return {"acting_for": getattr(request, "acting_for", None)}
