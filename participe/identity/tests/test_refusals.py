"""What goes wrong, against the real local provider: a forged, absent or replayed ``state``, a replayed or foreign
``nonce``, an expired ID token, a bad signature, a userinfo that is not signed, a provider that is down or too slow.
Each time the person lands on the login page with a message, nothing is created, a warning is logged, and the
ordinary login still works."""

from __future__ import annotations

import contextlib
import logging
import socket
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.urls import reverse
from joserfc.jwk import RSAKey

from participe.accounts.models import User
from participe.identity import oidc, providers
from participe.identity.models import IdentityLink
from participe.identity.tests import flows
from participe.identity.views import PENDING
from participe.verifications.models import Verification
from tests.factories import UserFactory
from tests.oidc_provider.server import RESIDENT, free_port, sign_in_at_provider

pytestmark = pytest.mark.django_db

PASSWORD = "un mot de passe solide"


def messages_of(response: Any) -> str:
    return " ".join(str(m) for m in get_messages(response.wsgi_request))


def assert_refused(response: Any, client: Any, caplog: Any, words: str, code: str = "") -> None:
    assert response.status_code == 302 and response["Location"] == reverse("account_login")
    assert words in messages_of(response)
    assert "_auth_user_id" not in client.session
    assert User.objects.filter(email=RESIDENT["claims"]["email"]).count() == 0
    assert not IdentityLink.objects.exists() and not Verification.objects.exists()
    assert any(r.levelno == logging.WARNING and code in r.getMessage() for r in caplog.records), caplog.records
    # The ordinary login still works.
    UserFactory(email="habitant@example.fr", password=PASSWORD)
    answer = client.post(reverse("account_login"), {"login": "habitant@example.fr", "password": PASSWORD})
    assert answer.status_code == 302 and "_auth_user_id" in client.session


def test_a_forged_state_is_refused(client: Any, identity_settings: Any, caplog: Any) -> None:
    callback = sign_in_at_provider(flows.start(client), RESIDENT["username"], RESIDENT["password"])
    response = flows.come_back(client, flows.with_query(callback, state="f" * 64))
    assert_refused(response, client, caplog, "n'a pas été demandée depuis ce navigateur", "bad_state")


def test_an_absent_state_is_refused(client: Any, identity_settings: Any, caplog: Any) -> None:
    callback = sign_in_at_provider(flows.start(client), RESIDENT["username"], RESIDENT["password"])
    code = flows.query(callback)["code"]
    response = client.get(reverse("identity:callback", kwargs={"provider": "franceconnect"}), {"code": code})
    assert_refused(response, client, caplog, "n'a pas été demandée depuis ce navigateur", "bad_state")


def test_a_state_is_used_once(client: Any, identity_settings: Any, caplog: Any) -> None:
    callback = sign_in_at_provider(flows.start(client), RESIDENT["username"], RESIDENT["password"])
    assert flows.come_back(client, callback)["Location"] == reverse("identity:signup")
    client.session.flush()
    session = client.session
    session[PENDING] = {}
    session.save()
    response = flows.come_back(client, callback)
    assert_refused(response, client, caplog, "n'a pas été demandée depuis ce navigateur", "bad_state")


def test_a_state_of_another_provider_is_refused(client: Any, identity_settings: Any, caplog: Any) -> None:
    callback = sign_in_at_provider(flows.start(client), RESIDENT["username"], RESIDENT["password"])
    state = flows.query(callback)["state"]
    response = client.get(
        reverse("identity:callback", kwargs={"provider": "proconnect"}), {"code": "x", "state": state}
    )
    assert response["Location"] == reverse("account_login")
    assert not IdentityLink.objects.exists()
    # The state was spent by that attempt.
    assert state not in client.session[PENDING]


def test_an_id_token_for_another_nonce_is_refused(client: Any, identity_settings: Any, caplog: Any) -> None:
    url = flows.with_query(flows.start(client), nonce="n" * 64)
    response = flows.come_back(client, sign_in_at_provider(url, RESIDENT["username"], RESIDENT["password"]))
    assert_refused(response, client, caplog, "n'a pas pu être vérifiée", "bad_nonce")


def test_a_nonce_already_spent_is_refused(client: Any, identity_settings: Any, caplog: Any) -> None:
    first = flows.start(client)
    spent = flows.query(first)["nonce"]
    flows.come_back(client, sign_in_at_provider(first, RESIDENT["username"], RESIDENT["password"]))
    # An attacker makes the session wait for the nonce already spent, and the provider mints a token with it.
    second = flows.start(client)
    state = flows.query(second)["state"]
    session = client.session
    session[PENDING][state]["nonce"] = spent
    session.save()
    callback = sign_in_at_provider(flows.with_query(second, nonce=spent), RESIDENT["username"], RESIDENT["password"])
    response = flows.come_back(client, callback)
    assert_refused(response, client, caplog, "n'a pas pu être vérifiée", "nonce_replayed")


