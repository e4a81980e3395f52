"""The pages of signing in with FranceConnect and ProConnect (docs/identity.md).

``start`` (a form POST: it writes the session) sends the browser to the provider with a fresh ``state`` and ``nonce``
kept in the session, bound to the provider and to what the person was doing (signing in, or linking from « Mon
compte »). ``callback`` takes them once: a ``state`` that is absent, forged, replayed, expired or of another
provider is refused before anything is asked of the provider. Every refusal lands on the login page (or « Mon
compte » for a link) with a message, is logged as a warning, and writes nothing.
"""

from __future__ import annotations

import logging
import time
from typing import Any

from allauth.account.app_settings import EmailVerificationMethod
from allauth.account.internal.flows.login import perform_login, record_authentication
from allauth.account.models import Login
from allauth.mfa.internal.constants import LoginStageKey
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from participe.identity import oidc, providers, services
from participe.identity.forms import FranceConnectSignupForm
from participe.identity.models import IdentityLink
from participe.identity.oidc import ProviderError
from participe.identity.providers import FRANCECONNECT, PROCONNECT, Provider

logger = logging.getLogger("participe.identity")

PENDING = "identity_pending"  # state -> {provider, nonce, purpose, next, at}
SIGNED_IN = "identity_signed_in"  # {provider, id_token}: for the logout at the provider
SIGNUP = "identity_signup"  # a FranceConnect identity waiting for its account's pseudonym
PENDING_SECONDS = 600
PENDING_MAX = 5
LOGOUT_SALT = "participe.identity.logout"


def _provider(key: str) -> Provider:
    provider = providers.get(key)
    if provider is None:
        raise Http404(_("Ce fournisseur d'identité n'est pas configuré."))
    return provider


def _absolute(name: str, **kwargs: Any) -> str:
    return settings.SITE_URL + reverse(name, kwargs=kwargs or None)


def redirect_uri(provider: Provider) -> str:
    """The callback address declared at the provider (from SITE_URL: the same behind any proxy)."""
    return _absolute("identity:callback", provider=provider.key)


def _safe_next(request: HttpRequest, value: str | None) -> str:
    if value and url_has_allowed_host_and_scheme(value, {request.get_host()}, request.is_secure()):
        return value
    return ""


def _fail(
    request: HttpRequest, provider: Provider, error: ProviderError | str, *, purpose: str = "login"
) -> HttpResponse:
    if isinstance(error, ProviderError):
        logger.warning("%s sign-in refused (%s): %s", provider.key, error.code, error.detail)
        messages.error(request, error.message)
    else:
        logger.warning("%s sign-in refused: %s", provider.key, error)
        messages.error(request, error)
    return redirect("identity:account" if purpose == "link" and request.user.is_authenticated else "account_login")


@require_POST
def start(request: HttpRequest, provider: str) -> HttpResponse:
    """Off to the provider: a signed-in resident links FranceConnect, anyone else signs in."""
    chosen = _provider(provider)
    purpose = "link" if request.user.is_authenticated else "login"
    if purpose == "link" and chosen.key != FRANCECONNECT:
        return _fail(request, chosen, _("Vous êtes déjà connecté."), purpose=purpose)
    state, nonce = oidc.random_token(), oidc.random_token()
    try:
        url = oidc.authorization_url(chosen, redirect_uri=redirect_uri(chosen), state=state, nonce=nonce)
    except ProviderError as exc:
        return _fail(request, chosen, exc, purpose=purpose)
    pending = {
        key: value
        for key, value in request.session.get(PENDING, {}).items()
        if value.get("at", 0) + PENDING_SECONDS > time.time()
    }
    pending = dict(sorted(pending.items(), key=lambda item: item[1]["at"])[-(PENDING_MAX - 1) :])
    pending[state] = {
        "provider": chosen.key,
        "nonce": nonce,
        "purpose": purpose,
        "next": _safe_next(request, request.POST.get("next")),
        "at": time.time(),
    }
    request.session[PENDING] = pending
    return redirect(url)


def _take_pending(request: HttpRequest, provider: Provider, state: str) -> dict[str, Any] | None:
    """The pending sign-in of ``state``, removed from the session (single use); None when it is absent, expired or
    another provider's."""
    pending = dict(request.session.get(PENDING, {}))
    entry = pending.pop(state, None) if state else None
    request.session[PENDING] = pending
    if entry is None or entry.get("provider") != provider.key or entry.get("at", 0) + PENDING_SECONDS < time.time():
        return None
    return entry  # type: ignore[no-any-return]


