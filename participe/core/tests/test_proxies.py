"""The client's address: X-Forwarded-For counts only when the peer is a trusted proxy, and then its rightmost
address that is not one."""

from __future__ import annotations

import ipaddress

import pytest
from django.test import RequestFactory

from participe.core.proxies import PEER_KEY, ClientAddressMiddleware, client_address, resolve

PROXIES = (ipaddress.ip_network("10.0.0.0/8"), ipaddress.ip_network("2001:db8:f::/48"))


@pytest.mark.parametrize(
    ("peer", "forwarded", "client"),
    [
        ("203.0.113.9", "", "203.0.113.9"),  # no proxy
        ("203.0.113.9", "198.51.100.1", "203.0.113.9"),  # an untrusted peer's header is ignored
        ("10.0.0.2", "198.51.100.1", "198.51.100.1"),  # one proxy
        ("10.0.0.2", "1.2.3.4, 198.51.100.1", "198.51.100.1"),  # the client's own forged entry is left of it
        ("10.0.0.2", "198.51.100.1, 10.1.1.1", "198.51.100.1"),  # two proxies of ours
        ("10.0.0.2", "10.3.3.3, 10.1.1.1", "10.3.3.3"),  # a client inside the trusted networks
        ("10.0.0.2", "", "10.0.0.2"),  # a proxy that sent nothing: the proxy is all we know
        ("10.0.0.2", "198.51.100.1, unknown", "10.0.0.2"),  # garbage: stop at the last hop vouched for
        ("2001:db8:f::1", "2001:db8:1::7", "2001:db8:1::7"),  # IPv6
        ("::ffff:10.0.0.2", "198.51.100.1", "198.51.100.1"),  # an IPv4 proxy seen through an IPv6 socket
    ],
)
def test_it_takes_the_rightmost_address_that_is_not_a_trusted_proxy(peer, forwarded, client):
    assert resolve(peer, forwarded, PROXIES) == client


@pytest.mark.parametrize(
    ("peer", "forwarded", "unix", "client"),
    [
        ("", "198.51.100.1", True, "198.51.100.1"),  # nginx on the same machine, through the Unix socket
        ("", "6.6.6.6, 198.51.100.1", True, "198.51.100.1"),
        ("", "198.51.100.1", False, ""),  # a Unix socket not declared trusted: the header is ignored
    ],
)
def test_a_unix_socket_s_peer_is_trusted_when_configured(peer, forwarded, unix, client):
    assert resolve(peer, forwarded, PROXIES, unix=unix) == client


def test_it_trusts_no_forwarded_header_by_default(settings):
    settings.PARTICIPE_TRUSTED_PROXIES = []
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="198.51.100.1")
    assert client_address(request) == "10.0.0.2"


def test_the_middleware_puts_the_client_in_remote_addr_and_keeps_the_peer(settings):
    settings.PARTICIPE_TRUSTED_PROXIES = ["10.0.0.0/8"]
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.1")
    seen = {}

    def view(request):
        seen.update(remote=request.META["REMOTE_ADDR"], peer=request.META[PEER_KEY], again=client_address(request))

    ClientAddressMiddleware(view)(request)
    assert seen == {"remote": "198.51.100.1", "peer": "10.0.0.2", "again": "198.51.100.1"}
