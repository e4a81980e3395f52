"""Sweep (4): an XSS corpus through every text field of every form, then the pages rendered in Chromium.

Forms are found by crawling as the organisation admin and as a verified participant; each text field gets a
payload calling ``__xss(marker)``. POST forms are submitted with the session that found them (skipping those
that end the session or delete things); GET forms (search, filters) become URLs to render. Then the site
is crawled again (visitor and admin) and each page, and each response to a submission, is checked:
- statically: a payload's tag or handler present unescaped in the HTML;
- in Chromium with the CSP bypassed (so the escaping alone is tested, not the policy behind it): any call
  of ``__xss``, any dialog, any ``javascript:`` link carrying a payload.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urlencode, urljoin, urlsplit

from audit.accessibility import launch
from audit.common import crawl, http_session

PAYLOADS = (
    '<script>__xss("{m}")</script>',
    '"><img src=x onerror=__xss("{m}")>',
    "'><svg onload=__xss('{m}')>",
    "javascript:__xss('{m}')",
    "<a href=\"javascript:__xss('{m}')\">{m}</a><iframe srcdoc=\"<script>parent.__xss('{m}')</script>\">",
    "{{{{7*7}}}}<b onmouseover=__xss('{m}')>{m}</b>",
)
TEXT_TYPES = {"text", "search", "url", "email", "tel", ""}
SKIP_ACTIONS = re.compile(
    r"supprimer|retirer|revoquer|logout|deconnexion|password|/email/|2fa|mfa|administrateur|statut|terminer"
    r"|participer|langue|reauthenticate|signup|login|deplacer|desabonnement",
    re.I,
)
# A payload's markup alive in the HTML: a tag carrying a handler or a javascript: URL that calls the hook, or a
# script element calling it. (Slugs made from a payload keep "__xss" but never the call's parenthesis.)
UNESCAPED = re.compile(
    r"<(?:script|img|svg|iframe|b|a)\b[^>]*(?:on\w+=|javascript:)[^>]*__xss\(|<script[^>]*>[^<]*__xss\(", re.I
)
# The creation forms first, so that the short run reaches them; the crawl finds the rest.
STARTS = {
    "admin": ["/gestion/organisation/", "/gestion/espaces/ajouter/", "/gestion/territoires/ajouter/",
              "/gestion/themes/ajouter/", "/gestion/services/ajouter/", "/gestion/comptes-geres/ajouter/", "/gestion/", "/"],
    "verified": ["/compte/profil/", "/", "/demarches/"],
}  # fmt: skip


@dataclass
class Form:
    page: str
    method: str
    action: str
    fields: list[tuple[str, str, str]] = field(default_factory=list)  # (name, kind, value)


class _Forms(HTMLParser):
    def __init__(self, page: str) -> None:
        super().__init__()
        self.page, self.forms, self.current, self.select, self.textarea = page, [], None, None, None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {k: v or "" for k, v in attrs}
        if tag == "form":
            self.current = Form(self.page, a.get("method", "get").lower(), a.get("action", "") or self.page)
            self.forms.append(self.current)
        elif self.current is None:
            return
        elif tag == "input" and a.get("name"):
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "file", "image", "reset"):
                self.current.fields.append((a["name"], kind, a.get("value", "on" if kind == "checkbox" else "")))
        elif tag == "textarea" and a.get("name"):
            self.textarea = a["name"]
            self.current.fields.append((a["name"], "textarea", ""))
        elif tag == "select" and a.get("name"):
            self.select = a["name"]
            self.current.fields.append((a["name"], "select", ""))
        elif tag == "option" and self.select:
            name, kind, value = self.current.fields[-1]
            if not value or "selected" in a:
                self.current.fields[-1] = (name, kind, a.get("value", ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == "form":
            self.current = None
        elif tag == "select":
            self.select = None
        elif tag == "textarea":
            self.textarea = None


def forms_of(page: str, html: str) -> list[Form]:
    parser = _Forms(page)
    parser.feed(html)
    return parser.forms


STRICT_NAME = re.compile(
    r"slug|email|url|site|colou?r|code|phone|tel|date|time|key|token|geo|json|boundary|social", re.I
)
STRUCTURED = re.compile(r"geo|json|boundary|social", re.I)  # left empty in the strict attempt


def plausible(name: str, kind: str, value: str, n: int) -> str:
    """A value the form will accept for a field that cannot hold free text."""
    if value or STRUCTURED.search(name):
        return value
    if kind == "email" or "email" in name:
        return f"xss{n}@example.org"
    if kind == "url" or "url" in name or "site" in name:
        return f"https://example.org/xss{n}"
    if kind == "date" or "date" in name:
        return "2027-01-01"
    if kind in ("datetime-local",) or "start" in name or "end" in name:
        return "2027-01-01T10:00"
    if kind == "number":
        return "1"
    return f"xss-{n}"


def filled(form: Form, counter: list[int], *, strict: bool) -> tuple[dict[str, str], list[str]]:
    """The form's data with a payload in every text field (``strict``: only in free-text fields, others
    get plausible values, so that the form is accepted and the payload stored); and the markers used."""
    data, markers = {}, []
    for name, kind, value in form.fields:
        counter[0] += 1
        free = kind in TEXT_TYPES | {"textarea"} and kind != "hidden" and name != "csrfmiddlewaretoken"
        if free and not (strict and (STRICT_NAME.search(name) or kind in ("email", "url", "tel"))):
            marker = f"xss{counter[0]}"
            markers.append(marker)
            data[name] = PAYLOADS[counter[0] % len(PAYLOADS)].format(m=marker)
        elif strict or kind in ("hidden", "select", "checkbox", "radio"):
            data[name] = plausible(name, kind, value, counter[0]) if kind != "hidden" else value
        else:
            data[name] = value
    return data, markers


@dataclass
class XssReport:
    forms_found: int = 0
    submitted: list[str] = field(default_factory=list)
    rendered: int = 0
    failures: list[str] = field(default_factory=list)


def submit_all(base: str, limit_forms: int, pages: int, report: XssReport) -> list[str]:
    """Submit every form found; return URLs to render (GET forms' results)."""
    to_render: list[str] = []
    counter = [0]
    seen: set[tuple[str, str, tuple[str, ...]]] = set()
    for role, starts in STARTS.items():
        session = http_session(role)
        for path in crawl(session, base, starts, pages).pages:
            for form in forms_of(path, session.get(base + path, timeout=30).text):
                action = urlsplit(urljoin(base + path, form.action)).path
                key = (form.method, action, tuple(sorted(n for n, _k, _v in form.fields)))
                if key in seen or SKIP_ACTIONS.search(action) or report.forms_found >= limit_forms:
                    continue
                seen.add(key)
                report.forms_found += 1
                if form.method == "get":
                    data, markers = filled(form, counter, strict=False)
                    if markers:
                        to_render.append(f"{action}?{urlencode(data)}")
                    continue
                for strict in (False, True):
                    data, markers = filled(form, counter, strict=strict)
                    if markers:
                        post(session, base, action, data, f"[{role}] {action} from {path}", report)
    return to_render


def post(session: Any, base: str, action: str, data: dict[str, str], where: str, report: XssReport) -> None:
    # A fresh CSRF token: the page's may have been rotated by a previous submission.
    data = {**data, "csrfmiddlewaretoken": session.cookies.get("csrftoken", data.get("csrfmiddlewaretoken", ""))}
    response = session.post(base + action, data=data, timeout=30, allow_redirects=False)
    stored = response.status_code in (302, 303)
    errors = re.findall(r'class="[^"]*error[^"]*"[^>]*>\s*(?:<[^>]+>\s*)*([^<]{3,120})', response.text)[:3]
    report.submitted.append(f"POST {where} -> {response.status_code}{' (saved)' if stored else f' {errors}'}")
    if response.status_code >= 500:
        report.failures.append(f"POST {where}: server error {response.status_code}")
    check_static(response.text, f"response to POST {where}", report)


def check_static(html: str, where: str, report: XssReport) -> None:
    for match in UNESCAPED.finditer(html):
        report.failures.append(f"unescaped payload in {where}: {html[max(0, match.start() - 40) : match.end() + 20]!r}")


def render_all(base: str, extra: list[str], pages: int, report: XssReport) -> None:
    from playwright.sync_api import sync_playwright

    hits: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for role in ("anonymous", "admin"):
            session = http_session(role)
            found = crawl(
                session, base, ["/", "/demarches/", "/gestion/"] if role == "admin" else ["/", "/demarches/"], pages
            )
            context = browser.new_context(bypass_csp=True, locale="fr-FR")
            context.add_cookies([{"name": k, "value": v, "url": base} for k, v in session.cookies.get_dict().items()])
            context.expose_binding(
                "__xss", lambda source, marker, _role=role: hits.append(f"[{_role}] {source['page'].url}: {marker}")
            )
            page = context.new_page()
            page.on(
                "dialog",
                lambda dialog, _role=role: (hits.append(f"[{_role}] dialog: {dialog.message}"), dialog.dismiss()),
            )
            for path in found.pages + (extra if role == "admin" else []):
                response = page.goto(base + path)
                report.rendered += 1
                # The HTML as the server sent it: a serialised DOM leaves "<" unescaped inside attributes.
                check_static(response.text() if response else "", f"[{role}] {path}", report)
                links = page.evaluate(
                    "() => [...document.querySelectorAll('a[href^=\"javascript:\"], [onmouseover*=__xss]')]"
                    ".filter(e => (e.outerHTML || '').includes('__xss')).length"
                )
                if links:
                    report.failures.append(f"[{role}] {path}: {links} live javascript:/handler payload(s)")
            context.close()
        browser.close()
    report.failures += [f"payload executed: {hit}" for hit in hits]


def sweep(base: str, forms: int, pages: int) -> dict[str, Any]:
    report = XssReport()
    extra = submit_all(base, forms, pages, report)
    render_all(base, extra, pages, report)
    return report.__dict__


def summary(report: dict[str, Any]) -> list[str]:
    lines = [
        f"XSS: {report['forms_found']} forms, {len(report['submitted'])} submitted, {report['rendered']} pages rendered, "
        f"{len(report['failures'])} failure(s)"
    ]
    return lines + [f"  {f}" for f in report["failures"]]


def failed(report: dict[str, Any]) -> bool:
    return bool(report["failures"])