@require_GET
def callback(request: HttpRequest, provider: str) -> HttpResponse:
    """Back from the provider: check the state, exchange the code, verify the tokens, then sign in, sign up or link."""
    chosen = _provider(provider)
    entry = _take_pending(request, chosen, request.GET.get("state", ""))
    if entry is None:
        return _fail(
            request,
            chosen,
            ProviderError(
                "bad_state",
                _(
                    "Cette connexion avec %(name)s n'a pas été demandée depuis ce navigateur, ou elle a expiré : rien "
                    "n'a été enregistré. Recommencez depuis cette page."
                )
                % {"name": chosen.name},
                f"state absent, unknown, replayed or expired ({len(request.GET.get('state', ''))} chars)",
            ),
        )
    purpose = entry["purpose"]
    if request.GET.get("error"):
        if request.GET["error"] == "access_denied":
            messages.info(request, _("Vous avez annulé la connexion avec %(name)s.") % {"name": chosen.name})
            return redirect("identity:account" if purpose == "link" else "account_login")
        return _fail(
            request, chosen, oidc.refused(chosen, "provider_error", request.GET["error"][:100]), purpose=purpose
        )
    try:
        identity, id_token = _identity(chosen, request.GET.get("code", ""), entry["nonce"])
    except ProviderError as exc:
        return _fail(request, chosen, exc, purpose=purpose)
    if purpose == "link":
        return _link(request, chosen, identity)
    if chosen.key == PROCONNECT:
        return _proconnect(request, chosen, identity, id_token, entry["next"])
    return _franceconnect(request, chosen, identity, id_token, entry["next"])


def _identity(provider: Provider, code: str, nonce: str) -> tuple[services.Identity, str]:
    if not code:
        raise oidc.refused(provider, "no_code", "callback without code")
    tokens = oidc.exchange_code(provider, code=code, redirect_uri=redirect_uri(provider))
    id_claims = oidc.verify_id_token(provider, tokens["id_token"], nonce=nonce)
    info = oidc.userinfo(provider, access_token=tokens["access_token"], sub=id_claims["sub"])
    amr = id_claims.get("amr") or []
    identity = services.Identity(
        provider=provider.key,
        sub=str(id_claims["sub"]),
        claims={**info, "acr": id_claims.get("acr")},
        amr=tuple(str(a) for a in amr) if isinstance(amr, list) else (),
    )
    return identity, tokens["id_token"]


def _sign_in(
    request: HttpRequest, provider: Provider, user: Any, id_token: str, next_url: str, *, second_factor: bool = False
) -> HttpResponse:
    """Sign ``user`` in through allauth's stages (a resident or agent with an authenticator is asked their code,
    unless the provider already asked a second factor)."""
    record_authentication(request, user, "oidc", provider=provider.key, second_factor=True if second_factor else None)
    request.session[SIGNED_IN] = {"provider": provider.key, "id_token": id_token}
    login = Login(
        user=user, email_verification=EmailVerificationMethod.NONE, redirect_url=next_url or None, email=user.email
    )
    if second_factor:
        login.state = {"stages": {LoginStageKey.MFA_AUTHENTICATE.value: {"handled": True}}}
    return perform_login(request, login)


def _franceconnect(
    request: HttpRequest, provider: Provider, identity: services.Identity, id_token: str, next_url: str
) -> HttpResponse:
    try:
        user = services.franceconnect_sign_in(identity=identity)
    except LookupError:
        request.session[SIGNUP] = {**identity.as_session(), "id_token": id_token, "next": next_url, "at": time.time()}
        return redirect("identity:signup")
    except PermissionDenied as exc:
        logger.warning("franceconnect sign-in refused: %s", exc)
        messages.error(request, str(exc))
        return redirect(reverse("account_login") + "?next=" + reverse("identity:account"))
    return _sign_in(request, provider, user, id_token, next_url)


def _proconnect(
    request: HttpRequest, provider: Provider, identity: services.Identity, id_token: str, next_url: str
) -> HttpResponse:
    try:
        user = services.proconnect_sign_in(identity=identity)
    except PermissionDenied as exc:
        logger.warning("proconnect sign-in refused: %s", exc)
        messages.error(request, str(exc))
        return redirect("account_login")
    second_factor = services.amr_has_second_factor(identity.amr)
    return _sign_in(
        request, provider, user, id_token, next_url or reverse("backoffice:dashboard"), second_factor=second_factor
    )


