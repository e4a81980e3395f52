"""`python -m audit [--short] [--only axe,api,authz,xss]`: the sweeps over a fresh demo, one report."""

from __future__ import annotations

import argparse
import json
import sys
import time
from typing import Any

from audit.common import REPORTS, Server, configure_environment, fresh_demo_database

SWEEPS = ("authz", "api", "axe", "xss")


def main() -> int:
    parser = argparse.ArgumentParser(description="Accessibility, API, authorization and XSS sweeps over the demo.")
    parser.add_argument("--short", action="store_true", help="bounded version (CI): fewer pages and examples")
    parser.add_argument("--only", default=",".join(SWEEPS), help=f"comma-separated subset of {','.join(SWEEPS)}")
    parser.add_argument("--pages", type=int, default=0, help="pages per crawl (default 300, short 8)")
    args = parser.parse_args()
    wanted = [s for s in args.only.split(",") if s]
    pages = args.pages or (8 if args.short else 300)
    configure_environment()
    started = time.monotonic()
    fresh_demo_database()
    import django

    django.setup()
    from audit.fixtures import prepare

    prepare()
    server = Server()
    base = server.start()
    reports: dict[str, Any] = {}
    lines: list[str] = []
    failed = False
    try:
        for name in wanted:
            began = time.monotonic()
            module, report = run_one(name, base, args.short, pages)
            reports[name] = report
            block = [*module.summary(report), f"  ({time.monotonic() - began:.0f} s)", ""]
            print("\n".join(block), flush=True)
            lines += block
            failed = failed or module.failed(report)
    finally:
        server.stop()
    (REPORTS / "audit.json").write_text(json.dumps(reports, indent=2, default=str))
    (REPORTS / "audit.txt").write_text("\n".join(lines))
    if "authz" in reports:
        from audit.authz import markdown

        (REPORTS / "authz-matrix.md").write_text(markdown(reports["authz"]))
    verdict = "FAILED" if failed else "passed"
    print(f"Audit {verdict} in {time.monotonic() - started:.0f} s; reports in {REPORTS}")
    return 1 if failed else 0


def run_one(name: str, base: str, short: bool, pages: int) -> tuple[Any, Any]:
    if name == "authz":
        from audit import authz

        return authz, authz.sweep(base)
    if name == "api":
        from audit import api

        return api, api.sweep(base, max_examples=5 if short else 50, max_time=20 if short else 180, short=short)
    if name == "axe":
        from audit import accessibility

        return accessibility, accessibility.sweep(base, pages)
    if name == "xss":
        from audit import xss

        return xss, xss.sweep(base, forms=6 if short else 200, pages=pages)
    raise SystemExit(f"Unknown sweep {name!r}: choose among {', '.join(SWEEPS)}")


if __name__ == "__main__":
    sys.exit(main())
