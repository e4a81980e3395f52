"""What the journeys share: the axe-core check, logging in (with TOTP), reading emails, a photo to upload."""

from __future__ import annotations

import io
import re
import time
from functools import cache
from pathlib import Path
from typing import Any

from allauth.mfa import app_settings as mfa_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value, yield_hotp_counters_from_time
from PIL import Image
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect

from tests.factories import PASSWORD, TEST_TOTP_SECRET

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
EMAIL_LABEL = re.compile(r"^(Adresse électronique|Courriel|E-?mail)", re.I)
PASSWORD_LABEL = re.compile(r"^(Mot de passe|Password)(?! \()")  # not "Mot de passe (confirmation)"
LOGIN_BUTTON = re.compile(r"^(Connexion|Sign In)$", re.I)
TOTP_LABEL = re.compile(r"code", re.I)


@cache
def _axe_source() -> str:
    if not AXE_PATH.exists():
        raise AssertionError(
            f"{AXE_PATH.relative_to(REPO_ROOT)} est absent : lancez `make test` (il exécute `npm ci`)."
        )
    return AXE_PATH.read_text(encoding="utf-8")


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """Run axe-core on the page (WCAG 2.0/2.1 A and AA, plus the order of headings, a best practice that
    screen-reader users navigate by). It is evaluated through the DevTools protocol, which the site's
    strict CSP (script-src 'self') does not block, so the page is checked under its real policy.

    A click that follows a link returns before the next page has replaced the last one: when the
    check lands in between (no document, or its context destroyed), it waits for the page and runs again."""
    for attempt in range(3):
        page.wait_for_load_state()
        try:
            return _run_axe(page)
        except PlaywrightError as error:
            if attempt == 2 or not _NAVIGATING.search(str(error)):
                raise
            page.wait_for_timeout(200)
    raise AssertionError("unreachable")


_NAVIGATING = re.compile(r"documentElement|Execution context was destroyed|navigation", re.I)


def _run_axe(page: Any) -> list[dict[str, Any]]:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.evaluate(_axe_source())
    result = page.evaluate(
        "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " rules: {'heading-order': {enabled: true}}, resultTypes: ['violations']});"
        " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
        " nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 200), summary: n.failureSummary}))})); }",
        AXE_TAGS,
    )
    return list(result)


def format_violations(url: str, violations: list[dict[str, Any]]) -> str:
    lines = [f"{len(violations)} violation(s) axe-core sur {url} :"]
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}) : {violation['help']} — {violation['helpUrl']}")
        for node in violation["nodes"][:10]:
            target = " ".join(" > ".join(t) if isinstance(t, list) else str(t) for t in node["target"])
            lines.append(f"    · {target}    {node['html']}")
    return "\n".join(lines)


def assert_accessible(page: Any) -> None:
    """Fail with a readable list (rule, impact, targets, help) when axe finds any WCAG 2.1 A/AA violation."""
    violations = axe_violations(page)
    assert not violations, format_violations(page.url, violations)


def open_menu(page: Any) -> None:
    """On a phone the header's links are folded behind « Menu » (a <details>): open it; nothing to do on a desktop."""
    toggle = page.locator(".site-menu__toggle")
    if toggle.is_visible() and not page.locator(".site-menu").evaluate("menu => menu.open"):
        toggle.click()


def totp_code(secret: str = TEST_TOTP_SECRET) -> str:
    """The current TOTP code, waiting for the next period when this one is about to end."""
    period = mfa_settings.TOTP_PERIOD
    if period - time.time() % period < 3:
        time.sleep(period - time.time() % period + 0.1)
    counter = next(iter(yield_hotp_counters_from_time()))
    if mfa_settings.TOTP_TOLERANCE:
        counter += mfa_settings.TOTP_TOLERANCE  # the first counter yielded is the oldest accepted
    return format_hotp_value(hotp_value(secret, counter))


def log_in(
    page: Any, server: str, email: str, password: str = PASSWORD, *, totp: bool = False, check: bool = False
) -> None:
    """Log in through the form as a person would (French or English labels); with `totp`, type the
    authenticator's code. With `check`, the login and code pages go through axe-core too."""
    page.goto(f"{server}/compte/login/")
    if check:
        assert_accessible(page)
    page.get_by_label(EMAIL_LABEL).fill(email)
    page.get_by_label(PASSWORD_LABEL).fill(password)
    page.get_by_role("button", name=LOGIN_BUTTON).click()
    if totp:
        code = page.get_by_label(TOTP_LABEL)
        code.wait_for()
        if check:
            assert_accessible(page)
        code.fill(totp_code())
        page.get_by_role(
            "button", name=re.compile(r"^(Connexion|Se connecter|Sign In|Valider|Vérifier|Confirm)", re.I)
        ).click()
        expect(page.get_by_label(TOTP_LABEL)).to_have_count(0)
    page.wait_for_load_state()


def link_in(body: str) -> str:
    match = re.search(r"https?://\S+", body)
    assert match, f"Aucun lien dans le message :\n{body}"
    return match.group(0)


def jpeg_file(directory: Path, name: str) -> str:
    """The path of a small grey JPEG written in ``directory`` (a photo to choose in a file input)."""
    buffer = io.BytesIO()
    Image.new("RGB", (120, 90), (90, 90, 90)).save(buffer, "JPEG")
    target = directory / name
    target.write_bytes(buffer.getvalue())
    return str(target)
