"""What the sweeps share: a throwaway demo database, a production-like server, a session per role, a crawler."""
# ruff: noqa: S603 (the audit runs its own tools with fixed arguments)

from __future__ import annotations

import atexit
import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass, field
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
# AUDIT_DIR: where the database, the server's log and the reports go (several runs side by side need one each).
VAR = Path(os.environ.get("AUDIT_DIR") or ROOT / "var" / "audit").resolve()
REPORTS = VAR / "reports"
ROLES = ("anonymous", "participant", "verified", "moderator", "agent", "admin", "staff_nomfa")
# The demo's accounts (participe/backoffice/demo.py) for each role. "staff_nomfa" is the organisation administrator
# in a session that passed only the password (their authenticator's code not typed): a resident everywhere.
ROLE_EMAILS = {
    "participant": "karim@example.org",
    "verified": "camille@example.org",
    "moderator": "moderation@lumerac.example",
    "agent": "agent@lumerac.example",
    "admin": "admin@lumerac.example",
    "staff_nomfa": "admin@lumerac.example",
}
# Links a crawler must not follow: assets, the API (swept by schemathesis), actions that end the session
# or change who the user acts for, downloads.
SKIP = re.compile(
    r"^/(static|media|api)/|/langue/|logout|deconnexion|/terminer/|/participer/|export|telecharger|download"
    r"|\.(csv|json|xlsx|ods|zip|pdf|geojson|ics|xml|css|js|png|jpe?g|svg)$",
    re.I,
)


def configure_environment() -> None:
    """Environment of both this process (Django set up for sessions and lookups) and the server."""
    VAR.mkdir(parents=True, exist_ok=True)
    REPORTS.mkdir(parents=True, exist_ok=True)
    secret = VAR / "secret_key"
    if not secret.exists():
        secret.write_text(secrets.token_urlsafe(64))
        secret.chmod(0o600)
    os.environ.update(
        {
            "DJANGO_SETTINGS_MODULE": "audit.settings",
            "DJANGO_DEBUG": "0",
            "SITE_URL": "http://127.0.0.1:8000",
            "SECRET_KEY": secret.read_text().strip(),
            "ALLOWED_HOSTS": "127.0.0.1",
            "DATABASE_URL": f"sqlite:///{VAR / 'audit.sqlite3'}",
            "STATIC_ROOT": str(VAR / "static"),
            "MEDIA_ROOT": str(VAR / "media"),
            "PARTICIPE_VAR_DIR": str(VAR),
            "PARTICIPE_DEMO": "1",  # the sweeps run over the demo (load_demo refuses a production install)
            "PYTHONPATH": str(ROOT),
            "DJANGO_ALLOW_ASYNC_UNSAFE": "true",  # Playwright's sync API runs an event loop in this thread
        }
    )
    sys.path.insert(0, str(ROOT))


def manage(*args: str) -> None:
    subprocess.run([str(BIN / "python"), "manage.py", *args], cwd=ROOT, check=True)


def fresh_demo_database() -> None:
    """A new SQLite file with the demo (each audit starts from the same data, and may dirty it)."""
    for suffix in ("", "-wal", "-shm"):
        Path(f"{VAR / 'audit.sqlite3'}{suffix}").unlink(missing_ok=True)
    manage("migrate", "--noinput", "-v", "0")
    manage("createcachetable")
    manage("collectstatic", "--noinput", "-v", "0")
    manage("load_demo")


@dataclass
class Server:
    base: str = ""
    process: subprocess.Popen[bytes] | None = None

    def start(self, workers: int = 2) -> str:
        port = free_port()
        log = open(VAR / "gunicorn.log", "ab")  # noqa: SIM115 (kept open for the server's lifetime)
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "participe.wsgi:application", f"--bind=127.0.0.1:{port}", f"--workers={workers}",
             "--log-level=warning", "--timeout=60"],
            cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip
        atexit.register(self.stop)
        self.base = f"http://127.0.0.1:{port}"
        import requests

        for _ in range(120):
            time.sleep(0.5)
            try:
                requests.get(self.base + "/", timeout=15)
                return self.base
            except requests.RequestException:  # not listening yet, or busy starting (a loaded machine)
                continue
        raise SystemExit(f"gunicorn did not start (see {VAR / 'gunicorn.log'})")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


def free_port() -> int:
    """AUDIT_PORT if set, else a free port the system picks (its ephemeral range, never a development server's)."""
    wanted = os.environ.get("AUDIT_PORT", "")
    if wanted:
        if not wanted.isdigit() or not 1024 <= int(wanted) <= 65535:
            raise SystemExit(f"AUDIT_PORT must be a port number between 1024 and 65535, not {wanted!r}")
        return int(wanted)
    while True:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = int(sock.getsockname()[1])
        if port not in (8000, 8080):
            return port


def session_cookies(role: str) -> dict[str, str]:
    """Cookies of a signed-in session for the role (Django's test client writes the session in the database); the
    staff's sessions passed the second factor (their authenticator's code), but "staff_nomfa"'s."""
    if role == "anonymous":
        return {}
    from django.test import Client

    from participe.accounts.models import User
    from tests.sessions import pass_second_factor

    client = Client()
    user = User.objects.get(email=ROLE_EMAILS[role])
    client.force_login(user)
    if role != "staff_nomfa":
        pass_second_factor(client, user)
    return {name: morsel.value for name, morsel in client.cookies.items()}


def http_session(role: str, language: str = "fr") -> Any:
    import requests
    from django.conf import settings

    session = requests.Session()
    for name, value in session_cookies(role).items():
        session.cookies.set(name, value, domain="127.0.0.1")
    session.cookies.set(settings.LANGUAGE_COOKIE_NAME, language, domain="127.0.0.1")
    return session


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.links: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.links.append(href)


def links_of(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.links


@dataclass
class CrawlResult:
    pages: list[str] = field(default_factory=list)  # paths (with query) that answered HTML 200
    errors: list[str] = field(default_factory=list)  # "status path (from page)"


def _site_links(base: str, path: str, html: str, seen: set[str], variants: dict[str, int], cap: int) -> list[str]:
    found = []
    for href in links_of(html):
        url = urlsplit(urljoin(base + path, href))
        if url.scheme not in ("http", "https") or url.netloc != urlsplit(base).netloc:
            continue  # mailto:, tel:, other sites
        target = url.path + (f"?{url.query}" if url.query else "")
        if SKIP.search(url.path) or target in seen:
            continue
        if url.query:
            variants[url.path] = variants.get(url.path, 0) + 1
            if variants[url.path] > cap:
                continue
        found.append(target)
    return found


def crawl(session: Any, base: str, starts: list[str], limit: int, queries_per_path: int = 2) -> CrawlResult:
    """Breadth-first over same-site links; a path's query-string variants are capped (filters multiply)."""
    import requests

    result = CrawlResult()
    queue: list[tuple[str, str]] = [(s, "start") for s in starts]
    seen: set[str] = set()
    variants: dict[str, int] = {}
    while queue and len(result.pages) < limit:
        path, origin = queue.pop(0)
        if path in seen:
            continue
        seen.add(path)
        try:
            response = session.get(base + path, timeout=30, allow_redirects=False)
        except requests.RequestException as exc:
            result.errors.append(f"ERR {path} (linked from {origin}): {exc}")
            continue
        if response.status_code >= 400:
            result.errors.append(f"{response.status_code} {path} (linked from {origin})")
            continue
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        result.pages.append(path)
        queue += [(target, path) for target in _site_links(base, path, response.text, seen, variants, queries_per_path)]
    return result
