"""The authorization matrix (``python -m audit --only authz``) over search: open to everyone (results are filtered
per user by the selectors). See docs/benchmarks.md, "Sweeps".
"""

from __future__ import annotations

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "search:search": {"*": {"ok"}},
    "api:search": {"*": {"ok"}},
}
