"""The client's address behind the reverse proxies this install trusts (``PARTICIPE_TRUSTED_PROXIES``).

A proxy appends the address of whoever connected to it to ``X-Forwarded-For``; everything to the left of that was
written by the client or by proxies we know nothing about, and can be forged. So the header counts only when the
peer (``REMOTE_ADDR``) is a trusted proxy, and the client is the rightmost address that is not a trusted proxy. With
no trusted proxy (the default) the header is ignored: the peer is the client. ``unix`` trusts the peers of a Unix
socket (which have no address: the reverse proxy on the same machine, the only one the socket's permissions let in). The rate limits (allauth's, through
``AccountAdapter.get_client_ip``, and any keyed on ``REMOTE_ADDR``) count per client, not per proxy.
"""

from __future__ import annotations

import functools
import ipaddress
from collections.abc import Callable, Iterable

from django.conf import settings
from django.http import HttpRequest, HttpResponse

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
# Where the middleware keeps the address of the peer before it replaces REMOTE_ADDR with the client's.
PEER_KEY = "participe.peer_address"


UNIX = "unix"


@functools.lru_cache(maxsize=8)
def _networks(entries: tuple[str, ...]) -> tuple[Network, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries if entry != UNIX)


def trusted_networks() -> tuple[Network, ...]:
    return _networks(tuple(getattr(settings, "PARTICIPE_TRUSTED_PROXIES", ())))


def trusts_unix_socket() -> bool:
    return UNIX in getattr(settings, "PARTICIPE_TRUSTED_PROXIES", ())


def _address(text: str) -> Address | None:
    try:
        address = ipaddress.ip_address(text.strip())
    except ValueError:
        return None
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


def _trusted(address: Address, networks: Iterable[Network]) -> bool:
    return any(address in network for network in networks)


def _trusted_peer(peer: str, networks: tuple[Network, ...], unix: bool) -> bool:
    address = _address(peer)
    if address is None:
        return unix and (peer == "" or peer.startswith("unix:"))  # what gunicorn gives for a Unix socket's peer
    return _trusted(address, networks)


def resolve(peer: str, forwarded: str, networks: tuple[Network, ...], *, unix: bool = False) -> str:
    """The client's address: ``peer`` unless it is a trusted proxy (``unix``: a Unix socket's peer is one), else
    the rightmost address of ``forwarded`` (an ``X-Forwarded-For`` value) that is not one. An entry that is not an
    address stops the walk at the last hop vouched for (a trusted proxy wrote everything to its right)."""
    if not _trusted_peer(peer, networks, unix):
        return peer
    found = peer
    for entry in reversed(forwarded.split(",") if forwarded else []):
        address = _address(entry)
        if address is None:
            break
        found = str(address)
        if not _trusted(address, networks):
            break
    return found


def client_address(request: HttpRequest) -> str:
    """The address of the client who sent ``request`` (see the module's docstring)."""
    peer = request.META.get(PEER_KEY) or request.META.get("REMOTE_ADDR", "")
    forwarded = request.headers.get("X-Forwarded-For", "")
    return resolve(str(peer), forwarded, trusted_networks(), unix=trusts_unix_socket())


class ClientAddressMiddleware:
    """Sets ``REMOTE_ADDR`` to the client's address (the peer's is kept in ``request.META[PEER_KEY]``), so that
    everything keyed on the address — rate limits first — counts per client behind the trusted proxies."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        request.META.setdefault(PEER_KEY, request.META.get("REMOTE_ADDR", ""))
        request.META["REMOTE_ADDR"] = client_address(request)
        return self.get_response(request)
