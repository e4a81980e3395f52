"""What every Locust scenario shares: the seeded data's manifest, signing in, forms, checked writes.

A scenario is a module in ``bench/scenarios/`` defining one or more ``BenchUser`` subclasses (with a
``weight``); ``make bench`` loads them all. The manifest (``BENCH_MANIFEST``, written by ``seed_volume`` and
completed by ``bench/run.py`` at each run) lists seeded accounts per role (one shared password), public space
slugs and module URLs, and the addresses the write journeys need (proposals open to supports, deposit forms,
debate subjects, questionnaires and fresh respondents).

Writes are checked: a write counts as a failure unless the server answers as it does when the work was done
(a redirect after a saved form, the confirmation in an htmx fragment), never when a form comes back with errors.
"""

from __future__ import annotations

import json
import os
import random
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from typing import Any

from locust import HttpUser, between, constant, events

from bench.forms import (  # noqa: F401  (the scenarios import these names from here)
    COMMENT_FORM,
    CSRF,
    FORM_ERROR,
    STANCES,
    WORDS,
    FormReader,
    fill_form,
    read_form,
    sentence,
)


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
        return self.sign_in_as(random.choice(accounts))

    def sign_in_as(self, email: str) -> bool:
        """Sign in through allauth's form (with its CSRF token) as a seeded account; True when it worked."""
        page = self.client.get("/compte/login/", name="sign in (form)")
        with self.client.post(
            "/compte/login/",
            data={
                "login": email,
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

    def comment_with_stance(self, url: str, page: str, *, name: str) -> None:
        """Post a comment with a stance through the comment form of ``page`` (the page at ``url``), if it has one
        (a phase without comments has none), and check that it was recorded."""
        found = COMMENT_FORM.search(page)
        if not found:
            return
        data = {"csrfmiddlewaretoken": self.csrf_of(page), "stance": random.choice(STANCES), "body": sentence(25)}
        with self.checked_post(found.group(1), data, name=name, referer=url):
            pass

    @contextmanager
    def checked_post(
        self, url: str, data: Any, *, name: str, referer: str, htmx: bool = False, expect: str = ""
    ) -> Iterator[Any]:
        """POST a form the way a browser does (CSRF token in the data, the page as Referer) and count a failure
        unless the write was done: a redirect, or with ``htmx`` a fragment containing ``expect``. Yields the
        response for further checks (``response.failure(...)``)."""
        headers = {"Referer": f"{self.host}{referer}"}
        if htmx:
            headers |= {"HX-Request": "true", "HX-Current-URL": f"{self.host}{referer}"}
        with self.client.post(
            url, data=data, headers=headers, name=name, allow_redirects=False, catch_response=True
        ) as response:
            if htmx:
                ok = response.status_code == 200 and expect in response.text and not FORM_ERROR.search(response.text)
            else:
                ok = response.status_code in (302, 303)
            if ok:
                response.success()
            else:
                text = FORM_ERROR.search(response.text or "")
                reason = "form returned with errors" if text else "unexpected answer"
                response.failure(f"{reason} ({response.status_code})")
            yield response


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
