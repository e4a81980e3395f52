"""A small OpenID Connect client (authorization code flow) for FranceConnect v2 and ProConnect (decision 0038).

What the providers' documentation asks of a service, and nothing more: the discovery document, ``state`` and
``nonce`` of 64 characters, ``acr_values`` where the provider takes it, the code exchanged with the secret in the
body, the ID token's signature checked with the provider's published keys (JWKS) and its ``iss``, ``aud``, ``exp``,
``nonce`` (and ``acr``) checked, the userinfo answered as a signed JWT and checked the same way, and the logout
through the provider's ``end_session_endpoint``. Every failure is a ``ProviderError`` with a message for the person
and a detail for the log; no exception of the network or of JOSE leaves this module.

HTTP goes through the standard library (``urllib``) with a timeout; the discovery document and the keys are kept in
the cache for an hour (the keys are read again once when a token names a key the cache does not hold: a rotation).
"""

from __future__ import annotations

import hashlib
import json
import logging
import secrets
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from joserfc import jwk, jws, jwt
from joserfc.errors import JoseError

from participe.identity.providers import Provider

logger = logging.getLogger("participe.identity")

CACHE_SECONDS = 3600
LEEWAY = 30  # seconds of clock difference tolerated on exp and iat
USER_AGENT = "Participe (OpenID Connect)"


def random_token() -> str:
    """A ``state`` or ``nonce``: 64 hexadecimal characters (the providers ask for 32 at least)."""
    return secrets.token_hex(32)


def now() -> float:
    """The time the tokens are judged at (a function, so that a test can move the clock)."""
    return time.time()


class ProviderError(Exception):
    """The sign-in cannot go on: ``message`` is for the person (French), ``detail`` for the log."""

    def __init__(self, code: str, message: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}")
        self.code = code
        self.message = message
        self.detail = detail


def unavailable(provider: Provider, detail: str) -> ProviderError:
    return ProviderError(
        "unavailable",
        _(
            "%(name)s ne répond pas pour le moment. Réessayez dans quelques minutes, ou connectez-vous avec votre "
            "adresse électronique et votre mot de passe."
        )
        % {"name": provider.name},
        detail,
    )


def refused(provider: Provider, code: str, detail: str) -> ProviderError:
    return ProviderError(
        code,
        _(
            "La connexion avec %(name)s n'a pas pu être vérifiée : rien n'a été enregistré. Recommencez depuis "
            "cette page, ou connectez-vous avec votre adresse électronique et votre mot de passe."
        )
        % {"name": provider.name},
        detail,
    )


@dataclass(frozen=True)
class Response:
    status: int
    content_type: str
    body: bytes

    def json(self, provider: Provider) -> dict[str, Any]:
        try:
            data = json.loads(self.body)
        except ValueError:
            raise refused(provider, "bad_json", f"not JSON ({self.content_type})") from None
        if not isinstance(data, dict):
            raise refused(provider, "bad_json", "not a JSON object")
        return data


def _request(provider: Provider, url: str, *, data: dict[str, str] | None = None, token: str = "") -> Response:
    headers = {"User-Agent": USER_AGENT, "Accept": "application/json, application/jwt"}
    body = None
    if data is not None:
        body = urllib.parse.urlencode(data).encode()
        headers["Content-Type"] = "application/x-www-form-urlencoded"
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if urllib.parse.urlsplit(url).scheme not in {"https", "http"}:  # never file: or another scheme from a document
        raise refused(provider, "bad_url", f"not a web address: {url[:100]!r}")
    method = "POST" if body is not None else "GET"
    request = urllib.request.Request(url, data=body, headers=headers, method=method)  # noqa: S310
    try:
        with urllib.request.urlopen(request, timeout=settings.PARTICIPE_OIDC_TIMEOUT) as answer:  # noqa: S310
            return Response(answer.status, answer.headers.get_content_type(), answer.read(1_000_000))
    except urllib.error.HTTPError as exc:
        return Response(exc.code, exc.headers.get_content_type() if exc.headers else "", exc.read(10_000))
    except OSError as exc:  # URLError, timeouts, refused connections
        raise unavailable(provider, f"{url}: {exc}") from None


def _cache_key(provider: Provider, what: str) -> str:
    digest = hashlib.sha256(f"{provider.issuer}|{provider.client_id}".encode()).hexdigest()[:16]
    return f"identity:{provider.key}:{what}:{digest}"


