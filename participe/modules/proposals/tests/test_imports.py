"""CSV import of proposals: a line-by-line report of rejected rows, and nothing ever half-imported."""

from __future__ import annotations

import datetime
import decimal
import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.assignments.models import Note
from participe.modules.proposals import imports
from participe.modules.proposals.models import Proposal, StatusChange
from participe.modules.proposals.tests.factories import ProposalFactory, ProposalModuleFactory
from participe.search.models import SearchEntry
from tests.factories import TerritoryFactory, ThemeFactory, UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db

BODY = "Devant la médiathèque, à l'abri de la pluie."


@pytest.fixture
def agent():
    return make_agent(pseudonym="agent-import")


@pytest.fixture
def module():
    return ProposalModuleFactory()


def run(agent, module, text: str, *, only_valid: bool = False, encoding: str = "utf-8") -> imports.Report:
    return imports.import_proposals(
        actor=agent, module=module, filename="propositions.csv", data=text.encode(encoding), only_valid=only_valid
    )


def test_a_valid_file_is_imported_with_everything_the_service_does(agent, module):
    theme = ThemeFactory(name="Mobilités")
    territory = TerritoryFactory(name="Croix-Rousse", code="69004")
    resident = UserFactory(pseudonym="habitante")
    text = (
        "Titre;Description;Thème;Territoire;Adresse;Latitude;Longitude;Auteur;Nom;Origine;Date de dépôt\n"
        f'Un abri pour les vélos;"{BODY}\nDeuxième paragraphe.";mobilites;69004;Place Sathonay;45,7676;4,8320;;Mme Martin;réunion;14/03/2025\n'
        f"Des jeux au square;{BODY};Mobilités;croix-rousse;;;;habitante;;guichet;\n"
    )
    report = run(agent, module, text)
    assert report.errors == [] and report.imported == 2 and not report.rolled_back
    first, second = Proposal.objects.order_by("reference")
    assert first.reference == 1 and first.title == "Un abri pour les vélos"
    assert first.body.count("<p>") == 2 and "Deuxième paragraphe." in first.body
    assert first.theme == theme and first.territory == territory
    assert first.latitude == decimal.Decimal("45.767600") and first.address == "Place Sathonay"
    assert first.author is None and first.entered_by == agent and first.origin == "meeting"
    assert timezone.localtime(first.published_at).date() == datetime.date(2025, 3, 14)
    assert Note.objects.get(object_id=first.pk).body == "Déposée par : Mme Martin (sans compte)"
    assert second.author == resident and second.origin == "counter" and second.status == "published"
    assert StatusChange.objects.filter(kind="published").count() == 2
    assert SearchEntry.objects.count() == 2
    assert AuditEntry.objects.get(action="proposals.import").after == {
        "file": "propositions.csv",
        "imported": 2,
        "rejected": 0,
    }


def test_rejected_lines_are_reported_and_nothing_is_imported(agent, module):
    ProposalFactory(module=module, title="Déjà dans la boîte à idées")
    text = (
        "titre;description;theme;territoire;latitude;longitude;auteur;origine;date_depot\n"
        f"Une idée tout à fait valable;{BODY};;;;;;;\n"
        f";{BODY};;;;;;;\n"
        f"Un thème qui n'existe pas;{BODY};Astronomie;;;;;;\n"
        f"Une latitude fantaisiste;{BODY};;;95;2;;;\n"
        f"Un auteur inconnu;{BODY};;;;;personne@nulle.part;;\n"
        f"Une origine inconnue;{BODY};;;;;;pigeon voyageur;\n"
        f"Une date illisible;{BODY};;;;;;;hier soir\n"
        f"Court;{BODY};;;;;;;\n"
        f"Déjà dans la boîte à idées;{BODY};;;;;;;\n"
        f"Une idée tout à fait valable;{BODY};;;;;;;\n"
    )
    report = run(agent, module, text)
    assert report.imported == 0 and report.valid == 1 and report.rolled_back
    lines = {line: reason for line, reason in report.errors}
    assert set(lines) == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    assert "titre est vide" in lines[3]
    assert "Astronomie" in lines[4]
    assert "latitude" in lines[5]
    assert "personne@nulle.part" in lines[6]
    assert "pigeon voyageur" in lines[7]
    assert "hier soir" in lines[8]
    assert lines[9].startswith("titre :") and "10 caractères" in lines[9]
    assert "existe déjà" in lines[10]
    assert "ligne précédente" in lines[11]
    assert Proposal.objects.filter(module=module).count() == 1
    assert not AuditEntry.objects.filter(action="proposals.import").exists()
    assert not SearchEntry.objects.filter(title="Une idée tout à fait valable").exists()


