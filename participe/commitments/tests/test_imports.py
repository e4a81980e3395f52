"""Import and update of commitments from CSV: all lines or none, errors line by line."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participe.commitments import imports
from participe.commitments.models import Commitment
from participe.commitments.tests.factories import CommitmentFactory

pytestmark = pytest.mark.django_db


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def test_it_creates_and_updates(manager, space, service):
    existing = CommitmentFactory(space=space, reference="PPI-1", status="in_progress", progress=10)
    data = _csv(
        "reference;titre;demarche;service;date_prevue;budget;statut;avancement\n"
        f"PPI-1;;;;;;en travaux;60\n"
        f"PPI-2;Rénover le kiosque;{space.slug};Espaces verts;01/03/2027;12 000,50;à l'étude;0\n"
    )
    report = imports.import_csv(manager, data)
    assert report.ok, report.errors
    assert (report.created, report.updated) == (1, 1)
    existing.refresh_from_db()
    assert existing.status == "works" and existing.progress == 60 and existing.updates.count() == 1
    created = Commitment.objects.get(reference="PPI-2")
    assert created.service == service and str(created.planned_date) == "2027-03-01"


def test_one_wrong_line_writes_nothing_and_every_error_is_told(manager, space):
    data = _csv(
        "titre,demarche,statut,avancement\n"
        f"Bon,{space.slug},en cours,10\n"
        f",{space.slug},,\n"
        f"Abandonné,{space.slug},abandonné,\n"
        f"Trop,{space.slug},en cours,150\n"
        "Ailleurs,inconnue,,\n"
    )
    report = imports.import_csv(manager, data)
    assert [line for line, _m in report.errors] == [3, 4, 5, 6]
    assert "titre" in report.errors[0][1] and "motif" in report.errors[1][1]
    assert not Commitment.objects.exists()


def test_bad_encoding_and_empty_files(manager):
    report = imports.import_csv(manager, _csv("titre\nÉté", "latin-1"))
    assert "UTF-8" in report.errors[0][1]
    assert "vide" in imports.import_csv(manager, b"").errors[0][1]
    assert "aucune ligne" in imports.import_csv(manager, b"titre\n").errors[0][1]
    assert "inconnues" in imports.import_csv(manager, b"titre,couleur\nA,b\n").errors[0][1]


def test_a_resident_imports_nothing(resident, space):
    report = imports.import_csv(resident, _csv(f"titre,demarche\nA,{space.slug}\n"))
    assert report.errors and not Commitment.objects.exists()


def test_the_import_page(client, manager, space):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(manager)
    url = reverse("commitments_backoffice:import")
    assert client.get(url).status_code == 200
    bad = client.post(url, {"file": SimpleUploadedFile("e.csv", b"titre,demarche\n,x\n")})
    assert bad.status_code == 400 and "Ligne 2" in bad.content.decode()
    good = client.post(url, {"file": SimpleUploadedFile("e.csv", f"titre,demarche\nA,{space.slug}\n".encode())})
    assert good.status_code == 302 and Commitment.objects.filter(title="A").exists()
