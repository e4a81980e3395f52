"""Reading and filling the platform's forms as a browser without JavaScript does: the Locust scenarios
(bench/locust_base.py) and the capacity run (bench/capacity.py, which must not import Locust: its gevent patching
would break the run's threads) share it."""

from __future__ import annotations

import random
import re
from html.parser import HTMLParser
from typing import Any

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
    Files are left out. Send the list as it is: a name may come several times (a questionnaire page's ``shown``, one
    per question shown)."""
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
