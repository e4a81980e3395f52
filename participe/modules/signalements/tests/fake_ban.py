"""A small server with the Base Adresse Nationale's API shape (``/search/``, ``/reverse/``, GeoJSON answers), started
by the tests: no local addok runs in the test suite yet (see docs/modules/signalements.md)."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ADDRESSES = [("12 Rue des Lilas 51100 Lumerac", 49.2601, 4.0301), ("3 Place du Marché 51100 Lumerac", 49.2402, 4.0299)]


def _feature(label: str, lat: float, lon: float) -> dict[str, object]:
    return {
        "type": "Feature",
        "geometry": {"type": "Point", "coordinates": [lon, lat]},
        "properties": {"label": label, "score": 0.9, "type": "housenumber"},
    }


class Handler(BaseHTTPRequestHandler):
    def do_GET(self) -> None:
        url = urlsplit(self.path)
        query = {k: v[0] for k, v in parse_qs(url.query).items()}
        if url.path == "/search/":
            words = query.get("q", "").lower()
            found = [_feature(*a) for a in ADDRESSES if words and words.split()[0] in a[0].lower()]
        elif url.path == "/reverse/":
            found = [_feature(*ADDRESSES[0])]
        else:
            self.send_error(404)
            return
        body = json.dumps({"type": "FeatureCollection", "features": found}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: object) -> None:
        return


@contextmanager
def fake_ban() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
