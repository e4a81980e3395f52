from typing import Any

from django.http import HttpRequest
from django.utils.functional import SimpleLazyObject

from participe.backoffice.middleware import second_factor_step


def staff_second_factor(request: HttpRequest) -> dict[str, Any]:
    """Whether the signed-in person holds a staff role their session has not unlocked yet (the header still offers
    « Gestion », which asks for the second factor); read only by the pages that show it."""
    return {"second_factor_pending": SimpleLazyObject(lambda: second_factor_step(request) is not None)}
