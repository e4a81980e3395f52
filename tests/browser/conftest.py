"""Browser fixtures: Debian's Chromium driven by Playwright against pytest-django's live server.

Never downloads a browser: the executable comes from PARTICIPE_CHROMIUM or `chromium` on the PATH
(`make test` installs Debian's package when it is missing).
"""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest

# Playwright's sync API runs an event loop in this thread; Django would refuse ORM calls from it.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
RESULTS_DIR = REPO_ROOT / "test-results"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DESKTOP = {"viewport": {"width": 1280, "height": 900}}
MOBILE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True, "device_scale_factor": 2}
DEFAULT_TIMEOUT_MS = 10_000
BLANK_TILE = (
    "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII="
)

_reports = pytest.StashKey[dict[str, pytest.TestReport]]()


@pytest.hookimpl(wrapper=True, tryfirst=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]) -> Iterator[pytest.TestReport]:
    report = yield
    item.stash.setdefault(_reports, {})[report.when] = report
    return report


def chromium_executable() -> str:
    configured = os.environ.get("PARTICIPE_CHROMIUM")
    executable = configured or shutil.which("chromium") or ""
    if not executable or not os.access(executable, os.X_OK):
        where = (
            f"PARTICIPE_CHROMIUM={configured} n'est pas exécutable"
            if configured
            else "`chromium` n'est pas dans le PATH"
        )
        pytest.fail(
            f"Chromium est introuvable ({where}). Lancez `make test`, qui installe le paquet Debian `chromium`, "
            "ou indiquez le chemin du navigateur dans PARTICIPE_CHROMIUM. Les tests ne téléchargent jamais de navigateur.",
            pytrace=False,
        )
    return executable


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    executable = chromium_executable()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


def is_console_error(message: Any) -> bool:
    """Whether a console message is a defect of the site. Errors count, except a failed load of the page's own
    document (a 403/404 page a test visits on purpose) and of another origin's resource (map tiles on a machine
    without network): a missing favicon, script or style sheet of the site, or an htmx syntax error, all count."""
    if message.type != "error":
        return False
    if not message.text.startswith("Failed to load resource"):
        return True
    resource = str((message.location or {}).get("url", ""))
    page_url = message.page.url if message.page else ""
    same_origin = urlsplit(resource).netloc == urlsplit(page_url).netloc
    return same_origin and resource.split("#")[0] != page_url.split("#")[0]


def format_console_errors(errors: list[str]) -> str:
    return f"{len(errors)} erreur(s) dans la console du navigateur :\n" + "\n".join(f"- {e}" for e in errors)


@pytest.fixture
def new_context(browser: Any, request: pytest.FixtureRequest) -> Iterator[Callable[..., Any]]:
    """Open browser contexts (French, Paris time by default); on failure, save a screenshot of each page.
    Any error in the console of any page (a script error, an htmx syntax error, a resource of the site that
    does not load) fails the test once it ends."""
    contexts: list[Any] = []
    console_errors: list[str] = []

    def record(message: Any) -> None:
        if is_console_error(message):
            where = message.page.url if message.page else "?"
            console_errors.append(f"{where} : {message.text} {message.location.get('url', '')}".rstrip())

    def factory(**options: Any) -> Any:
        settings: dict[str, Any] = {"locale": "fr-FR", "timezone_id": "Europe/Paris", **DESKTOP, **options}
        context = browser.new_context(**settings)
        context.set_default_timeout(DEFAULT_TIMEOUT_MS)
        context.on("console", record)
        context.on(
            "weberror", lambda error: console_errors.append(f"{error.page.url if error.page else '?'} : {error.error}")
        )
        contexts.append(context)
        return context

    yield factory
    reports = request.node.stash.get(_reports, {})
    if any(report.failed for report in reports.values()):
        _save_failure_artefacts(request.node.nodeid, contexts)
    for context in contexts:
        context.close()
    expected = request.node.get_closest_marker("console_errors_expected") is not None
    if console_errors and not expected and not any(report.failed for report in reports.values()):
        pytest.fail(format_console_errors(console_errors), pytrace=False)


def _save_failure_artefacts(nodeid: str, contexts: list[Any]) -> None:
    RESULTS_DIR.mkdir(exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_.-]+", "_", nodeid).strip("_")
    pages = [page for context in contexts for page in context.pages]
    for index, page in enumerate(pages):
        suffix = f"-{index}" if len(pages) > 1 else ""
        try:
            page.screenshot(path=str(RESULTS_DIR / f"{stem}{suffix}.png"), full_page=True)
            (RESULTS_DIR / f"{stem}{suffix}.html").write_text(page.content(), encoding="utf-8")
        except Exception as exc:  # a crashed page must not hide the test's own failure
            print(f"Capture d'écran impossible pour {nodeid}: {exc}")


@pytest.fixture(params=["desktop"])
def page(request: pytest.FixtureRequest, new_context: Callable[..., Any]) -> Any:
    """A page in a fresh French context; parametrize indirectly with "mobile" for a phone viewport."""
    viewport = MOBILE if request.param == "mobile" else DESKTOP
    return new_context(**viewport).new_page()


@pytest.fixture
def nojs_page(new_context: Callable[..., Any]) -> Any:
    """A page whose context runs no JavaScript at all: every action must still work."""
    return new_context(java_script_enabled=False).new_page()


@pytest.fixture
def server(live_server: Any) -> str:
    """The live server's base URL (no trailing slash)."""
    return str(live_server.url).rstrip("/")


@pytest.fixture
def offline_maps(settings: Any) -> None:
    """Maps without network: blank tiles, and no geocoder (the forms work without it)."""
    settings.PARTICIPE_MAP_TILES_URL = BLANK_TILE
    settings.PARTICIPE_GEOCODER_URL = ""
