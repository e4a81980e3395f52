"""Page weight: compressed bytes of the HTML, CSS and JavaScript each public page transfers."""

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
