"""Sweep (1): axe-core (WCAG 2.1 A/AA) in Chromium over every page a visitor and an admin reach, FR and EN."""

from __future__ import annotations

from typing import Any

from audit.common import ROOT, crawl, http_session, session_cookies

LANGUAGES = ("fr", "en")
# The browser tests' axe set-up (tests/browser/helpers.py), which imports test-only factories: same file, same tags.
AXE_PATH = ROOT / "node_modules" / "axe-core" / "axe.min.js"
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
AXE_RUN = (
    "async (tags) => { const r = await axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']});"
    " return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,"
    " nodes: v.nodes.map(n => ({target: n.target, html: n.html.slice(0, 200), summary: n.failureSummary}))})); }"
)


def axe_violations(page: Any) -> list[dict[str, Any]]:
    """axe-core evaluated through the DevTools protocol, so the page keeps its real CSP."""
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if not AXE_PATH.exists():
            raise SystemExit("node_modules/axe-core is missing: run `make node` (npm ci).")
        page.evaluate(AXE_PATH.read_text(encoding="utf-8"))
    return list(page.evaluate(AXE_RUN, AXE_TAGS))


STARTS = {
    "anonymous": ["/", "/demarches/", "/plan-du-site/", "/compte/login/", "/compte/signup/"],
    "admin": ["/gestion/", "/"],
}


def launch(playwright: Any) -> Any:
    """Debian's Chromium, launched as the browser tests launch it (never a downloaded browser)."""
    from tests.browser.conftest import CHROMIUM_ARGS, chromium_executable

    return playwright.chromium.launch(executable_path=chromium_executable(), args=CHROMIUM_ARGS)


def context_for(browser: Any, base: str, role: str, language: str) -> Any:
    from django.conf import settings

    context = browser.new_context(
        locale=f"{language}-FR", timezone_id="Europe/Paris", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(15_000)
    cookies = [{"name": settings.LANGUAGE_COOKIE_NAME, "value": language, "url": base}]
    cookies += [{"name": n, "value": v, "url": base} for n, v in session_cookies(role).items()]
    context.add_cookies(cookies)
    return context


def sweep(base: str, limit: int) -> dict[str, Any]:
    """Per role and language: the pages checked and the violations of each."""
    from playwright.sync_api import sync_playwright

    report: dict[str, Any] = {"pages": 0, "violations": [], "broken_links": []}
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for role, starts in STARTS.items():
            found = crawl(http_session(role), base, starts, limit)
            report["broken_links"] += [f"[{role}] {e}" for e in found.errors]
            for language in LANGUAGES:
                context = context_for(browser, base, role, language)
                page = context.new_page()
                for path in found.pages:
                    page.goto(base + path)
                    report["pages"] += 1
                    for violation in axe_violations(page):
                        report["violations"].append({"role": role, "language": language, "path": path, **violation})
                context.close()
        browser.close()
    return report


def summary(report: dict[str, Any]) -> list[str]:
    lines = [f"axe-core: {report['pages']} page views, {len(report['violations'])} violation(s)"]
    for v in report["violations"]:
        targets = "; ".join(" ".join(map(str, n["target"])) for n in v["nodes"][:3])
        lines.append(f"  [{v['language']}/{v['role']}] {v['path']}: {v['id']} ({v['impact']}) {v['help']} — {targets}")
    for error in report["broken_links"]:
        lines.append(f"  broken link: {error}")
    return lines


def failed(report: dict[str, Any]) -> bool:
    return bool(report["violations"]) or any(e.split(" ", 2)[1][:1] in ("5", "E") for e in report["broken_links"])
