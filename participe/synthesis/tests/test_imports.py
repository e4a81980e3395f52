"""Import of contributions from outside: all or nothing, every wrong line listed; bad encoding, missing texts, a
text of 100,000 characters, duplicates, JSON."""

from __future__ import annotations

import json

import pytest

from participe.permissions.refusals import Refused
from participe.synthesis.imports import ImportErrors, contributions_import
from participe.synthesis.models import ImportBatch, ImportedContribution

pytestmark = pytest.mark.django_db


def run(manager, space, data: bytes, name="registre.csv"):
    return contributions_import(actor=manager, space=space, name=name, data=data)


def test_a_csv_with_semicolons_and_french_columns(manager, space):
    data = "identifiant;texte;auteur;territoire;date;question\nP1;Des arbres;Mme L.;Centre;14/03/2026;La place ?\n"
    batch = run(manager, space, data.encode())
    row = ImportedContribution.objects.get()
    assert batch.count == 1 and row.external_id == "P1" and row.territory_name == "Centre"
    assert row.date.isoformat() == "2026-03-14" and row.author == "Mme L." and row.question == "La place ?"


def test_json_with_a_text_of_100_000_characters(manager, space):
    long = "arbres " * 14_285 + "ombre"
    data = json.dumps({"contributions": [{"id": "J1", "text": long}, {"id": "J2", "text": "Des bancs"}]})
    run(manager, space, data.encode(), name="consultation.json")
    assert len(ImportedContribution.objects.get(external_id="J1").text) == len(long) <= 100_000


def test_bad_encoding_is_explained_and_nothing_is_written(manager, space):
    with pytest.raises(ImportErrors, match="UTF-8"):
        run(manager, space, "id,text\n1,Des arbres à l'ombre\n".encode("latin-1"))
    assert not ImportBatch.objects.exists()


def test_every_wrong_line_is_listed_and_nothing_is_written(manager, space):
    data = "id,text,date\n1,Des arbres,\n2,,\n1,Encore,\n4,Des bancs,32/13/2026\n5," + "x" * 100_001 + ",\n"
    with pytest.raises(ImportErrors) as caught:
        run(manager, space, data.encode())
    errors = caught.value.errors
    assert "ligne 3 : le texte est vide." in errors
    assert "ligne 4 : l'identifiant « 1 » est en double." in errors
    assert any(e.startswith("ligne 5 : date illisible") for e in errors)
    assert any(e.startswith("ligne 6 : le texte fait 100001 caractères") for e in errors)
    assert not ImportedContribution.objects.exists()


def test_missing_columns_an_empty_file_and_ids_already_imported(manager, space):
    with pytest.raises(ImportErrors, match="Colonnes manquantes : text"):
        run(manager, space, b"id,titre\n1,Arbres\n")
    with pytest.raises(ImportErrors, match="aucune contribution"):
        run(manager, space, b"id,text\n")
    run(manager, space, b"id,text\n1,Arbres\n")
    with pytest.raises(ImportErrors, match="déjà importés"):
        run(manager, space, b"id,text\n1,Arbres\n2,Bancs\n")
    assert ImportedContribution.objects.count() == 1


def test_a_resident_may_not_import(resident, space):
    with pytest.raises(Refused):
        run(resident, space, b"id,text\n1,Arbres\n")
    assert not ImportedContribution.objects.exists()


def test_imported_contributions_join_the_synthesis(manager, space, start, items):
    run(manager, space, b"id,text,territory\nP1,Des arbres pour l'ombre sur la place,Centre\n")
    synthesis = start(actor=manager, space=space, title="Avec le registre")
    entry = synthesis.entries.get(reference="import:P1")
    assert entry.kind.startswith("Contribution importée") and entry.territory_name == "Centre"
    assert entry.url == ImportedContribution.objects.get().get_absolute_url()
