"""The Decidim import: the recent and the older column sets, the check that writes nothing, the import of the good
rows in one transaction, the report (counts, ignored columns, bad rows), bad archives, and a second import."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command

from participe.accounts.models import User
from participe.comments.models import Comment
from participe.commitments.models import Commitment, Status
from participe.decidim_import.models import ArchiveImport, ImportedObject
from participe.decidim_import.reader import ArchiveError
from participe.decidim_import.services import AlreadyImported, archive_check, archive_import
from participe.decidim_import.tests import samples
from participe.modules.meetings.models import Meeting
from participe.modules.proposals.models import Proposal
from participe.permissions.refusals import Refused
from participe.spaces.models import Module, Space
from tests.factories import UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin():
    return make_org_admin(email="admin@lumerac.example")


def counts():
    return (
        Space.objects.count(),
        Proposal.objects.count(),
        Comment.objects.count(),
        Meeting.objects.count(),
        Commitment.objects.count(),
        User.objects.exclude(imported_from="").count(),
    )


def test_the_check_reports_everything_and_writes_nothing(admin):
    before = counts()
    report = archive_check(actor=admin, data=samples.recent_archive(), filename="lumerac.zip")
    assert counts() == before
    assert not ImportedObject.objects.exists() and not ArchiveImport.objects.exists()
    assert report.source == samples.HOST
    assert report.counts == {
        "spaces": 2,
        "participants": 4,
        "proposals": 4,
        "comments": 4,
        "meetings": 2,
        "commitments": 2,
    }
    proposals_file = f"{samples.HOST}-open-data-proposals.csv"
    assert report.ignored_columns[proposals_file] == [
        "votes",
        "comments",
        "follows_count",
        "category/id",
        "couleur_preferee",
    ]
    reasons = {(b.filename.split("-open-data-")[1], b.decidim_id): b.reason for b in report.bad_rows}
    assert "date illisible « le 3 mars »" in reasons[("proposals.csv", "104")]
    assert "titre est vide" in reasons[("proposals.csv", "105")]
    assert "n'est pas dans l'archive" in reasons[("proposal_comments.csv", "905")]
    assert "777" in reasons[("proposal_comments.csv", "906")]
    assert "fin doit être après le début" in reasons[("meetings.csv", "303")]
    assert "démarche manque" in reasons[("results.csv", "603")]
    assert len(report.bad_rows) == 6
    assert any("debates" in line for line in report.not_taken)


def test_the_import_keeps_the_good_rows_with_their_stances_answers_and_authors(admin):
    report = archive_import(actor=admin, data=samples.recent_archive(), filename="lumerac.zip")
    assert report.counts["proposals"] == 4 and len(report.bad_rows) == 6
    budget = Space.objects.get(title="Budget participatif 2024")
    assert budget.status == Space.Status.DRAFT and budget.kind == Space.Kind.PROCESS
    assert budget.start_date.isoformat() == "2024-01-15"
    module = Module.objects.get(space=budget, module_type="proposals")
    benches = Proposal.objects.get(module=module, title="Des bancs place du Marché")
    assert benches.answer_status == Proposal.AnswerStatus.SELECTED and "dix bancs" in benches.answer
    assert benches.published_at.isoformat().startswith("2024-02-10T09:30")
    assert benches.reference == 1 and benches.estimated_cost == 12000
    author = benches.author
    assert author.pseudonym == "decidim-501" and author.imported_from == f"decidim:{samples.HOST}"
    assert author.email is None and not author.has_usable_password()
    assert "Camille" not in author.display_name
    assert Proposal.objects.get(title="Retirée : un kiosque").status == Proposal.Status.WITHDRAWN
    assert Proposal.objects.get(title="=Piste cyclable rue Haute").answer_status == Proposal.AnswerStatus.ANALYSIS
    stances = dict(Comment.objects.filter(parent=None).values_list("body", "stance"))
    assert stances["Oui, avec des bancs à dossier !"] == "favorable"
    assert stances["Attention aux étals du samedi."] == "neutral"
    assert stances["Le parc est déjà assez encombré."] == "unfavorable"
    reply = Comment.objects.get(body__startswith="Bonne remarque")
    assert reply.parent.body == "Attention aux étals du samedi." and reply.stance == ""
    benches.refresh_from_db()
    assert benches.comments_count == 3 and benches.comments_favorable_count == 1
    workshop = Meeting.objects.get(title="Atelier de lancement")
    assert (
        workshop.attendees_count == 38 and "24 idées" in workshop.minutes and workshop.place_name == "Salle des fêtes"
    )
    online = Meeting.objects.get(title="Réunion en ligne vélo")
    assert online.format == Meeting.Format.ONLINE and online.module.space.title == "Plan vélo"
    done = Commitment.objects.get(title="Dix bancs place du Marché")
    assert done.status == Status.DONE and done.progress == 100 and done.space == budget
    assert [s.item for s in done.sources.all()] == [benches]
    study = Commitment.objects.get(title="Étude de la piste rue Haute")
    assert study.status == Status.IN_PROGRESS and study.progress == 40
    assert ArchiveImport.objects.get().status == ArchiveImport.Status.DONE


def test_the_older_column_set(admin):
    report = archive_import(actor=admin, data=samples.older_archive(), filename="villeneuve.zip")
    assert report.bad_rows == []
    assert report.counts == {
        "spaces": 1,
        "proposals": 2,
        "participants": 2,
        "comments": 2,
        "meetings": 1,
        "commitments": 1,
    }
    space = Space.objects.get()
    assert space.title == "Jardins"
    gardens = Proposal.objects.get(title="Des jardins partagés")
    assert gardens.author is None and gardens.answer_status == Proposal.AnswerStatus.SELECTED
    assert gardens.answer == "<p>Retenue pour 2021.</p>"
    visit = Meeting.objects.get()
    assert visit.attendees_count == 15 and visit.address == "Square Jean-Jaurès"
    commitment = Commitment.objects.get()
    assert commitment.space == space and commitment.status == Status.IN_PROGRESS and commitment.progress == 60
    assert [s.item for s in commitment.sources.all()] == [gardens]
    assert "supports" in report.ignored_columns[f"{samples.OLDER_HOST}-open-data-proposals.csv"]


def test_the_same_archive_twice_is_refused_and_a_later_archive_adds_only_what_is_new(admin):
    archive_import(actor=admin, data=samples.recent_archive(), filename="lumerac.zip")
    before = counts()
    with pytest.raises(AlreadyImported, match="déjà été importée"):
        archive_check(actor=admin, data=samples.recent_archive(), filename="lumerac.zip")
    # A later export of the same instance (one more file): what was imported is found again, nothing doubles.
    later = samples.recent_archive(extra={"notes.txt": "plus tard"})
    report = archive_import(actor=admin, data=later, filename="lumerac-2.zip")
    assert counts() == before
    assert report.counts == {}
    assert report.already == {"proposals": 4, "comments": 4, "meetings": 2, "commitments": 2}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "vide"),
        (b"id;title\n1;x\n", "pas une archive ZIP"),
        (samples.zip_of({"README.md": "rien"}), "aucun fichier de données ouvertes"),
        (samples.zip_of({"x-open-data-proposals.csv": "id;title/fr\n"}), "aucune ligne"),
    ],
)
def test_a_bad_archive_is_refused_as_a_whole(admin, data, message):
    with pytest.raises(ArchiveError, match=message):
        archive_check(actor=admin, data=data, filename="x.zip")
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_only_an_organisation_administrator_imports():
    with pytest.raises(Refused):
        archive_check(actor=UserFactory(), data=samples.recent_archive(), filename="x.zip")


def test_the_command_checks_then_imports(admin, tmp_path):
    path = tmp_path / "lumerac-open-data.zip"
    path.write_bytes(samples.recent_archive())
    out, err = io.StringIO(), io.StringIO()
    call_command("import_decidim", str(path), "--as", admin.email, stdout=out, stderr=err)
    text = out.getvalue()
    assert "Propositions : 4" in text and "Essai : rien n'est importé" in text
    assert "couleur_preferee" in text and "ligne 5 (id 104)" in err.getvalue()
    assert Proposal.objects.count() == 0
    out = io.StringIO()
    call_command("import_decidim", str(path), "--as", admin.email, "--confirm", stdout=out, stderr=io.StringIO())
    assert "Import terminé" in out.getvalue() and "/gestion/espaces/" in out.getvalue()
    assert Proposal.objects.count() == 4
    with pytest.raises(CommandError, match="déjà été importée"):
        call_command("import_decidim", str(path), "--as", admin.email, "--confirm", stdout=io.StringIO())


def test_the_command_refuses_a_file_that_is_not_a_zip_and_another_organisation(admin, tmp_path):
    path = tmp_path / "x.zip"
    path.write_bytes(b"not a zip")
    with pytest.raises(CommandError, match="pas une archive ZIP"):
        call_command("import_decidim", str(path), "--as", admin.email)
    path.write_bytes(samples.recent_archive())
    with pytest.raises(CommandError, match="n'est pas celle de l'organisation"):
        call_command("import_decidim", str(path), "--as", admin.email, "--organisation", "Autre ville")
