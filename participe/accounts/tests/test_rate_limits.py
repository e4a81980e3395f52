"""The production rate limits of signing in and up, behind a reverse proxy: they count per client address (and per
account for failed logins), never for everyone behind the proxy; a forged X-Forwarded-For counts for nothing."""

from __future__ import annotations

import pytest

from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

PROXY = "10.0.0.2"


@pytest.fixture
def behind_the_proxy(settings):
    """The limits production uses, and one trusted reverse proxy (as docs/deployment.md sets it up)."""
    settings.ACCOUNT_RATE_LIMITS = settings.PARTICIPE_RATE_LIMITS
    settings.PARTICIPE_TRUSTED_PROXIES = ["10.0.0.0/24"]


def login(client, email: str, password: str, *, peer: str = PROXY, forwarded: str | None = None):
    extra = {"REMOTE_ADDR": peer} | ({"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {})
    return client.post("/compte/login/", {"login": email, "password": password}, **extra)


def signed_in(client, user) -> bool:
    return client.session.get("_auth_user_id") == str(user.pk)


def test_failed_logins_from_other_addresses_do_not_lock_out_a_resident(client, behind_the_proxy):
    for n in range(16):
        login(client, f"inconnu{n}@example.org", "pas le bon", forwarded=f"203.0.113.{n + 1}")
    resident = UserFactory()
    response = login(client, resident.email, PASSWORD, forwarded="198.51.100.7")
    assert response.status_code == 302
    assert signed_in(client, resident)


def test_failed_logins_count_against_the_address_behind_the_proxy(client, behind_the_proxy):
    for n in range(10):
        login(client, f"inconnu{n}@example.org", "pas le bon", forwarded="203.0.113.66")
    resident = UserFactory()
    response = login(client, resident.email, PASSWORD, forwarded="203.0.113.66")
    assert "Trop de tentatives" in response.content.decode()
    assert not signed_in(client, resident)


def test_failed_logins_count_against_the_account_whatever_the_addresses(client, behind_the_proxy):
    resident = UserFactory()
    for n in range(5):
        login(client, resident.email, "pas le bon", forwarded=f"203.0.113.{n + 1}")
    response = login(client, resident.email, PASSWORD, forwarded="198.51.100.7")
    assert "Trop de tentatives" in response.content.decode()
    assert not signed_in(client, resident)


def test_a_forged_forwarded_header_from_an_untrusted_peer_is_ignored(client, behind_the_proxy):
    attacker = "203.0.113.50"
    for n in range(10):
        login(client, f"inconnu{n}@example.org", "pas le bon", peer=attacker, forwarded=f"198.51.100.{n + 1}")
    resident = UserFactory()
    response = login(client, resident.email, PASSWORD, peer=attacker, forwarded="198.51.100.99")
    assert "Trop de tentatives" in response.content.decode()
    assert not signed_in(client, resident)


def test_sign_ups_are_limited_per_address_not_for_the_whole_town(client, behind_the_proxy):
    def signup(n: int, address: str) -> int:
        data = {
            "email": f"p{n}@example.org",
            "pseudonym": f"personne-{n}",
            "password1": PASSWORD,
            "password2": PASSWORD,
            "accept_terms": "on",
        }
        response = client.post("/compte/signup/", data, REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=address)
        client.logout()
        return response.status_code

    assert [signup(n, f"203.0.113.{n + 1}") for n in range(12)] == [302] * 12
    assert [signup(100 + n, "198.51.100.7") for n in range(11)] == [302] * 10 + [429]
