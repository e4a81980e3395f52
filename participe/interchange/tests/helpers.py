"""Shared steps of the interchange tests."""

from __future__ import annotations

import json
from pathlib import Path

from django.db import DEFAULT_DB_ALIAS

from participe.interchange.archive import MANIFEST
from participe.interchange.contracts import entities


def wipe(using: str = DEFAULT_DB_ALIAS) -> None:
    """Empty every carried table, as a freshly migrated database has them (foreign keys are checked at commit)."""
    for found in reversed(entities()):
        found.model._base_manager.using(using).all()._raw_delete(using)


def carried_rows(using: str = DEFAULT_DB_ALIAS) -> int:
    return sum(found.model._base_manager.using(using).count() for found in entities())


def files_of(directory: Path) -> dict[str, bytes]:
    """Every file of an archive by relative path, the manifest without its date."""
    found = {}
    for path in sorted(directory.rglob("*")):
        if path.is_file():
            found[str(path.relative_to(directory))] = path.read_bytes()
    manifest = json.loads(found.pop(MANIFEST))
    manifest.pop("exported_at")
    found[MANIFEST] = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
    return found


def assert_same_archive(first: Path, second: Path) -> None:
    a, b = files_of(first), files_of(second)
    assert sorted(a) == sorted(b)
    different = [name for name in a if a[name] != b[name]]
    assert different == [], different
