"""Staff roles count only in a session that passed the second factor (docs/decisions/0015, docs/security.md).

A stolen or guessed password must not open what the staff's roles protect: the moderation queue, unpublished
results, exports, the back-office, the routing of items to services. So, in a request, the roles of the person signed
in to its session — organisation administrator (or superuser), agent, administrator or moderator of a space — count
only once that session passed a second factor with an authenticator the account still has: a TOTP or recovery code
at login, at a reauthentication, or the code typed to activate the authenticator. Until then every predicate of a
role answers no (``participe.spaces.predicates``), for the pages, the API, the exports and the files alike: the
person is a resident, and the back-office asks them to type their code or to activate an authenticator
(``participe.backoffice.middleware``).

Whom this applies to, and when:
- in a request, the user signed in to it (``request.user``, however the object was loaded: a service that reads the
  actor again from the database gets the same answer);
- other people a request reasons about keep their roles: they are not the one acting (the recipients of a
  notification, the staff of a space whose content is written as them);
- outside a request — management commands, the task worker, the shell — there is no session and whoever runs them
  already holds the server and its database: roles count (``load_demo`` and the seeds write as the staff of a space),
  except inside ``withheld_from(user_id)``, where a worker renders for that account what its session would see;
- ``PARTICIPE_STAFF_MFA_REQUIRED=0`` turns the rule off (the benchmarks' seeded staff have no authenticator).

The session's record of the second factor is allauth's (``allauth.account.authentication``: one entry per
authentication step of the session, ``method`` "mfa" with the authenticator's ``id``), kept across the login's
change of session key and dropped at logout. A sign-in through ProConnect whose identity provider already asked a
second factor (its ``amr`` claim) is recorded as ``method`` "oidc" with ``second_factor`` true, and counts too
(participe.identity, decision 0038).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from allauth.account.authentication import get_authentication_records
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.http import HttpRequest, HttpResponse

_request: ContextVar[HttpRequest | None] = ContextVar("participe_second_factor_request", default=None)
_PASSED = "_participe_second_factor_passed"  # on the request: the authenticator ids found still there
# Outside a request, the account whose roles do not count: a worker rendering what a person saw in a session that had
# not passed the second factor (the bilan's documents, participe.restitution) renders it as that session did.
_withheld: ContextVar[int | None] = ContextVar("participe_second_factor_withheld", default=None)


@contextmanager
def bound_to(request: HttpRequest) -> Iterator[None]:
    """Decide the roles of ``request``'s user by its session for the time of the block."""
    token = _request.set(request)
    try:
        yield
    finally:
        _request.reset(token)


class SecondFactorMiddleware:
    """Binds each request, so that the predicates of roles know its session (after the authentication middleware,
    before anything that asks a permission)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        with bound_to(request):
            return self.get_response(request)


@contextmanager
def withheld_from(user_id: int | None) -> Iterator[None]:
    """For the time of the block, the staff roles of the account ``user_id`` do not count (None: nobody's are
    withheld): a worker doing what a request asked renders it as that request's session would have."""
    token = _withheld.set(user_id)
    try:
        yield
    finally:
        _withheld.reset(token)


def _second_factor_ids(request: HttpRequest, user: Any) -> frozenset[int]:
    records = get_authentication_records(request, user)
    return frozenset(r["id"] for r in records if r.get("method") == "mfa" and isinstance(r.get("id"), int))


def _identity_provider_did(request: HttpRequest, user: Any) -> bool:
    records = get_authentication_records(request, user)
    return any(r.get("method") == "oidc" and r.get("second_factor") is True for r in records)


def session_passed(request: HttpRequest) -> bool:
    """Whether the session of ``request`` passed a second factor with an authenticator its user still has (one that
    was removed since does not count), or signed in through an identity provider that asked one."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return False
    if _identity_provider_did(request, user):
        return True
    ids = _second_factor_ids(request, user)
    if not ids:
        return False
    if request.__dict__.get(_PASSED) != ids:
        if not Authenticator.objects.filter(user_id=user.pk, pk__in=ids).exists():
            return False
        request.__dict__[_PASSED] = ids
    return True


def roles_count(user: Any) -> bool:
    """Whether the staff roles ``user`` holds count now (see the module's docstring): always outside a request and
    for anyone but the request's user; for the request's user, once the session passed the second factor."""
    if not settings.PARTICIPE_STAFF_MFA_REQUIRED:
        return True
    withheld = _withheld.get()
    if withheld is not None and withheld == getattr(user, "pk", None):
        return False
    request = _request.get()
    if request is None:
        return True
    signed_in = getattr(request, "user", None)
    if signed_in is None or not signed_in.is_authenticated or signed_in.pk != getattr(user, "pk", None):
        return True
    return session_passed(request)


def record_activation(sender: Any, request: HttpRequest | None, user: Any, authenticator: Any, **kwargs: Any) -> None:
    """Activating a TOTP authenticator means typing a code it shows: the session has passed the second factor with
    it (the staff who enrolled are not asked for a second code at once). Connected to allauth's
    ``authenticator_added``; recovery codes being generated prove nothing and are not recorded."""
    from allauth.account.internal.flows.login import record_authentication

    if request is None or authenticator.type != Authenticator.Type.TOTP:
        return
    record_authentication(request, user, "mfa", id=authenticator.pk, type=authenticator.type, activated=True)
