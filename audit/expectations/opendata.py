"""The authorization matrix over the open-data catalogue: open to everyone; a file is served only when its module
publishes it (the demo's idea box does), else 404."""

from __future__ import annotations

from typing import Any

EXPECTATIONS: dict[str, dict[str, set[str]]] = {
    "opendata:catalogue": {"*": {"ok"}},
    "opendata:download": {"*": {"ok"}},
    "api:dataset_list": {"*": {"ok"}},
}


def _published_file() -> dict[str, Any] | None:
    from participe.opendata.selectors import datasets

    found = next(iter(datasets()), None)
    if found is None:
        return None
    return {
        "slug": found.space.slug,
        "module_slug": found.module.slug,
        "export": found.export.key,
        "fmt": found.export.formats[0],
    }


PARAMS = {"opendata:download": _published_file}
