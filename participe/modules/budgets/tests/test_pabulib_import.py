"""Importing a Pabulib file as an envelope (services.pabulib_import, ``manage.py budget_import``): every bad line
listed with its number and nothing written, unless the agent confirms for bad ballot lines; the imported envelope's
tally is what ``manage.py budget_tally`` prints for the same file."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from participe.modules.budgets import selectors, services
from participe.modules.budgets.models import Envelope, ImportedBallot, Project
from participe.modules.budgets.tests.factories import BudgetModuleFactory
from participe.modules.budgets.tests.pabulib_files import DATA, FILES, needs_data
from participe.permissions.refusals import Refused
from tests.factories import UserFactory, make_org_admin

pytestmark = pytest.mark.django_db


SMALL = """META
key;value
description;Budget participatif du quartier des Tilleuls
budget;100
vote_type;approval
rule;greedy
max_length;2
PROJECTS
project_id;cost;name;category
10;60;Skatepark;sport
2;40;Bancs;
9;40;Jardin;nature
VOTES
voter_id;vote
1;10,2
2;10,2
3;10,2
4;9
5;9
"""


def files() -> list[object]:
    """Every file of shared/data (Łódź 2022, 90,494 voters, imports and tallies in about 4 s)."""
    return [pytest.param(path, id=path.name) for path in FILES]


def printed(command: str, *args: str) -> list[str]:
    out = StringIO()
    call_command(command, *args, stdout=out, stderr=StringIO())
    return out.getvalue().splitlines()


def test_a_small_file_becomes_an_envelope_with_its_projects_and_grouped_ballots():
    admin, module = make_org_admin(), BudgetModuleFactory()
    envelope = services.envelope_import_pabulib(actor=admin, module=module, text=SMALL, filename="tilleuls.pb")
    assert envelope.title == "Budget participatif du quartier des Tilleuls" and envelope.amount == 100
    assert envelope.is_imported and envelope.election is None
    assert envelope.ballot_kind == Envelope.BallotKind.MAX and envelope.max_choices == 2
    projects = {p.source_id: p for p in envelope.projects.select_related("category")}
    assert {k: (p.title, p.estimated_cost) for k, p in projects.items()} == {
        "10": ("Skatepark", 60),
        "2": ("Bancs", 40),
        "9": ("Jardin", 40),
    }
    assert projects["9"].category.name == "nature" and projects["2"].on_ballot
    assert sorted(ImportedBallot.objects.filter(envelope=envelope).values_list("voters", flat=True)) == [2, 3]
    envelope = services.envelope_tally(actor=admin, envelope=envelope)
    assert envelope.outcome["selected"] == [str(projects["2"].pk), str(projects["10"].pk)]
    laid_out = selectors.results(envelope)
    assert laid_out.voters == 5 and {line.project.source_id: line.votes for line in laid_out.lines}["9"] == 2
    with pytest.raises(Exception, match="importée d'un fichier Pabulib"):
        services.vote_open(actor=admin, envelope=envelope)
    envelope = services.results_publish(actor=admin, envelope=envelope)
    with pytest.raises(Exception, match="simulation"):
        services.delivery_start(actor=admin, envelope=envelope)


def test_every_bad_line_is_listed_and_nothing_is_written():
    admin, module = make_org_admin(), BudgetModuleFactory()
    broken = SMALL.replace("2;40;Bancs;", "2;-40;Bancs;").replace("4;9\n", "4;9,77\n").replace("5;9\n", "5;9;x\n")
    with pytest.raises(services.PabulibRefused) as refused:
        services.envelope_import_pabulib(actor=admin, module=module, text=broken, filename="faux.pb")
    lines = refused.value.check.lines
    assert [line for line, _reason in lines] == [11, 15, 16, 17, 18, 19]  # voters 1-3 named the broken project 2
    assert "négatif" in lines[0][1] and "inconnu 2" in lines[1][1] and "77" in lines[4][1] and "champs" in lines[5][1]
    assert refused.value.check.fatal  # a project line: even confirming imports nothing
    with pytest.raises(services.PabulibRefused):
        services.envelope_import_pabulib(actor=admin, module=module, text=broken, filename="f.pb", skip_bad_lines=True)
    assert not Envelope.objects.exists() and not Project.objects.exists() and not ImportedBallot.objects.exists()


def test_bad_ballot_lines_are_left_out_only_when_the_agent_confirms():
    admin, module = make_org_admin(), BudgetModuleFactory()
    text = SMALL.replace("4;9\n", "4;9,10,2\n").replace("5;9\n", "5;12\n")  # over max_length; unknown project
    with pytest.raises(services.PabulibRefused) as refused:
        services.envelope_import_pabulib(actor=admin, module=module, text=text, filename="t.pb")
    check = refused.value.check
    assert not check.fatal and [line for line, _r in check.lines] == [18, 19] and "max_length" in check.lines[0][1]
    assert not Envelope.objects.exists()
    envelope = services.envelope_import_pabulib(
        actor=admin, module=module, text=text, filename="t.pb", skip_bad_lines=True
    )
    assert sum(ImportedBallot.objects.filter(envelope=envelope).values_list("voters", flat=True)) == 3


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t.replace("VOTES\n", ""), "VOTES manque"),
        (lambda t: t.replace("budget;100\n", ""), "budget"),
        (lambda t: t.replace("budget;100", "budget;100.50"), "décimales"),
        (lambda t: t.replace("10;60;Skatepark", "10;160;Skatepark"), "plus que le budget"),
        (lambda t: t.replace("rule;greedy", "rule;borda"), "inconnue"),
    ],
)
def test_a_broken_structure_is_refused_with_a_clear_message(change, message):
    with pytest.raises(services.PabulibRefused) as refused:
        services.envelope_import_pabulib(
            actor=make_org_admin(), module=BudgetModuleFactory(), text=change(SMALL), filename="x.pb"
        )
    assert refused.value.check.fatal and message in " ".join(r for _l, r in refused.value.check.lines)
    assert not Envelope.objects.exists()


def test_only_the_budgets_managers_import():
    with pytest.raises(Refused):
        services.envelope_import_pabulib(actor=UserFactory(), module=BudgetModuleFactory(), text=SMALL, filename="x")
    assert not Envelope.objects.exists()


def test_the_command_lists_the_bad_lines_and_writes_nothing(tmp_path):
    admin, module = make_org_admin(), BudgetModuleFactory()
    path = tmp_path / "t.pb"
    path.write_text(SMALL.replace("5;9\n", "5;12\n"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match=r"rien n'est importé.*--skip-bad-lines"):
        call_command("budget_import", str(path), "--module", str(module.pk), "--as", admin.email, stderr=err)
    assert "t.pb : ligne 19 : le vote cite le projet inconnu 12" in err.getvalue() and not Envelope.objects.exists()
    out = printed("budget_import", str(path), "--module", str(module.pk), "--as", admin.email, "--skip-bad-lines")
    assert "importée : 3 projets" in out[0] and Envelope.objects.count() == 1


@needs_data
@pytest.mark.parametrize("path", files())
def test_the_imported_envelope_tallies_as_budget_tally_on_the_same_file(path):
    admin, module = make_org_admin(), BudgetModuleFactory()
    expected = printed("budget_tally", str(path))
    imported = printed("budget_import", str(path), "--module", str(module.pk), "--as", admin.email, "--tally")
    assert imported[1:-1] == expected[:-1]  # the selected ids, sorted, in the file's format
    assert imported[-1] == expected[-1].split()[0]  # the total cost


@needs_data
@pytest.mark.parametrize("rule", [r for r in Envelope.Rule.values if r != "greedy-no-skip"])
def test_every_rule_agrees_with_budget_tally_on_an_imported_file(rule):
    path = DATA / "poland_warszawa_2019_anin.pb"
    admin, module = make_org_admin(), BudgetModuleFactory()
    envelope = services.envelope_import_pabulib(
        actor=admin, module=module, text=path.read_text(encoding="utf-8"), filename=path.name
    )
    envelope = services.envelope_tally(actor=admin, envelope=envelope, rule=rule)
    ids = dict(envelope.projects.values_list("pk", "source_id"))
    expected = printed("budget_tally", str(path), "--rule", rule)
    assert sorted(ids[int(pk)] for pk in envelope.outcome["selected"]) == sorted(expected[:-1])


def test_the_back_office_lists_the_bad_lines_then_imports_once_the_agent_confirms(client):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    admin, module = make_org_admin(), BudgetModuleFactory()
    client.force_login(admin)
    url = reverse("backoffice:budgets:envelope_import", args=[module.pk])
    page = client.get(url).content.decode()
    assert "Fichier Pabulib" in page and "Importer sans les bulletins" not in page
    text = SMALL.replace("5;9\n", "5;12\n").encode()
    response = client.post(url, {"title": "Simulation", "file": SimpleUploadedFile("t.pb", text)})
    page = response.content.decode()
    assert "Ligne 19 : le vote cite le projet inconnu 12" in page and 'value="Simulation"' in page
    assert "Importer sans les bulletins faux" in page and not Envelope.objects.exists()
    checked = re.search(r'name="checked" value="([0-9a-f]{64})"', page).group(1)
    other = SMALL.replace("4;9\n", "4;12\n").encode()  # confirming for another file imports nothing
    data = {"title": "Simulation", "confirm": "on", "checked": checked}
    client.post(url, data | {"file": SimpleUploadedFile("t.pb", other)})
    assert not Envelope.objects.exists()
    response = client.post(url, data | {"file": SimpleUploadedFile("t.pb", text)})
    envelope = Envelope.objects.get()
    assert response.status_code == 302 and envelope.title == "Simulation" and envelope.imported_from == "t.pb"
    assert "importée de t.pb" in client.get(reverse("backoffice:budgets:module", args=[module.pk])).content.decode()


def test_the_api_imports_a_file_and_answers_422_with_every_bad_line(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    admin, module = make_org_admin(), BudgetModuleFactory()
    url = f"/api/v1/budgets/modules/{module.pk}/envelopes/pabulib"
    assert client.post(url, {"file": SimpleUploadedFile("t.pb", SMALL.encode())}).status_code in (401, 403)
    client.force_login(admin)
    bad = SMALL.replace("5;9\n", "5;12\n").encode()
    response = client.post(url, {"file": SimpleUploadedFile("t.pb", bad)})
    assert response.status_code == 422 and not Envelope.objects.exists()
    assert response.json()["detail"] == [
        {"loc": ["body", "file", 19], "msg": "le vote cite le projet inconnu 12", "type": "value_error"}
    ]
    response = client.post(url, {"file": SimpleUploadedFile("t.pb", bad), "skip_bad_lines": "true", "title": "Essai"})
    assert response.status_code == 201 and response.json()["imported_from"] == "t.pb"
    assert response.json()["title"] == "Essai" and response.json()["categories"][0]["name"] == "nature"
    listed = client.get(f"/api/v1/budgets/modules/{module.pk}/envelopes").json()
    assert [e["imported_from"] for e in listed] == ["t.pb"]
