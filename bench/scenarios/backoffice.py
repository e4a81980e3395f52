"""The demo's agent in the back-office, signed in with a password and a TOTP code (second factor) as staff are
in production: always exactly one, whatever the number of users."""

from __future__ import annotations

import base64
import hashlib
import hmac
import struct
import time

from locust import task

from bench.locust_base import BenchUser


def totp(secret: str, at: float | None = None, step: int = 30, digits: int = 6) -> str:
    """The RFC 6238 code of a base32 secret (HMAC-SHA1, 30 s steps, 6 digits), as an authenticator app shows it."""
    key = base64.b32decode(secret.upper() + "=" * (-len(secret) % 8))
    digest = hmac.new(key, struct.pack(">Q", int((time.time() if at is None else at) // step)), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


class AgentWithTOTP(BenchUser):
    fixed_count = 1

    def on_start(self) -> None:
        agent = self.data.get("agent") or {}
        self.pages = list(agent.get("proposal_backoffice") or [])
        if agent:
            self._sign_in(agent)

    def _sign_in(self, agent: dict[str, str]) -> None:
        form = self.client.get("/compte/login/", name="sign in (form)")
        data = {"login": agent["email"], "password": agent["password"], "csrfmiddlewaretoken": self.csrf_of(form.text)}
        with self.checked_post("/compte/login/", data, name="sign in (post)", referer="/compte/login/"):
            pass
        page = self.client.get("/compte/2fa/authenticate/", name="sign in: second factor (form)")
        data = {"code": totp(agent["totp_secret"]), "csrfmiddlewaretoken": self.csrf_of(page.text)}
        with self.checked_post(
            "/compte/2fa/authenticate/", data, name="sign in: second factor (TOTP)", referer="/compte/2fa/authenticate/"
        ):
            pass

    @task(2)
    def dashboard(self) -> None:
        self.client.get("/gestion/", name="back-office dashboard (agent)")

    @task(3)
    def proposals(self) -> None:
        for url in self.pages[:1]:
            self.client.get(url, name="back-office proposals (agent)")
