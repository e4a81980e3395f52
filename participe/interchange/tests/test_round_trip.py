"""The demo goes out and back in, and its second export is the first, byte for byte (docs/reversibility.md)."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.apps import apps
from django.core.management import call_command

from participe.accounts.models import User
from participe.backoffice.demo import load_demo
from participe.interchange.contracts import entities
from participe.interchange.exporting import export_platform
from participe.interchange.importing import import_platform
from participe.interchange.tests.helpers import assert_same_archive, carried_rows, wipe

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        load_demo()


def test_the_demo_round_trips_identical(demo, settings, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    manifest = export_platform(first)
    counts = {item["entity"]: item["count"] for item in manifest["entities"]}
    # The demo's modules, shared services and audit log are all in it.
    for label in ("proposals.Proposal", "comments.Comment", "ballots.Ballot", "activity.AuditEntry", "surveys.Answer"):
        assert counts[label] > 0, label
    assert manifest["media"], "the demo's pictures and attachments"
    wipe()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    import_platform(first)
    assert carried_rows() == sum(counts.values())
    assert (tmp_path / "fresh-media" / manifest["media"][0]["path"]).is_file()

    export_platform(second)
    assert_same_archive(first, second)


def test_the_command_reindexes_search_and_tells_what_it_did(demo, settings, tmp_path):
    call_command("export_platform", tmp_path / "out", stdout=StringIO())
    wipe()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    out = StringIO()
    call_command("import_platform", tmp_path / "out", stdout=out)
    assert "Archive importée" in out.getvalue()
    assert "objets indexés" in out.getvalue()
    assert apps.get_model("search", "SearchEntry").objects.exists()  # rebuilt: the archive leaves the index out


def test_passwords_are_carried_only_when_asked(demo, settings, tmp_path):
    export_platform(tmp_path / "plain")
    export_platform(tmp_path / "full", with_credentials=True)
    plain = [json.loads(line) for line in (tmp_path / "plain/entities/accounts.User.jsonl").read_text().splitlines()]
    full = [json.loads(line) for line in (tmp_path / "full/entities/accounts.User.jsonl").read_text().splitlines()]
    assert {row["password"] for row in plain} == {"!"}
    assert any(row["password"].startswith(("pbkdf2", "argon2", "md5", "scrypt")) for row in full)
    assert not (tmp_path / "plain/entities/mfa.Authenticator.jsonl").exists()
    assert (tmp_path / "full/entities/mfa.Authenticator.jsonl").exists()
    manifest = json.loads((tmp_path / "plain/manifest.json").read_text())
    assert "mfa.Authenticator" in manifest["excluded"]

    wipe()
    settings.MEDIA_ROOT = tmp_path / "fresh-media"
    import_platform(tmp_path / "plain")
    assert not any(user.has_usable_password() for user in User.objects.all())


def test_every_module_and_shared_service_is_carried():
    labels = {found.label for found in entities()}
    for label in (
        "organisation.Organisation",
        "organisation.Territory",
        "accounts.User",
        "spaces.Space",
        "spaces.Module",
        "spaces.Phase",
        "spaces.Space_territories",  # a many-to-many table
        "comments.Comment",
        "supports.Support",
        "attachments.Attachment",
        "notifications.NotificationPreference",
        "notifications.Follow",
        "moderation.ModerationCase",
        "verifications.Verification",
        "ballots.Ballot",
        "activity.AuditEntry",
        "testapp.Item",  # an app nobody declared: carried whole, by default
    ):
        assert label in labels, label
    for label in ("sessions.Session", "django_tasks_database.DBTaskResult", "search.SearchEntry", "surveys.ExportJob"):
        assert label not in labels, label
    order = [found.label for found in entities()]
    assert order.index("organisation.Territory") < order.index("accounts.User") < order.index("spaces.Space")
    assert order.index("spaces.Module") < order.index("proposals.Proposal") < order.index("proposals.StatusChange")
