"""The authorization matrix (``python -m audit --only authz``) over attachments: outcomes of the URLs that do not
name a file. The URLs of one file are filled and declared by the module whose items carry the files (the
proposals module: a file on a draft and one on a published proposal). See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

from audit.expectations import row

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "attachments:add": row("login", "forbidden", "ok", "forbidden", "ok", "ok"),
    "api:attachment_list": {"*": {"ok"}},
    "api:attachment_upload": {"*": {"ok"}},
}