def test_only_the_valid_lines_when_asked(agent, module):
    text = f"titre;description\nUne idée tout à fait valable;{BODY}\nCourt;{BODY}\nUne autre idée valable;{BODY}\n"
    report = run(agent, module, text, only_valid=True)
    assert report.imported == 2 and [line for line, _ in report.errors] == [3]
    assert Proposal.objects.count() == 2


def test_a_file_without_the_required_columns_is_refused_whole(agent, module):
    report = run(agent, module, "nom;prenom\nDurand;Léa\n")
    assert report.imported == 0 and report.errors[0][0] is None and "titre, description" in report.errors[0][1]
    assert run(agent, module, "").errors[0][1] == "Le fichier est vide."


def test_a_spreadsheet_file_in_windows_1252_with_commas(agent, module):
    text = f'titre,description,adresse\nUn cœur de ville plus vert,"{BODY}",Rue de l\'Église\n'
    report = run(agent, module, text, encoding="cp1252")
    assert report.imported == 1
    proposal = Proposal.objects.get()
    assert proposal.title == "Un cœur de ville plus vert" and proposal.address == "Rue de l'Église"


def test_the_module_rules_apply_to_imported_lines(agent):
    module = ProposalModuleFactory(settings={"theme_required": True, "location_required": True})
    report = run(agent, module, f"titre;description\nUne idée sans thème ni lieu;{BODY}\n")
    assert report.imported == 0
    assert "theme" in report.errors[0][1] and "adresse" in report.errors[0][1]


def test_too_many_lines_are_refused(agent, module, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)
    lines = "".join(f"Une idée numéro {i} valable;{BODY}\n" for i in range(3))
    report = run(agent, module, "titre;description\n" + lines, only_valid=True)
    assert report.imported == 0 and report.errors[-1][0] is None and "plus de 2" in report.errors[-1][1]
    assert not Proposal.objects.exists()


def test_an_export_imports_back_into_another_module(client, module):
    admin = make_org_admin()
    ProposalFactory(
        module=module,
        title="Des bancs place du Marché",
        author=UserFactory(pseudonym="autrice"),
        theme=ThemeFactory(name="Cadre de vie"),
        latitude=decimal.Decimal("45.1"),
        longitude=decimal.Decimal("4.2"),
        origin=Proposal.Origin.ONLINE,
    )
    client.force_login(admin)
    response = client.get(reverse("backoffice:proposals:export", args=[module.pk, "csv"]))
    exported = b"".join(response.streaming_content)
    other = ProposalModuleFactory()
    report = imports.import_proposals(actor=admin, module=other, filename="export.csv", data=exported)
    assert report.errors == [] and report.imported == 1
    copy = Proposal.objects.get(module=other)
    assert copy.title == "Des bancs place du Marché" and copy.author.pseudonym == "autrice"
    assert copy.theme.name == "Cadre de vie" and copy.latitude == decimal.Decimal("45.100000")
    assert copy.origin == "online" and copy.entered_by == admin


# --- the page -----------------------------------------------------------------------------------------------
def upload(text: str, name: str = "propositions.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


def test_the_import_page_reports_each_rejected_line(client, module):
    client.force_login(make_org_admin())
    url = reverse("backoffice:proposals:import", args=[module.pk])
    response = client.post(url, {"file": upload(f"titre;description\nUne idée valable;{BODY}\nCourt;{BODY}\n")})
    assert response.status_code == 302 and response["Location"].endswith("#rapport")
    page = html.unescape(client.get(url).content.decode())
    assert "Rien n'a été importé" in page and "Ligne 3" in page
    assert not Proposal.objects.exists()
    response = client.post(
        url, {"file": upload(f"titre;description\nUne idée valable;{BODY}\nCourt;{BODY}\n"), "only_valid": "on"}
    )
    page = client.get(url).content.decode()
    assert "1 proposition a été importée" in page
    assert Proposal.objects.count() == 1


def test_the_import_page_refuses_other_files(client, module):
    client.force_login(make_org_admin())
    url = reverse("backoffice:proposals:import", args=[module.pk])
    response = client.post(url, {"file": upload("x", name="photo.jpg")})
    assert response.status_code == 200 and "fichier CSV" in response.content.decode()
