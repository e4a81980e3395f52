"""The back-office pages of the Decidim import: who may use them, the upload, the report, confirm and drop."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from participe.decidim_import.models import ArchiveImport
from participe.decidim_import.tests import samples
from participe.modules.proposals.models import Proposal
from participe.spaces.models import Space
from tests.factories import make_agent, make_org_admin

pytestmark = pytest.mark.django_db


def upload(client, data, name="lumerac.zip"):
    return client.post(reverse("decidim_import:index"), {"archive": SimpleUploadedFile(name, data)})


def test_an_agent_is_refused_with_the_reason(client):
    client.force_login(make_agent())
    response = client.get(reverse("decidim_import:index"))
    assert response.status_code == 403
    assert "réservé aux administrateurs" in response.content.decode()


def test_upload_report_confirm(client):
    client.force_login(make_org_admin())
    response = upload(client, samples.recent_archive())
    pending = ArchiveImport.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("decidim_import:report", args=[pending.pk])
    assert pending.status == ArchiveImport.Status.CHECKED and Proposal.objects.count() == 0
    page = client.get(response["Location"]).content.decode()
    assert "Rapport avant import" in page and "couleur_preferee" in page and "date illisible" in page
    assert "6 lignes en erreur" in page
    response = client.post(reverse("decidim_import:confirm", args=[pending.pk]))
    assert response.status_code == 302
    pending.refresh_from_db()
    assert pending.status == ArchiveImport.Status.DONE and pending.archive in (b"", memoryview(b""))
    assert Proposal.objects.count() == 4
    page = client.get(response["Location"]).content.decode()
    assert "Archive importée" in page and "Budget participatif 2024" in page
    # Confirming again does nothing more.
    client.post(reverse("decidim_import:confirm", args=[pending.pk]))
    assert Proposal.objects.count() == 4


def test_a_bad_file_is_refused_on_the_form_and_an_archive_dropped(client):
    client.force_login(make_org_admin())
    response = upload(client, b"pas un zip", name="x.csv")
    assert response.status_code == 400 and "pas une archive ZIP" in response.content.decode()
    assert not ArchiveImport.objects.exists()
    upload(client, samples.older_archive())
    pending = ArchiveImport.objects.get()
    response = client.post(reverse("decidim_import:drop", args=[pending.pk]))
    assert response.status_code == 302 and not ArchiveImport.objects.exists() and not Space.objects.exists()


def test_a_get_writes_nothing(client):
    client.force_login(make_org_admin())
    upload(client, samples.older_archive())
    pending = ArchiveImport.objects.get()
    assert client.get(reverse("decidim_import:confirm", args=[pending.pk])).status_code == 405
    assert not Proposal.objects.exists()
