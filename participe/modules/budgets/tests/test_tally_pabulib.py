"""Pabulib in and out: every real file reads, writes back and reads again to the same election; broken files are
refused with the line that is wrong."""

from collections import Counter

import pytest

from participe.modules.budgets.tally import pabulib
from participe.modules.budgets.tally.model import Election, Project
from participe.modules.budgets.tally.pabulib import PabulibError
from participe.modules.budgets.tests.pabulib_files import DATA, FILES, needs_data

GOOD = """META
key;value
description;Test
num_projects;3
num_votes;3
budget;100
vote_type;cumulative
rule;greedy
PROJECTS
project_id;cost;name
1;60;Un banc
2;50;"Des arbres; des fleurs"
3;30;Une fontaine
VOTES
voter_id;vote;points
a;1,2;2,1
b;2;3
c;1,2;2,1
"""


def test_a_file_reads_into_grouped_ballots_with_their_points():
    election = pabulib.to_election(pabulib.read(GOOD))
    assert election.budget == 100 and election.vote_type == "cumulative" and election.voters == 3
    assert [p.id for p in election.projects] == ["1", "2", "3"]
    assert election.projects[1].name == "Des arbres; des fleurs"
    assert election.ballots == Counter({(("1", 2), ("2", 1)): 2, (("2", 3),): 1})


def test_a_meta_value_may_hold_a_semicolon_and_scoring_ballots_have_points():
    text = GOOD.replace("description;Test", "description;Budget; quartier Nord").replace("cumulative", "scoring")
    election = pabulib.to_election(pabulib.read(text))
    assert election.meta["description"] == "Budget; quartier Nord" and election.ballots[(("2", 3),)] == 1


def test_ordinal_ballots_without_points_score_their_ranks():
    text = GOOD.replace("cumulative", "ordinal").replace("voter_id;vote;points", "voter_id;vote")
    text = text.replace("a;1,2;2,1", "a;3,1,2").replace("b;2;3", "b;2").replace("c;1,2;2,1", "c;1")
    election = pabulib.to_election(pabulib.read(text))
    assert election.ballots[(("1", 2), ("2", 1), ("3", 3))] == 1 and election.ballots[(("1", 1),)] == 1


@needs_data
@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_every_real_file_writes_back_to_the_same_file(path):
    original = pabulib.read(path)
    again = pabulib.read(pabulib.write(original))
    assert again.meta == original.meta
    assert again.projects.columns == original.projects.columns and again.projects.rows == original.projects.rows
    assert again.votes.columns == original.votes.columns and again.votes.rows == original.votes.rows
    assert pabulib.to_election(again) == pabulib.to_election(original)


@needs_data
@pytest.mark.parametrize("name", ["poland_warszawa_2019_anin.pb", "poland_krakow_2022_zwierzyniec.pb"])
def test_an_election_exports_and_imports_to_the_same_election(name):
    election = pabulib.load(DATA / name)
    exported = pabulib.from_election(election, {"description": "Export"})
    again = pabulib.to_election(pabulib.read(pabulib.write(exported)))
    assert again.ballots == election.ballots and again.budget == election.budget
    assert [(p.id, p.cost) for p in again.projects] == [(p.id, p.cost) for p in election.projects]
    assert again.meta["description"] == "Export" and again.meta["num_votes"] == str(election.voters)


def test_amounts_with_cents_are_counted_in_cents_and_written_back_as_they_were():
    text = GOOD.replace("budget;100", "budget;100.5").replace("3;30;", "3;30.25;")
    election = pabulib.to_election(pabulib.read(text))
    assert election.budget == 10050 and election.projects[2].cost == 3025 and election.meta["amount_scale"] == "100"
    exported = pabulib.from_election(election)
    assert exported.meta["budget"] == "100.50" and exported.projects.rows[2][1] == "30.25"
    assert "amount_scale" not in exported.meta
    assert pabulib.to_election(pabulib.read(pabulib.write(exported))).budget == 10050


def test_an_envelope_exports_without_voters_names():
    election = Election(100, [Project("p1", 40, "Banc")], Counter({(("p1", 1),): 2}))
    exported = pabulib.from_election(election)
    assert [row[0] for row in exported.votes.rows] == ["1", "2"]


BROKEN = [
    (GOOD.split("VOTES")[0], "la section VOTES manque", None),
    (GOOD.replace("PROJECTS\n", "").replace("project_id;cost;name", "project_id"), "1 champs au lieu de 2", 9),
    ("hello\n" + GOOD, "avant toute section", 1),
    (GOOD.replace("3;30;Une fontaine", "3;30"), "2 champs au lieu de 3", 13),
    (GOOD.replace("3;30;", "3;-30;"), "négatif", 13),
    (GOOD.replace("3;30;", "3;trente;"), "n'est pas un nombre", 13),
    (GOOD.replace("3;30;", "3;1/2;"), "n'est pas un nombre", 13),
    (GOOD.replace("b;2;3", "b;2;1.5"), "pas un nombre entier", 17),
    (GOOD.replace("3;30;", "2;30;"), "le projet 2 apparaît deux fois", 13),
    (GOOD.replace("b;2;3", "a;2;3"), "le votant a apparaît deux fois", 17),
    (GOOD.replace("b;2;3", "b;9;3"), "projet inconnu 9", 17),
    (GOOD.replace("b;2;3", "b;2,2;3,1"), "deux fois le même projet", 17),
    (GOOD.replace("b;2;3", "b;2,3;3"), "1 points pour 2 projets", 17),
    (GOOD.replace("vote_type;cumulative", "vote_type;borda"), "vote_type « borda » inconnu", 7),
    (GOOD.replace("budget;100", "budget;beaucoup"), "le budget", 6),
    (GOOD.replace("budget;100\n", ""), "budget", None),
    (GOOD.replace("project_id;cost;name", "project_id;name"), "colonne cost", 10),
]


@pytest.mark.parametrize(("text", "message", "line"), BROKEN)
def test_a_broken_file_is_refused_with_its_line(text, message, line):
    with pytest.raises(PabulibError) as error:
        pabulib.to_election(pabulib.read(text))
    assert message in str(error.value) and error.value.line == line