def test_an_expired_id_token_is_refused(client: Any, identity_settings: Any, caplog: Any, monkeypatch: Any) -> None:
    callback = sign_in_at_provider(flows.start(client), RESIDENT["username"], RESIDENT["password"])
    monkeypatch.setattr(oidc, "now", lambda: time.time() + 3600)  # the token (60 s) is read an hour later
    response = flows.come_back(client, callback)
    assert_refused(response, client, caplog, "n'a pas pu être vérifiée", "expired")


def test_a_token_not_signed_by_the_provider_key_is_refused(client: Any, identity_settings: Any, caplog: Any) -> None:
    provider = providers.get("franceconnect")
    assert provider is not None
    kid = _provider_kid(provider)
    callback = sign_in_at_provider(flows.start(client), RESIDENT["username"], RESIDENT["password"])
    impostor = RSAKey.generate_key(2048, parameters={"kid": kid})
    cache.set(oidc._cache_key(provider, "jwks"), {"keys": [impostor.as_dict(private=False)]}, 600)
    response = flows.come_back(client, callback)
    assert_refused(response, client, caplog, "n'a pas pu être vérifiée", "bad_signature")


def _provider_kid(provider: Any) -> str:
    return str(oidc._keys(provider).keys[0].kid)


def test_a_userinfo_answered_in_plain_json_is_refused(client: Any, identity_settings: Any, caplog: Any) -> None:
    provider = providers.get("franceconnect")
    assert provider is not None
    document = dict(oidc.discovery(provider))
    document["userinfo_endpoint"] = identity_settings.issuer + "/userinfo-json/"
    cache.set(oidc._cache_key(provider, "discovery"), document, 600)
    response = flows.sign_in(client, RESIDENT)
    assert_refused(response, client, caplog, "n'a pas pu être vérifiée", "userinfo_not_signed")


def test_a_provider_that_is_down_gets_a_clear_message(client: Any, settings: Any, caplog: Any) -> None:
    settings.PARTICIPE_IDENTITY_PROVIDERS = {
        "franceconnect": {
            "issuer": f"http://127.0.0.1:{free_port()}/api/v2",
            "client_id": "participe",
            "client_secret": "s" * 40,
            "acr_values": "eidas1",
        }
    }
    response = client.post(reverse("identity:start", kwargs={"provider": "franceconnect"}))
    assert_refused(response, client, caplog, "FranceConnect ne répond pas pour le moment", "unavailable")
    assert not client.session.get(PENDING)


@contextlib.contextmanager
def silent_server() -> Iterator[int]:
    """A server that accepts connections and never answers."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(8)
    held: list[socket.socket] = []
    stop = threading.Event()

    def accept() -> None:
        server.settimeout(0.2)
        while not stop.is_set():
            with contextlib.suppress(OSError):
                held.append(server.accept()[0])

    thread = threading.Thread(target=accept, daemon=True)
    thread.start()
    try:
        yield int(server.getsockname()[1])
    finally:
        stop.set()
        thread.join()
        for connection in held:
            connection.close()
        server.close()


def test_a_provider_that_does_not_answer_in_time_gets_a_clear_message(client: Any, settings: Any, caplog: Any) -> None:
    settings.PARTICIPE_OIDC_TIMEOUT = 1
    with silent_server() as port:
        settings.PARTICIPE_IDENTITY_PROVIDERS = {
            "franceconnect": {
                "issuer": f"http://127.0.0.1:{port}/api/v2",
                "client_id": "participe",
                "client_secret": "s" * 40,
                "acr_values": "eidas1",
            }
        }
        started = time.monotonic()
        response = client.post(reverse("identity:start", kwargs={"provider": "franceconnect"}))
        assert time.monotonic() - started < 5
    assert_refused(response, client, caplog, "FranceConnect ne répond pas pour le moment", "unavailable")


def test_the_person_who_cancels_at_the_provider_is_told_so(client: Any, identity_settings: Any) -> None:
    callback = sign_in_at_provider(flows.start(client), RESIDENT["username"], RESIDENT["password"], consent=False)
    assert flows.query(callback)["error"] == "access_denied"
    response = flows.come_back(client, callback)
    assert response["Location"] == reverse("account_login")
    assert "Vous avez annulé" in messages_of(response)
    assert not User.objects.exists()
