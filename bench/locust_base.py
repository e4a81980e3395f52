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
import re
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from html.parser import HTMLParser
from typing import Any

from locust import HttpUser, between, constant, events

CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
COMMENT_FORM = re.compile(r'action="(/commentaires/\d+/\d+/ajouter/)"')
STANCES = ["favorable", "neutral", "unfavorable"]
FORM_ERROR = re.compile(r'aria-invalid="true"|class="[^"]*\b(?:errorlist|field-error|message--error)\b')
WORDS = ["quartier", "école", "vélo", "arbres", "parc", "trottoir", "bus", "marché", "jardin", "rue", "place"]


def sentence(words: int = 12) -> str:
    """A French-looking sentence that is different each time (duplicate checks never see the same text)."""
    return " ".join(random.choice(WORDS) for _ in range(words)).capitalize() + f" ({random.randrange(10**9)})."


class FormReader(HTMLParser):
    """The fields of the first form whose ``action`` contains ``action`` (or of the first form): what a browser
    without JavaScript would send, plus the choices each field offers, so that a scenario can fill it."""

    def __init__(self, action: str = "") -> None:
        super().__init__(convert_charrefs=True)
        self.wanted = action
        self.state = "before"  # "before", "inside", "done"
        self.action = ""
        self.fields: list[dict[str, Any]] = []
        self._select: dict[str, Any] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form" and self.state == "before" and self.wanted in a.get("action", ""):
            self.state, self.action = "inside", a.get("action", "")
        if self.state != "inside" or "disabled" in a:
            return
        if tag in ("input", "textarea") and a.get("name"):
            self.fields.append({"tag": tag, **a, "type": a.get("type", "text" if tag == "input" else "textarea")})
        elif tag == "select" and a.get("name"):
            self._select = {"tag": "select", **a, "options": []}
            self.fields.append(self._select)
        elif tag == "option" and self._select is not None and a.get("value"):
            self._select["options"].append(a["value"])

    def handle_endtag(self, tag: str) -> None:
        if tag == "select":
            self._select = None
        elif tag == "form" and self.state == "inside":
            self.state = "done"


def read_form(html: str, action: str = "") -> FormReader:
    reader = FormReader(action)
    reader.feed(html)
    return reader


def fill_form(reader: FormReader) -> list[tuple[str, str]]:
    """Answers for every field of a questionnaire page (or any form): hidden values kept, one random choice per
    radio group, one box per checkbox group, a permutation for each ranking, plausible text, numbers and dates.
    Files are left out."""
    data: list[tuple[str, str]] = []
    groups: dict[str, list[str]] = {}
    rankings: dict[str, list[dict[str, Any]]] = {}
    for field in reader.fields:
        name, kind = field["name"], field.get("type", "")
        if kind in ("radio", "checkbox"):
            groups.setdefault(name, []).append(field.get("value", "on"))
        elif field["tag"] == "select" and field.get("data-ranking"):
            rankings.setdefault(field["data-ranking"], []).append(field)
        else:
            value = _value(field)
            if value is not None:
                data.append((name, value))
    data += [(name, random.choice(values)) for name, values in groups.items()]
    for selects in rankings.values():
        ranks = list(range(1, len(selects) + 1))
        random.shuffle(ranks)
        data += [(select["name"], str(rank)) for select, rank in zip(selects, ranks, strict=True)]
    return data


def _value(field: dict[str, Any]) -> str | None:
    """A plausible value for one field that is not a radio, a checkbox or a ranking (None: leave it out)."""
    kind = field.get("type", "")
    if field["tag"] == "select":
        return random.choice(field["options"]) if field["options"] else None
    if kind == "hidden":
        return str(field.get("value", ""))
    if kind in ("submit", "button", "file", "search"):
        return None
    if kind == "date":
        return f"{random.randint(1960, 2024)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}"
    if kind == "number" or field.get("inputmode") in ("decimal", "numeric"):
        return str(random.randint(1, 30))
    return sentence(20 if kind == "textarea" else 6)[: int(field.get("maxlength") or 200)]


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
