"""Page weight: compressed bytes of the HTML, CSS and JavaScript each public page transfers (bench/run.py), and
the HTML of every public page of a running site against the 100 KB budget (run this file, issue #18)."""

from __future__ import annotations

import gzip
import re
from typing import Any
from urllib.parse import urljoin

import requests

BUDGET_BYTES = 100 * 1024
ASSET = re.compile(
    r'<(?:link[^>]+rel="stylesheet"[^>]+href|script[^>]+src)="([^"]+)"|<link[^>]+href="([^"]+)"[^>]+rel="stylesheet"'
)
HEADERS = {"Accept-Encoding": "br, gzip", "Accept-Language": "fr"}


def _transferred(session: requests.Session, url: str) -> tuple[int, str, str]:
    """(bytes on the wire, content encoding, decoded text) of one response."""
    response = session.get(url, headers=HEADERS, stream=True, timeout=30)
    raw = response.raw.read(decode_content=False)
    encoding = response.headers.get("Content-Encoding", "identity")
    is_html = "html" in response.headers.get("Content-Type", "")
    if encoding == "identity":
        # Dynamic responses leave the application uncompressed; the front server compresses them (gzip -6).
        text = raw.decode("utf-8", "replace") if is_html else ""
        return len(gzip.compress(raw, 6)), "gzip (front server, estimated)", text
    text = session.get(url, headers={"Accept-Language": "fr"}, timeout=30).text if is_html else ""
    return len(raw), encoding, text


def page_weights(base: str, paths: list[str]) -> list[dict[str, Any]]:
    """For each path: HTML bytes, CSS+JS bytes (each asset counted once per page), total, within budget."""
    session = requests.Session()
    rows = []
    for path in paths:
        html_bytes, encoding, text = _transferred(session, urljoin(base, path))
        assets = {a or b for a, b in ASSET.findall(text)}
        asset_bytes = 0
        for asset in sorted(assets):
            if asset.startswith(("http:", "https:", "//")) and not asset.startswith(base):
                continue  # third-party: none expected (CSP forbids them)
            asset_bytes += _transferred(session, urljoin(base, asset))[0]
        total = html_bytes + asset_bytes
        rows.append(
            {
                "path": path,
                "html_bytes": html_bytes,
                "html_encoding": encoding,
                "assets": len(assets),
                "asset_bytes": asset_bytes,
                "total_bytes": total,
                "within_budget": total <= BUDGET_BYTES,
            }
        )
    return rows


# --- every public page of a running site: python bench/page_weight.py [--base URL] [--pages N] -----------------
# Issue #18: each public page is under 100 KB of HTML (images excluded), as sent before compression. The crawl
# starts from the home page and follows the site's own links, leaving out the back-office, accounts, the API,
# files and actions (exports, feeds, forms that need an account).
HTML_BUDGET_BYTES = 100 * 1024
SKIP = re.compile(
    r"^/(gestion|compte|api|admin|static|media|fichiers|pieces-jointes|open311|i18n|theme\.css|favicon)"
    r"|\.(csv|json|geojson|xlsx|ods|pdf|pb|ics|xml|zip)(\?|$)|/(deposer|modifier|supprimer|retirer|signaler|suivre)/"
)
LINK = re.compile(r'<a\s[^>]*href="(/[^"#]*)"')


def crawl(base: str, limit: int) -> list[dict[str, Any]]:
    """Weigh up to ``limit`` public pages reached from the home page: HTML bytes as sent and gzip-compressed."""
    session = requests.Session()
    queue, seen, rows = ["/"], {"/"}, []
    while queue and len(rows) < limit:
        path = queue.pop(0)
        response = session.get(urljoin(base, path), headers={"Accept-Language": "fr"}, timeout=60)
        if response.status_code != 200 or "html" not in response.headers.get("Content-Type", ""):
            continue
        raw = response.content
        rows.append({"path": path, "html_bytes": len(raw), "gzip_bytes": len(gzip.compress(raw, 6))})
        for link in LINK.findall(response.text):
            link = link.replace("&amp;", "&")
            if link not in seen and not SKIP.search(link) and link.count("?") <= 1:
                seen.add(link)
                queue.append(link)
    return rows


def main() -> int:
    import argparse

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--base", default="http://127.0.0.1:8000/", help="the running site (make demo)")
    parser.add_argument("--pages", type=int, default=80, help="at most this many pages")
    args = parser.parse_args()
    rows = crawl(args.base, args.pages)
    over = [row for row in rows if row["html_bytes"] >= HTML_BUDGET_BYTES]
    width = max(len(row["path"]) for row in rows)
    for row in sorted(rows, key=lambda r: -r["html_bytes"]):
        mark = "  OVER" if row in over else ""
        print(
            f"{row['path']:<{width}}  {row['html_bytes'] / 1024:7.1f} KB  (gzip {row['gzip_bytes'] / 1024:5.1f} KB){mark}"
        )
    heaviest = max(rows, key=lambda r: r["html_bytes"])
    print(
        f"{len(rows)} public pages; heaviest {heaviest['path']} {heaviest['html_bytes'] / 1024:.1f} KB of HTML; "
        f"{len(over)} at or over {HTML_BUDGET_BYTES // 1024} KB"
    )
    return 1 if over else 0


if __name__ == "__main__":
    raise SystemExit(main())