REQUIRED_ENDPOINTS = ("authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri")


def discovery(provider: Provider) -> dict[str, Any]:
    """The provider's discovery document (cached), checked: its issuer is the configured one and it names the
    endpoints the flow needs."""
    key = _cache_key(provider, "discovery")
    document = cache.get(key)
    if document is not None:
        return document  # type: ignore[no-any-return]
    response = _request(provider, provider.discovery_url)
    if response.status != 200:
        raise unavailable(provider, f"discovery answered {response.status}")
    document = response.json(provider)
    if str(document.get("issuer", "")).rstrip("/") != provider.issuer:
        raise refused(provider, "bad_issuer", f"discovery issuer {document.get('issuer')!r} != {provider.issuer!r}")
    missing = [name for name in REQUIRED_ENDPOINTS if not document.get(name)]
    if missing:
        raise refused(provider, "bad_discovery", f"discovery lacks {missing}")
    cache.set(key, document, CACHE_SECONDS)
    return document


def cached_discovery(provider: Provider) -> dict[str, Any] | None:
    """The discovery document if the cache holds it (the logout never waits for a provider)."""
    return cache.get(_cache_key(provider, "discovery"))  # type: ignore[no-any-return]


def _keys(provider: Provider, *, refresh: bool = False) -> jwk.KeySet:
    key = _cache_key(provider, "jwks")
    data = None if refresh else cache.get(key)
    if data is None:
        response = _request(provider, discovery(provider)["jwks_uri"])
        if response.status != 200:
            raise unavailable(provider, f"jwks answered {response.status}")
        data = response.json(provider)
        cache.set(key, data, CACHE_SECONDS)
    try:
        return jwk.KeySet.import_key_set(data)
    except (JoseError, ValueError, TypeError, KeyError) as exc:
        raise refused(provider, "bad_jwks", f"unreadable JWKS: {exc}") from None


def authorization_url(provider: Provider, *, redirect_uri: str, state: str, nonce: str) -> str:
    """Where the person's browser goes to sign in at the provider."""
    params = {
        "response_type": "code",
        "client_id": provider.client_id,
        "redirect_uri": redirect_uri,
        "scope": " ".join(provider.scopes),
        "state": state,
        "nonce": nonce,
    }
    if provider.acr_values:
        params["acr_values"] = provider.acr_values
    if provider.key == "proconnect":
        # ProConnect gives the authentication methods (amr) only when asked (its « claim_amr » page).
        params["claims"] = json.dumps({"id_token": {"amr": {"essential": True}}}, separators=(",", ":"))
    return discovery(provider)["authorization_endpoint"] + "?" + urllib.parse.urlencode(params)


def exchange_code(provider: Provider, *, code: str, redirect_uri: str) -> dict[str, Any]:
    """The tokens for the authorization ``code`` (the client's secret in the body, as both providers ask)."""
    response = _request(
        provider,
        discovery(provider)["token_endpoint"],
        data={
            "grant_type": "authorization_code",
            "code": code,
            "redirect_uri": redirect_uri,
            "client_id": provider.client_id,
            "client_secret": provider.client_secret,
        },
    )
    if response.status != 200:
        raise refused(provider, "token_refused", f"token endpoint answered {response.status}: {response.body[:300]!r}")
    tokens = response.json(provider)
    if not tokens.get("access_token") or not tokens.get("id_token"):
        raise refused(provider, "token_incomplete", f"token answer lacks a token: {sorted(tokens)}")
    return tokens


def _verified(provider: Provider, token: str, what: str) -> dict[str, Any]:
    """The claims of a JWT signed by the provider with one of its published keys and an accepted algorithm."""
    try:
        header = jws.extract_compact(token.encode()).protected
    except (JoseError, ValueError) as exc:
        raise refused(provider, "bad_jwt", f"{what} is not a JWS: {exc}") from None
    algorithm = header.get("alg")
    if algorithm not in provider.algorithms:
        raise refused(provider, "bad_algorithm", f"{what} signed with {algorithm!r}, not one of {provider.algorithms}")
    kid = header.get("kid")
    keys = _keys(provider)
    if kid is not None and not _has_kid(keys, kid):
        keys = _keys(provider, refresh=True)  # the provider rotated its keys
    try:
        decoded = jwt.decode(token, keys if kid is not None else _only_key(provider, keys), algorithms=[algorithm])
    except JoseError as exc:
        raise refused(provider, "bad_signature", f"{what}: {exc.__class__.__name__} {exc}") from None
    return dict(decoded.claims)


