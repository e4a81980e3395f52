"""Write the whole platform into an interchange archive (``manage.py export_platform``), in bounded memory.

Each entity is read in primary-key order by chunks (``iterator(chunk_size=…)``) and written line by line while its
SHA-256 is computed; only the names of the media files are kept until the end (they are copied once, sorted).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files.storage import default_storage
from django.db import transaction
from django.utils.translation import gettext as _

from participe.interchange import archive, codec
from participe.interchange.contracts import entities, excluded

CHUNK_SIZE = 2000

Progress = Callable[[str, int], None]


def _prepare(directory: Path) -> None:
    if directory.exists() and (not directory.is_dir() or any(directory.iterdir())):
        raise archive.ArchiveError(
            [_("Le dossier %(dir)s n'est pas vide : l'archive s'écrit dans un dossier vide.") % {"dir": directory}]
        )
    (directory / "entities").mkdir(parents=True, exist_ok=True)


def export_platform(
    directory: Path, *, with_credentials: bool = False, chunk_size: int = CHUNK_SIZE, progress: Progress | None = None
) -> dict[str, Any]:
    """Write the archive into ``directory`` (absent or empty) and return its manifest."""
    _prepare(directory)
    media: set[str] = set()
    written: list[dict[str, Any]] = []
    left_out: dict[str, str] = {}
    # One snapshot of the database (a transaction: on PostgreSQL REPEATABLE READ is not needed for a platform that
    # is stopped or read-only during the export, which the documentation asks).
    with transaction.atomic():
        keys = codec.NaturalKeys()
        for entity in entities():
            if entity.credential_model and not with_credentials:
                left_out[entity.label] = "credentials: carried only with --with-password-hashes"
                continue
            blanked = () if with_credentials else entity.credential_fields
            writer = codec.RowWriter(entity.model, keys, blanked)
            digest = archive.Digest()
            rows = entity.model._base_manager.order_by("pk").values_list(*writer.columns)
            with (directory / entity.file).open("wb") as out:
                for values in rows.iterator(chunk_size=chunk_size):
                    data = writer.line(values).encode("utf-8")
                    out.write(data)
                    digest.update(data)
                    if writer.files:
                        media.update(writer.file_names(values))
            if progress:
                progress(entity.label, digest.lines)
            written.append(
                {
                    "entity": entity.label,
                    "file": entity.file,
                    "count": digest.lines,
                    "sha256": digest.hexdigest,
                    "fields": codec.schema(entity.model),
                }
            )
    media_entries, missing = _copy_media(directory, sorted(media))
    manifest: dict[str, Any] = {
        "format": archive.FORMAT,
        "format_version": archive.FORMAT_VERSION,
        "software": {"name": "participe", "version": archive.software_version()},
        "exported_at": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "credentials": with_credentials,
        "entities": written,
        "media": media_entries,
        "media_missing": missing,
        "excluded": {**excluded(), **left_out},
    }
    archive.write_manifest(directory, manifest)
    return manifest


def _copy_media(directory: Path, names: list[str]) -> tuple[list[dict[str, Any]], list[str]]:
    entries: list[dict[str, Any]] = []
    missing: list[str] = []
    for name in names:
        if not archive.safe_media_path(name) or not default_storage.exists(name):
            missing.append(name)
            continue
        target = directory / "media" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, target.open("wb") as out:
            digest = archive.digest_stream(source, copy_to=out)
        entries.append({"path": name, "size": digest.size, "sha256": digest.hexdigest})
    return entries, missing
