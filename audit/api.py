"""Sweep (2): schemathesis against /api/v1/openapi.json: no server error, responses valid against the schema."""
# ruff: noqa: S603 (the audit runs its own tools with fixed arguments)

from __future__ import annotations

import secrets
import subprocess
from typing import Any

from audit.common import BIN, REPORTS, ROOT, session_cookies

# The targets: no server error, responses valid against the schema. The full run also requires every
# status code to be documented (422 validation errors, 401/403/404 included).
CHECKS = "not_a_server_error,content_type_conformance,response_schema_conformance"
FULL_CHECKS = CHECKS + ",status_code_conformance"


def sweep(base: str, max_examples: int, max_time: int, *, short: bool) -> dict[str, Any]:
    """As a signed-in verified participant (session cookie, and a CSRF token so writes are tried too)."""
    junit = REPORTS / "schemathesis.xml"
    token = secrets.token_hex(16)
    cookies = {**session_cookies("verified"), "csrftoken": token}
    command = [
        str(BIN / "schemathesis"),
        "run",
        f"{base}/api/v1/openapi.json",
        f"--url={base}",
        f"--checks={CHECKS if short else FULL_CHECKS}",
        "--header=Cookie: " + "; ".join(f"{k}={v}" for k, v in cookies.items()),
        f"--header=X-CSRFToken: {token}",
        f"--header=Referer: {base}/",
        f"--max-examples={max_examples}",
        f"--max-time={max_time}",
        "--seed=1",
        "--workers=1",
        "--report=junit",
        f"--report-junit-path={junit}",
        "--no-color",
    ]
    done = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)
    return {"exit_code": done.returncode, "output": done.stdout[-6000:] + done.stderr[-2000:], "junit": str(junit)}


def summary(report: dict[str, Any]) -> list[str]:
    status = "passed" if report["exit_code"] == 0 else f"FAILED (exit {report['exit_code']})"
    lines = [f"schemathesis: {status}"]
    if report["exit_code"]:
        lines += ["  " + line for line in report["output"].splitlines()[-60:]]
    return lines


def failed(report: dict[str, Any]) -> bool:
    return bool(report["exit_code"])
