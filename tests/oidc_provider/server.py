"""Run the test identity provider in a subprocess (``provider(...)``), and sign in at it as a browser would
(``sign_in_at_provider``): the tests of ``participe.identity`` and the browser journey use both."""

from __future__ import annotations

import contextlib
import json
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urljoin, urlsplit

from joserfc.jwk import RSAKey

ROOT = Path(__file__).resolve().parents[2]

RESIDENT = {
    "username": "angela",
    "password": "mot-de-passe-angela",
    "claims": {
        "given_name": "Angela Claire Louise",
        "family_name": "DUBOIS",
        "birthdate": "1962-08-24",
        "gender": "female",
        "birthplace": "75107",
        "birthcountry": "99100",
        "email": "angela.dubois@example.fr",
    },
}
YOUNG = {
    "username": "lucas",
    "password": "mot-de-passe-lucas",
    "claims": {
        "given_name": "Lucas",
        "family_name": "MARTIN",
        "birthdate": "2015-03-01",
        "gender": "male",
        "birthplace": "69123",
        "email": "lucas.martin@example.fr",
    },
}
AGENT_MFA = {
    "username": "agent-mfa",
    "password": "mot-de-passe-agent",
    "claims": {"given_name": "Paule", "usual_name": "Agent", "email": "agente@mairie.example"},
    "amr": ["pwd", "totp", "mfa"],
}
AGENT_PWD = {
    "username": "agent-pwd",
    "password": "mot-de-passe-agent",
    "claims": {"given_name": "Paule", "usual_name": "Agent", "email": "agente@mairie.example"},
    "amr": ["pwd"],
}
STRANGER = {
    "username": "inconnu",
    "password": "mot-de-passe-inconnu",
    "claims": {"given_name": "Inconnu", "usual_name": "Agent", "email": "inconnu@ailleurs.example"},
    "amr": ["pwd", "totp", "mfa"],
}
PEOPLE = [RESIDENT, YOUNG, AGENT_MFA, AGENT_PWD, STRANGER]


def free_port() -> int:
    with contextlib.closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Provider:
    issuer: str
    port: int
    clients: dict[str, dict[str, Any]] = field(default_factory=dict)

    def settings(self, key: str) -> dict[str, Any]:
        """The entry of PARTICIPE_IDENTITY_PROVIDERS that points at this provider for ``key``."""
        client = self.clients[key]
        return {
            "issuer": self.issuer,
            "client_id": client["client_id"],
            "client_secret": client["client_secret"],
            "scopes": ["openid", "given_name", "family_name", "birthdate", "gender", "birthplace", "email"]
            if key == "franceconnect"
            else ["openid", "email", "given_name", "usual_name"],
            "acr_values": "eidas1" if key == "franceconnect" else "",
            "algorithms": ["RS256"],
        }


@contextlib.contextmanager
def provider(
    tmp: Path, *, site_paths: tuple[str, ...] = ("http://127.0.0.1", "http://localhost")
) -> Iterator[Provider]:
    """A running provider with a client for each key (franceconnect, proconnect) whose callbacks are those of any
    site on the loopback (any port: RFC 8252), and the people of ``PEOPLE``."""
    port = free_port()
    key = RSAKey.generate_key(2048)
    (tmp / "provider-key.pem").write_bytes(key.as_pem(private=True))
    issuer = f"http://127.0.0.1:{port}/o"
    clients = {}
    for name in ("franceconnect", "proconnect"):
        clients[name] = {
            "name": "Participe" if name == "franceconnect" else "Participe (agents)",
            "client_id": f"participe-{name}",
            "client_secret": f"secret-{name}-" + "s" * 40,
            "redirect_uris": [f"{site}/compte/identite/{name}/retour/" for site in site_paths],
            "post_logout_redirect_uris": [f"{site}/compte/identite/deconnexion/" for site in site_paths],
            "acr": "eidas1" if name == "franceconnect" else None,
        }
    spec = {
        "port": port,
        "issuer": issuer,
        "key": str(tmp / "provider-key.pem"),
        "database": str(tmp / "provider.sqlite3"),
        "users": PEOPLE,
        "clients": list(clients.values()),
    }
    (tmp / "provider.json").write_text(json.dumps(spec))
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.oidc_provider.run", str(tmp / "provider.json")],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=open(tmp / "provider.log", "wb"),  # noqa: SIM115
    )
    try:
        _wait_for(issuer + "/.well-known/openid-configuration", process, tmp)
        yield Provider(issuer=issuer, port=port, clients=clients)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()


def _wait_for(url: str, process: subprocess.Popen[bytes], tmp: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("The test identity provider stopped:\n" + (tmp / "provider.log").read_text())
        try:
            with urllib.request.urlopen(url, timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError("The test identity provider did not start:\n" + (tmp / "provider.log").read_text())


def sign_in_at_provider(authorize_url: str, username: str, password: str, *, consent: bool = True) -> str:
    """What a person does at the provider: sign in, then accept to share their information. Returns the address
    the provider sends the browser back to (the site's callback with ``code`` and ``state``)."""
    import requests

    with requests.Session() as browser:
        page = browser.get(authorize_url, timeout=10)
        token = browser.cookies.get("provider_csrftoken")
        page = browser.post(
            page.url,
            data={"username": username, "password": password, "csrfmiddlewaretoken": token, "next": _next(page.url)},
            headers={"Referer": page.url},
            timeout=10,
            allow_redirects=True,
        )
        if "redirect_uri" not in page.url:
            raise AssertionError(f"Not signed in at the provider: {page.url}\n{page.text[:500]}")
        fields = dict(_hidden_fields(page.text))
        if consent:
            fields["allow"] = "Authorize"
        fields["csrfmiddlewaretoken"] = browser.cookies.get("provider_csrftoken")
        answer = browser.post(page.url, data=fields, headers={"Referer": page.url}, timeout=10, allow_redirects=False)
        location = answer.headers.get("Location", "")
        if not location:
            raise AssertionError(
                f"The provider did not send the browser back ({answer.status_code}):\n{answer.text[:500]}"
            )
        return urljoin(page.url, location)


def _next(url: str) -> str:
    return parse_qs(urlsplit(url).query).get("next", ["/"])[0]


def _hidden_fields(html: str) -> list[tuple[str, str]]:
    import re

    found = []
    for tag in re.findall(r"<input[^>]*type=\"hidden\"[^>]*>", html):
        name = re.search(r'name="([^"]*)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if name:
            found.append((name.group(1), _unescape(value.group(1) if value else "")))
    return found


def _unescape(value: str) -> str:
    import html

    return html.unescape(value)