def _link(request: HttpRequest, provider: Provider, identity: services.Identity) -> HttpResponse:
    if not request.user.is_authenticated:
        return _fail(request, provider, _("Votre session a pris fin : connectez-vous, puis recommencez."))
    try:
        services.identity_link(user=request.user, identity=identity)  # type: ignore[arg-type]
    except PermissionDenied as exc:
        return _fail(request, provider, str(exc), purpose="link")
    messages.success(
        request,
        _("FranceConnect est lié à votre compte : vous pouvez vous connecter avec, et votre identité est vérifiée."),
    )
    return redirect("identity:account")


@require_http_methods(["GET", "POST"])
def signup(request: HttpRequest) -> HttpResponse:
    """Create the account of a resident FranceConnect identified: their pseudonym and the terms."""
    pending = request.session.get(SIGNUP)
    provider = providers.get(FRANCECONNECT)
    if not pending or provider is None or pending.get("at", 0) + PENDING_SECONDS < time.time():
        request.session.pop(SIGNUP, None)
        messages.error(request, _("Votre identification FranceConnect a expiré : recommencez depuis cette page."))
        return redirect("account_login")
    identity = services.Identity.from_session(pending)
    form = FranceConnectSignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = services.franceconnect_sign_up(identity=identity, pseudonym=form.cleaned_data["pseudonym"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            request.session.pop(SIGNUP, None)
            messages.success(request, _("Votre compte est créé, et votre identité est vérifiée par FranceConnect."))
            return _sign_in(request, provider, user, pending["id_token"], pending.get("next", ""))
    return render(request, "identity/signup.html", {"form": form, "email": identity.email, "claims": identity.claims})


@login_required
@require_http_methods(["GET"])
def account(request: HttpRequest) -> HttpResponse:
    """« FranceConnect » of « Mon compte »: link it, or unlink it (when a password remains)."""
    links = {link.provider: link for link in IdentityLink.objects.filter(user=request.user)}
    return render(
        request,
        "identity/account.html",
        {
            "franceconnect": providers.get(FRANCECONNECT),
            "link": links.get(FRANCECONNECT),
            "unlink_refusal": services.unlink_refusal(request.user, FRANCECONNECT),  # type: ignore[arg-type]
        },
    )


def account_section(request: HttpRequest) -> dict[str, Any]:
    """FranceConnect's section of « Mon compte » (``accounts.hooks.register_section``): shown when it is configured
    or linked."""
    linked = IdentityLink.objects.filter(user=request.user, provider=FRANCECONNECT).exists()
    return {"shown": linked or providers.get(FRANCECONNECT) is not None, "linked": linked}


@login_required
@require_POST
def unlink(request: HttpRequest, provider: str) -> HttpResponse:
    try:
        services.identity_unlink(user=request.user, provider=provider)  # type: ignore[arg-type]
    except PermissionDenied as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, _("%(name)s n'est plus lié à votre compte.") % {"name": providers.NAMES.get(provider, provider)}
        )
    return redirect("identity:account")


def logout_redirect(request: HttpRequest) -> str | None:
    """Where a person signed in through a provider goes at logout: the provider's end of session, with the ID token,
    a signed ``state`` and the address to come back to (``accounts.hooks.register_logout_redirect``)."""
    signed_in = request.session.get(SIGNED_IN) if hasattr(request, "session") else None
    if not signed_in:
        return None
    provider = providers.get(signed_in.get("provider", ""))
    if provider is None:
        return None
    state = signing.dumps({"p": provider.key, "n": oidc.random_token()}, salt=LOGOUT_SALT)
    return oidc.end_session_url(
        provider,
        id_token=signed_in["id_token"],
        state=state,
        post_logout_redirect_uri=_absolute("identity:logged_out"),
    )


@require_GET
def logged_out(request: HttpRequest) -> HttpResponse:
    """Back from the provider's end of session: the state must be one this site signed, minutes ago."""
    try:
        data = signing.loads(request.GET.get("state", ""), salt=LOGOUT_SALT, max_age=PENDING_SECONDS)
    except signing.BadSignature:
        logger.warning("logout return with a bad state")
        return redirect("home")
    name = providers.NAMES.get(data.get("p", ""), "")
    messages.success(request, _("Vous êtes déconnecté, de %(name)s aussi.") % {"name": name})
    return redirect("home")
