"""An agent entering contributions for a resident without email ("saisi par un agent")."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from participe.accounts.models import User


class ActingForMiddleware:
    """Sets ``request.acting_for`` to the resident an agent is acting for, or None.

    Services take the resident as the participant and the agent as ``entered_by``, so every act
    is flagged "saisi par un agent" and logged with both names.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.acting_for = None  # type: ignore[attr-defined]
        resident_pk = request.session.get("acting_for") if hasattr(request, "session") else None
        if resident_pk and request.user.is_authenticated:
            resident = User.objects.filter(pk=resident_pk, managed_by__isnull=False, is_deleted=False).first()
            if resident is not None and request.user.has_perm("verifications.act_for_resident"):
                request.acting_for = resident  # type: ignore[attr-defined]
            else:
                request.session.pop("acting_for", None)
        return self.get_response(request)


def participant(request: HttpRequest) -> tuple[object, object | None]:
    """The participant an act is recorded for, and the agent who entered it (or None)."""
    acting_for = getattr(request, "acting_for", None)
    if acting_for is not None:
        return acting_for, request.user
    return request.user, None
