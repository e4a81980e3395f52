"""What every Locust scenario shares: the seeded data's manifest, signing in, page names.

A scenario is a module in ``bench/scenarios/`` defining one or more ``BenchUser`` subclasses (with a
``weight``); ``make bench`` loads them all. The manifest (``BENCH_MANIFEST``, written by ``seed_volume``)
lists seeded accounts per role (one shared password), public space slugs and module URLs.
"""

from __future__ import annotations

import json
import os
import random
import re
from functools import cache
from typing import Any

from locust import HttpUser, between, constant, events

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


@cache
def manifest() -> dict[str, Any]:
    path = os.environ.get("BENCH_MANIFEST", "")
    if not path:
        raise RuntimeError("BENCH_MANIFEST is not set: run the load test through `make bench`.")
    with open(path, encoding="utf-8") as handle:
        return dict(json.load(handle))


def _think_time() -> Any:
    """BENCH_THINK "0.5-2" (default: seconds between a user's requests, like a reader) or "0" (saturation)."""
    low, _sep, high = os.environ.get("BENCH_THINK", "0.5-2").partition("-")
    return constant(float(low)) if not high else between(float(low), float(high))


class BenchUser(HttpUser):
    abstract = True
    wait_time = _think_time()

    @property
    def data(self) -> dict[str, Any]:
        return manifest()

    def pick(self, key: str, default: Any = None) -> Any:
        values = self.data.get(key) or []
        return random.choice(values) if values else default

    def csrf_of(self, html: str) -> str:
        match = CSRF.search(html)
        return match.group(1) if match else ""

    def sign_in(self, role: str) -> bool:
        """Sign in through allauth's form as a seeded account of ``role``; True when it worked."""
        accounts = self.data.get("accounts", {}).get(role) or []
        if not accounts:
            return False
        page = self.client.get("/compte/login/", name="sign in (form)")
        with self.client.post(
            "/compte/login/",
            data={
                "login": random.choice(accounts),
                "password": self.data["password"],
                "csrfmiddlewaretoken": self.csrf_of(page.text),
            },
            name="sign in (post)",
            allow_redirects=False,
            catch_response=True,
        ) as response:
            if response.status_code != 302:
                response.failure(f"sign-in refused ({response.status_code})")
                return False
            response.success()
        return True


@events.init.add_listener
def _bound_requests(environment: Any, **_kwargs: Any) -> None:
    """Stop the run after BENCH_MAX_REQUESTS requests (on top of --run-time): bounded in both."""
    limit = int(os.environ.get("BENCH_MAX_REQUESTS", "0") or 0)
    if not limit:
        return
    seen = {"count": 0}

    def count(**_request: Any) -> None:
        seen["count"] += 1
        if seen["count"] == limit and environment.runner is not None:
            environment.runner.quit()

    environment.events.request.add_listener(count)