def _has_kid(keys: jwk.KeySet, kid: str) -> bool:
    try:
        keys.get_by_kid(kid)
    except JoseError:
        return False
    return True


def _only_key(provider: Provider, keys: jwk.KeySet) -> Any:
    if len(keys.keys) != 1:
        raise refused(provider, "bad_jwt", "a token without kid, and several keys")
    return keys.keys[0]


def _check_audience(provider: Provider, claims: dict[str, Any], what: str) -> None:
    if str(claims.get("iss", "")).rstrip("/") != provider.issuer:
        raise refused(provider, "bad_issuer", f"{what} iss {claims.get('iss')!r}")
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if provider.client_id not in audiences:
        raise refused(provider, "bad_audience", f"{what} aud {audience!r}")
    if len(audiences) > 1 and claims.get("azp") != provider.client_id:
        raise refused(provider, "bad_audience", f"{what} azp {claims.get('azp')!r}")


def verify_id_token(provider: Provider, id_token: str, *, nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature, issuer, audience, expiry, nonce and level (acr) are right."""
    claims = _verified(provider, id_token, "id_token")
    _check_audience(provider, claims, "id_token")
    moment = now()
    exp, iat = claims.get("exp"), claims.get("iat")
    if not isinstance(exp, int | float) or exp + LEEWAY < moment:
        raise refused(provider, "expired", f"id_token exp {exp!r} before {int(moment)}")
    if not isinstance(iat, int | float) or iat - LEEWAY > moment:
        raise refused(provider, "bad_iat", f"id_token iat {iat!r} after {int(moment)}")
    if not claims.get("sub"):
        raise refused(provider, "no_sub", "id_token without sub")
    if not isinstance(claims.get("nonce"), str) or not secrets.compare_digest(claims["nonce"], nonce):
        raise refused(provider, "bad_nonce", "id_token nonce differs from the session's")
    if provider.acr_values and claims.get("acr") not in accepted_acr(provider):
        raise refused(provider, "bad_acr", f"id_token acr {claims.get('acr')!r}")
    # A nonce is spent once: an ID token shown again (a replay) is refused even within its lifetime.
    if not cache.add(f"identity:nonce:{hashlib.sha256(nonce.encode()).hexdigest()}", 1, int(exp - moment) + LEEWAY):
        raise refused(provider, "nonce_replayed", "nonce already used")
    return claims


EIDAS_LEVELS = ("eidas1", "eidas2", "eidas3")


def accepted_acr(provider: Provider) -> tuple[str, ...]:
    """The levels (acr) accepted for the level asked: the one asked or a higher one."""
    asked = provider.acr_values.split()[0] if provider.acr_values else ""
    if asked in EIDAS_LEVELS:
        return EIDAS_LEVELS[EIDAS_LEVELS.index(asked) :]
    return (asked,)


def userinfo(provider: Provider, *, access_token: str, sub: str) -> dict[str, Any]:
    """The person's claims, answered as a signed JWT (``application/jwt``): its signature, issuer, audience and
    subject (the ID token's) are checked. A JSON answer is refused: neither provider sends one."""
    response = _request(provider, discovery(provider)["userinfo_endpoint"], token=access_token)
    if response.status != 200:
        raise refused(provider, "userinfo_refused", f"userinfo answered {response.status}")
    if response.content_type != "application/jwt":
        raise refused(provider, "userinfo_not_signed", f"userinfo answered {response.content_type!r}")
    claims = _verified(provider, response.body.decode("ascii", "replace").strip(), "userinfo")
    _check_audience(provider, claims, "userinfo")
    if claims.get("sub") != sub:
        raise refused(provider, "bad_sub", "userinfo sub differs from the id_token's")
    return claims


def end_session_url(provider: Provider, *, id_token: str, state: str, post_logout_redirect_uri: str) -> str | None:
    """Where the browser goes to sign out at the provider too, or None (the discovery document is not in the cache,
    or names no end-session endpoint: then the sign-out is local)."""
    document = cached_discovery(provider)
    endpoint = (document or {}).get("end_session_endpoint")
    if not endpoint:
        return None
    query = urllib.parse.urlencode(
        {"id_token_hint": id_token, "state": state, "post_logout_redirect_uri": post_logout_redirect_uri}
    )
    return f"{endpoint}?{query}"
