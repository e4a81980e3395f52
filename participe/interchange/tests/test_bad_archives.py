"""A tampered, truncated, incomplete or newer archive, or a target that is not empty: refused before any write."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from django.core.management.base import CommandError

from participe.interchange import importing
from participe.interchange.archive import ArchiveError
from participe.interchange.exporting import export_platform
from participe.interchange.importing import import_platform
from participe.interchange.tests.helpers import carried_rows, wipe
from participe.spaces.models import SpaceDocument
from tests.factories import ModuleFactory, PhaseFactory, SpaceFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db

USERS = "entities/accounts.User.jsonl"


@pytest.fixture
def archive(settings, tmp_path) -> Path:
    """A small platform exported, then the database emptied and a fresh media folder: ready for an import."""
    territory = TerritoryFactory(parent=TerritoryFactory())
    UserFactory(territory=territory)
    UserFactory()
    space = SpaceFactory()
    space.territories.add(territory)
    PhaseFactory(module=ModuleFactory(space=space))
    SpaceDocument.objects.create(space=space, title="Compte rendu", file=ContentFile(b"%PDF-1.4 cr", name="cr.pdf"))
    directory = tmp_path / "archive"
    export_platform(directory)
    wipe()
    settings.MEDIA_ROOT = tmp_path / "target-media"
    return directory


def nothing_written(tmp_path: Path) -> bool:
    media = tmp_path / "target-media"
    return carried_rows() == 0 and not (media.exists() and any(p.is_file() for p in media.rglob("*")))


def refused(directory: Path) -> str:
    with pytest.raises(ArchiveError) as caught:
        import_platform(directory)
    return "\n".join(caught.value.problems)


def manifest_of(directory: Path) -> dict:
    return json.loads((directory / "manifest.json").read_text())


def rewrite_manifest(directory: Path, manifest: dict) -> None:
    (directory / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False, indent=1))


def test_the_archive_loads(archive, tmp_path):
    import_platform(archive)
    assert carried_rows() > 0
    assert SpaceDocument.objects.get().file.read() == b"%PDF-1.4 cr"


def test_a_tampered_file_is_refused_before_anything_is_written(archive, tmp_path):
    path = archive / USERS
    path.write_text(path.read_text().replace('"is_org_admin":false', '"is_org_admin":true', 1))
    assert "SHA-256" in refused(archive)
    assert nothing_written(tmp_path)


def test_a_truncated_file_is_refused(archive, tmp_path):
    path = archive / USERS
    lines = path.read_bytes().splitlines(keepends=True)
    path.write_bytes(b"".join(lines[:-1]) + lines[-1][:10])
    message = refused(archive)
    assert "SHA-256" in message
    assert "lignes, le manifeste en annonce 2" in message
    assert nothing_written(tmp_path)


def test_a_missing_file_is_refused(archive, tmp_path):
    (archive / USERS).unlink()
    assert f"Fichier manquant : {USERS}" in refused(archive)
    assert nothing_written(tmp_path)


def test_a_tampered_media_file_is_refused(archive, tmp_path):
    name = manifest_of(archive)["media"][0]["path"]
    (archive / "media" / name).write_bytes(b"%PDF-1.4 autre")
    assert f"media/{name}" in refused(archive)
    assert nothing_written(tmp_path)


def test_a_newer_format_is_refused_with_what_to_do(archive, tmp_path):
    manifest = manifest_of(archive)
    manifest["format_version"] = "2.0"
    rewrite_manifest(archive, manifest)
    message = refused(archive)
    assert "format 2.0, plus récent" in message
    assert "mettez d'abord Participe à jour" in message
    assert nothing_written(tmp_path)


def test_a_newer_minor_version_with_known_fields_loads(archive):
    manifest = manifest_of(archive)
    manifest["format_version"] = "1.7"
    rewrite_manifest(archive, manifest)
    import_platform(archive)
    assert carried_rows() > 0


def test_an_unknown_entity_or_field_is_refused(archive, tmp_path):
    manifest = manifest_of(archive)
    manifest["entities"][0]["fields"]["colour_of_the_sky"] = {"type": "CharField", "null": False}
    manifest["entities"].append({"entity": "elsewhere.Thing", "file": "entities/elsewhere.Thing.jsonl"})
    rewrite_manifest(archive, manifest)
    message = refused(archive)
    assert "colour_of_the_sky" in message
    assert "Entité inconnue de cette installation : elsewhere.Thing" in message
    assert nothing_written(tmp_path)


def test_a_target_that_is_not_empty_is_refused(archive, tmp_path):
    UserFactory()
    before = carried_rows()
    message = refused(archive)
    assert "n'est pas vide : " in message
    assert "accounts.User (1)" in message
    assert carried_rows() == before


def test_a_failure_while_loading_leaves_nothing_half_imported(archive, tmp_path, monkeypatch):
    # A row the checksums vouch for but this instance cannot read (a date that is not one): found while loading.
    path = archive / "entities/spaces.Phase.jsonl"
    path.write_text(path.read_text().replace('"start":"', '"start":"not a date', 1))
    manifest = manifest_of(archive)
    for item in manifest["entities"]:
        if item["entity"] == "spaces.Phase":
            item["sha256"] = hashlib.sha256(path.read_bytes()).hexdigest()
    rewrite_manifest(archive, manifest)
    assert "entities/spaces.Phase.jsonl, ligne 1" in refused(archive)
    assert nothing_written(tmp_path)


def test_media_copied_are_removed_when_the_last_step_fails(archive, tmp_path, monkeypatch):
    def broken(using):
        raise RuntimeError("disk full")

    monkeypatch.setattr(importing, "_after_load", broken)
    with pytest.raises(RuntimeError):
        import_platform(archive)
    assert nothing_written(tmp_path)


def test_the_command_says_why_it_refused(archive):
    (archive / USERS).unlink()
    with pytest.raises(CommandError, match="Import refusé, rien n'a été écrit"):
        call_command("import_platform", archive)


def test_export_refuses_a_folder_that_is_not_empty(tmp_path):
    (tmp_path / "something").write_text("x")
    with pytest.raises(CommandError, match="n'est pas vide"):
        call_command("export_platform", tmp_path)
