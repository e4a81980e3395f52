"""What a person gets for a page they may not see, decided once for every view of the platform and of the modules.

- a visitor (not signed in) asking for something in a published private space: the login page, then back;
- a signed-in person who is not a member of that private space: 403, the page saying why;
- anything else one may not see (a draft space, an unpublished module, a draft or hidden item, an address that
  matches nothing): 404, so that nobody learns that it exists.

Views call :func:`require_visible` (or :func:`refuse` when they decided themselves); the login redirect is the
answer of :func:`permission_denied`, the project's 403 handler, to :class:`SignInFirst`. The 403 page shows the
reasons a :class:`~participe.permissions.refusals.Refused` carries.
"""

from __future__ import annotations

from typing import Any, NoReturn

from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from participe.core import pagecache
from participe.permissions.refusals import Reason, Refused
from participe.spaces.models import Space
from participe.spaces.predicates import can_view_space, space_of

PRIVATE_SPACE = "private_space"


class SignInFirst(Refused):
    """Refused to a visitor until they sign in: answered with the login page (then back to the page asked for)."""

    def __init__(self) -> None:
        super().__init__(
            Reason(
                "not_signed_in",
                _("Cette démarche est réservée à ses membres : connectez-vous pour y accéder."),
                action_url=reverse("account_login"),
                action_label=_("Se connecter"),
            )
        )


def private_space_reason() -> Reason:
    return Reason(
        PRIVATE_SPACE,
        _(
            "Cette démarche est réservée à ses membres. Pour y participer, demandez à son administrateur de vous ajouter."
        ),
    )


def refusal_for(user: Any, obj: Any) -> Exception:
    """The refusal ``user`` gets for ``obj`` (a space, a module, an item or anything in a space) they may not see.

    Only a published private space is admitted to exist: its visitors are asked to sign in, and signed-in people who
    are not its members are told it is reserved. Everything else is "not found"."""
    space = space_of(obj)
    if space is None or space.status == Space.Status.DRAFT or space.is_public or can_view_space(user, space):
        return Http404()
    if not getattr(user, "is_authenticated", False):
        return SignInFirst()
    return Refused(private_space_reason())


def refuse(request: HttpRequest, obj: Any) -> NoReturn:
    """Refuse ``obj`` to the person asking (see :func:`refusal_for`)."""
    raise refusal_for(request.user, obj)


def require_visible(request: HttpRequest, perm: str, obj: Any, *, also: Any = None) -> None:
    """Go on if the person asking has ``perm`` (a "view" permission) on ``obj``, else refuse it to them.

    ``also``: another person whose sight counts too (the resident an agent is acting for sees their own drafts)."""
    if getattr(request, "_page_cache_candidate", False):  # a private démarche's page is never kept (decision 0041)
        space = space_of(obj)
        if space is None or not space.is_public:
            pagecache.forbid(request)
    if request.user.has_perm(perm, obj) or (also is not None and also.has_perm(perm, obj)):
        return
    refuse(request, obj)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """The project's 403 handler: the login page for :class:`SignInFirst`, else the 403 page with the reasons."""
    if isinstance(exception, SignInFirst):
        return redirect_to_login(request.get_full_path())
    reasons = exception.reasons if isinstance(exception, Refused) else ()
    if not reasons and exception is not None and str(exception):
        reasons = (Reason("not_allowed", str(exception)),)
    return render(request, "403.html", {"reasons": reasons}, status=403)
