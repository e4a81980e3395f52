"""The interchange archive: its format's name and version, its manifest, the checks of its files.

An archive is a folder::

    manifest.json                       what is in it, and how to check it
    entities/<app_label>.<Model>.jsonl  one file per entity (model), one JSON object per line, ordered by primary key
    media/<storage name>                the files the rows name, at their storage name

docs/reversibility.md describes each part.
"""

from __future__ import annotations

import hashlib
import json
import tomllib
from collections.abc import Iterator
from importlib import metadata
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from django.conf import settings

FORMAT = "participe-interchange"
# major.minor: a reader of 1.x reads every 1.y with y ≤ x, and a 1.y with y > x whose entities and fields it knows
# (a minor version only adds); a new major version changes the meaning of what was there, and an older reader refuses.
FORMAT_VERSION = "1.0"
MANIFEST = "manifest.json"
CHUNK = 1024 * 1024


class ArchiveError(Exception):
    """The archive cannot be read or loaded here; ``problems`` says every reason found."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__("\n".join(problems))
        self.problems = problems


def software_version() -> str:
    try:
        return metadata.version("participe")
    except metadata.PackageNotFoundError:
        pass
    pyproject = Path(settings.BASE_DIR) / "pyproject.toml"
    try:
        return str(tomllib.loads(pyproject.read_text())["project"]["version"])
    except (OSError, KeyError, tomllib.TOMLDecodeError):
        return "unknown"


def parse_version(text: Any) -> tuple[int, int]:
    major, minor = str(text).split(".")
    return int(major), int(minor)


def safe_media_path(name: str) -> bool:
    """A storage name that stays inside the media folder."""
    path = PurePosixPath(name)
    return bool(name) and not path.is_absolute() and ".." not in path.parts and "\\" not in name


class Digest:
    """A file's SHA-256, size and line count, computed while it is written or read."""

    def __init__(self) -> None:
        self.hash = hashlib.sha256()
        self.size = 0
        self.lines = 0

    def update(self, data: bytes) -> None:
        self.hash.update(data)
        self.size += len(data)
        self.lines += data.count(b"\n")

    @property
    def hexdigest(self) -> str:
        return self.hash.hexdigest()


def digest_stream(stream: Any, copy_to: BinaryIO | None = None) -> Digest:
    digest = Digest()
    while chunk := stream.read(CHUNK):
        digest.update(chunk)
        if copy_to is not None:
            copy_to.write(chunk)
    return digest


def digest_file(path: Path) -> Digest:
    with path.open("rb") as stream:
        return digest_stream(stream)


def checked_part(manifest: dict[str, Any]) -> dict[str, Any]:
    """The manifest without its date: what two exports of the same data share, byte for byte."""
    return {key: value for key, value in manifest.items() if key != "exported_at"}


def manifest_fingerprint(manifest: dict[str, Any]) -> str:
    """The SHA-256 of the manifest's dateless part, to write down beside the archive (it vouches for every file)."""
    text = json.dumps(checked_part(manifest), sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def write_manifest(directory: Path, manifest: dict[str, Any]) -> None:
    text = json.dumps(manifest, ensure_ascii=False, indent=1) + "\n"
    (directory / MANIFEST).write_text(text, encoding="utf-8")


def read_lines(path: Path) -> Iterator[str]:
    with path.open(encoding="utf-8", newline="\n") as stream:
        yield from stream
