"""Load an interchange archive into an empty instance (``manage.py import_platform``).

Everything is checked before anything is written: the manifest's format and version, that this instance knows every
entity and field, every file's line count and SHA-256, every media file's size and SHA-256, and that the instance is
empty. Then the rows are loaded in one transaction (foreign keys are checked at its end, so self-references and
cycles load in any order), the primary-key sequences are moved past the loaded keys, and the media files are copied;
an error anywhere rolls the transaction back and removes the files copied. Rows are written raw: no ``save()``, no
signal, ``auto_now`` dates kept as they were.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections, models, transaction
from django.utils.translation import gettext as _

from participe.interchange import archive, codec
from participe.interchange.contracts import Entity, entities, entity
from participe.organisation.models import Organisation, sync_site

BATCH = 500

Progress = Callable[[str, int], None]


def read_manifest(directory: Path) -> dict[str, Any]:
    path = directory / archive.MANIFEST
    if not path.is_file():
        raise archive.ArchiveError(
            [_("Pas de manifest.json dans %(dir)s : ce n'est pas une archive.") % {"dir": directory}]
        )
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise archive.ArchiveError([_("manifest.json est illisible (%(error)s).") % {"error": exc}]) from None
    if not isinstance(manifest, dict) or manifest.get("format") != archive.FORMAT:
        raise archive.ArchiveError([_("manifest.json ne décrit pas une archive d'échange de Participe.")])
    return manifest


def check_version(manifest: dict[str, Any]) -> None:
    ours = archive.parse_version(archive.FORMAT_VERSION)
    try:
        theirs = archive.parse_version(manifest.get("format_version"))
    except ValueError:
        raise archive.ArchiveError(
            [_("Version de format illisible : %(version)r.") % {"version": manifest.get("format_version")}]
        ) from None
    if theirs[0] > ours[0]:
        raise archive.ArchiveError(
            [
                _(
                    "Cette archive est au format %(theirs)s, plus récent que celui que lit cette installation "
                    "(%(ours)s) : mettez d'abord Participe à jour (version %(software)s ou suivante), puis importez."
                )
                % {
                    "theirs": manifest["format_version"],
                    "ours": archive.FORMAT_VERSION,
                    "software": manifest.get("software", {}).get("version", "?"),
                }
            ]
        )
    if theirs[0] < ours[0]:
        raise archive.ArchiveError(
            [
                _("Cette archive est au format %(theirs)s, que cette installation (format %(ours)s) ne lit plus.")
                % {"theirs": manifest["format_version"], "ours": archive.FORMAT_VERSION}
            ]
        )


def _check_schema(item: dict[str, Any]) -> list[str]:
    label = item.get("entity", "?")
    found = entity(label)
    if found is None:
        return [
            _("Entité inconnue de cette installation : %(label)s (un module ou une application manque).")
            % {"label": label}
        ]
    problems = []
    here = {f.name: f for f in found.model._meta.local_concrete_fields}
    theirs = item.get("fields") or {}
    unknown = sorted(set(theirs) - set(here))
    if unknown:
        problems.append(
            _("%(label)s : champs inconnus de cette installation : %(fields)s.")
            % {"label": label, "fields": ", ".join(unknown)}
        )
    required = sorted(
        name
        for name, f in here.items()
        if name not in theirs and not f.null and not f.has_default() and not f.primary_key
    )
    if required:
        problems.append(
            _("%(label)s : l'archive n'a pas les champs obligatoires %(fields)s.")
            % {"label": label, "fields": ", ".join(required)}
        )
    if item.get("file") != found.file:
        problems.append(_("%(label)s : fichier inattendu %(file)r.") % {"label": label, "file": item.get("file")})
    return problems


def _check_entity_file(directory: Path, item: dict[str, Any]) -> list[str]:
    path = directory / str(item.get("file"))
    if not path.is_file():
        return [_("Fichier manquant : %(file)s.") % {"file": item.get("file")}]
    digest = archive.digest_file(path)
    problems = []
    if digest.hexdigest != item.get("sha256"):
        problems.append(
            _("%(file)s : l'empreinte SHA-256 ne correspond pas au manifeste (fichier modifié ou tronqué).")
            % {"file": item["file"]}
        )
    if digest.lines != item.get("count"):
        problems.append(
            _("%(file)s : %(found)s lignes, le manifeste en annonce %(count)s.")
            % {"file": item["file"], "found": digest.lines, "count": item.get("count")}
        )
    return problems


def _check_media(directory: Path, item: dict[str, Any]) -> list[str]:
    name = str(item.get("path", ""))
    if not archive.safe_media_path(name):
        return [_("Nom de fichier refusé dans le manifeste : %(path)r.") % {"path": name}]
    path = directory / "media" / name
    if not path.is_file():
        return [_("Fichier manquant : media/%(path)s.") % {"path": name}]
    digest = archive.digest_file(path)
    if digest.size != item.get("size") or digest.hexdigest != item.get("sha256"):
        return [_("media/%(path)s : taille ou empreinte SHA-256 différente du manifeste.") % {"path": name}]
    if default_storage.exists(name):
        return [_("media/%(path)s existe déjà dans les fichiers de cette installation.") % {"path": name}]
    return []


def _check_empty(using: str) -> list[str]:
    filled = [f"{e.label} ({count})" for e in entities() if (count := e.model._base_manager.using(using).count())]
    if not filled:
        return []
    return [
        _(
            "Cette installation n'est pas vide : %(tables)s. L'import se fait dans une installation neuve : une base "
            "vide, « manage.py migrate », puis l'import, avant toute autre commande ou visite."
        )
        % {"tables": ", ".join(filled)}
    ]


def verify(directory: Path, *, using: str = DEFAULT_DB_ALIAS) -> dict[str, Any]:
    """Check everything, write nothing; return the manifest or raise ``ArchiveError`` with every problem found."""
    manifest = read_manifest(directory)
    check_version(manifest)
    problems: list[str] = []
    items = manifest.get("entities")
    media = manifest.get("media")
    if not isinstance(items, list) or not isinstance(media, list):
        raise archive.ArchiveError([_("manifest.json ne liste pas les entités et les fichiers.")])
    labels = [item.get("entity") for item in items]
    if len(set(labels)) != len(labels):
        problems.append(_("manifest.json liste une entité deux fois."))
    for item in items:
        schema_problems = _check_schema(item)
        problems.extend(schema_problems)
        if not schema_problems:
            problems.extend(_check_entity_file(directory, item))
    for item in media:
        problems.extend(_check_media(directory, item))
    problems.extend(_check_empty(using))
    if problems:
        raise archive.ArchiveError(problems)
    return manifest


def _load_entity(directory: Path, found: Entity, keys: codec.NaturalKeys, using: str) -> int:
    reader = codec.RowReader(found.model, keys)
    fields = list(found.model._meta.local_concrete_fields)
    manager = found.model._base_manager.using(using)
    batch: list[models.Model] = []
    count = 0
    for number, line in enumerate(archive.read_lines(directory / found.file), start=1):
        try:
            batch.append(reader.instance(line))
        except (ValueError, KeyError, TypeError) as exc:
            raise archive.ArchiveError(
                [_("%(file)s, ligne %(line)s : %(error)s") % {"file": found.file, "line": number, "error": exc}]
            ) from None
        if len(batch) >= BATCH:
            manager._insert(batch, fields=fields, raw=True, using=using)  # type: ignore[attr-defined]
            count += len(batch)
            batch = []
    if batch:
        manager._insert(batch, fields=fields, raw=True, using=using)  # type: ignore[attr-defined]
        count += len(batch)
    return count


def _copy_media(directory: Path, media: list[dict[str, Any]], copied: list[str]) -> None:
    for item in media:
        name = item["path"]
        with (directory / "media" / name).open("rb") as source:
            saved = default_storage.save(name, File(source, name=name))
        copied.append(saved)
        if saved != name:
            raise archive.ArchiveError(
                [_("media/%(path)s existe déjà dans les fichiers de cette installation.") % {"path": name}]
            )


def import_platform(
    directory: Path, *, using: str = DEFAULT_DB_ALIAS, progress: Progress | None = None
) -> dict[str, Any]:
    """Verify, then load the archive in one transaction; return its manifest."""
    manifest = verify(directory, using=using)
    present = {item["entity"] for item in manifest["entities"]}
    copied: list[str] = []
    connection = connections[using]
    try:
        with transaction.atomic(using=using):
            keys = codec.NaturalKeys()
            loaded = []
            for found in entities():
                if found.label not in present:
                    continue
                count = _load_entity(directory, found, keys, using)
                loaded.append(found.model)
                if progress:
                    progress(found.label, count)
            statements = connection.ops.sequence_reset_sql(no_style(), loaded)
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)
            _copy_media(directory, manifest["media"], copied)
            _after_load(using)
    except BaseException:
        for name in copied:
            default_storage.delete(name)
        raise
    return manifest


def _after_load(using: str) -> None:
    """What the archive leaves out on purpose and the instance rebuilds: the site's name."""
    organisation = Organisation.objects.using(using).filter(pk=1).first()
    sync_site(organisation.name if organisation else None)
