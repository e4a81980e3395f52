"""Export pages: starting an export, its progress (htmx fragment and plain page), the permission-checked download."""

from __future__ import annotations

import pytest
from django.urls import reverse

from participe.modules.surveys.models import ExportJob
from participe.modules.surveys.tests.factories import QuestionnaireFactory
from participe.modules.surveys.tests.results_data import full_answers, sample_questionnaire, submit
from participe.spaces.models import SpaceMembership
from tests.factories import UserFactory, make_org_admin, make_space_role

pytestmark = pytest.mark.django_db


@pytest.fixture
def sample():
    s = sample_questionnaire()
    submit(s.questionnaire, full_answers(s))
    submit(s.questionnaire, full_answers(s, comment="Deuxième"))
    return s


@pytest.fixture
def admin():
    return make_org_admin()


def exports_url(sample):
    return reverse("backoffice:surveys:exports", args=[sample.questionnaire.module_id])


def test_an_agent_starts_a_csv_export_and_downloads_it(client, admin, sample, django_capture_on_commit_callbacks):
    client.force_login(admin)
    page = client.get(exports_url(sample)).content.decode()
    assert "Lancer l'export" in page and "séparateur point-virgule" in page
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(exports_url(sample), {"format": "csv"})
    job = ExportJob.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"#export-{job.pk}")
    assert job.status == ExportJob.Status.DONE and job.requested_by == admin
    page = client.get(exports_url(sample)).content.decode()
    assert 'value="100"' in page and "2 réponses sur 2" in page and "Télécharger le fichier CSV" in page
    assert "hx-trigger" not in page  # nothing left to poll
    download = client.get(reverse("backoffice:surveys:export_download", args=[job.pk]))
    assert download.status_code == 200
    assert download["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in download["Content-Disposition"] and download["Cache-Control"] == "private, no-store"
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf") and body.count(b"\r\n") == 3
    assert "Deuxième".encode() in body


def test_a_running_export_is_polled_by_htmx_and_refreshed_by_a_link_without_javascript(client, admin, sample):
    client.force_login(admin)
    job = ExportJob.objects.create(
        questionnaire=sample.questionnaire, requested_by=admin, format="json", status="running", total=200, done=50
    )
    page = client.get(exports_url(sample)).content.decode()
    progress_url = reverse("backoffice:surveys:export_progress", args=[job.pk])
    assert f'hx-get="{progress_url}"' in page and 'hx-trigger="every 2s"' in page
    assert f'<progress id="export-{job.pk}-progress" max="100" value="25">' in page
    assert f'<label for="export-{job.pk}-progress">' in page
    assert "Actualiser la progression" in page
    fragment = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert fragment.startswith(f'<li id="export-{job.pk}"') and "<html" not in fragment
    ExportJob.objects.filter(pk=job.pk).update(done=200, status="done", file="exports/surveys/x/r.json")
    fragment = client.get(progress_url, headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in fragment and "Télécharger le fichier JSON" in fragment
    plain = client.get(progress_url)
    assert plain.status_code == 302 and plain["Location"].endswith(f"#export-{job.pk}")


def test_a_failed_export_shows_its_error(client, admin, sample):
    client.force_login(admin)
    ExportJob.objects.create(
        questionnaire=sample.questionnaire, requested_by=admin, format="csv", status="failed", error="disque plein"
    )
    page = client.get(exports_url(sample)).content.decode()
    assert "L'export a échoué : disque plein" in page


def test_a_bad_format_is_refused_next_to_the_field(client, admin, sample):
    client.force_login(admin)
    page = client.post(exports_url(sample), {"format": "xlsx"}).content.decode()
    assert "Sélectionnez un choix valide" in page and 'id="id_format-error"' in page
    assert not ExportJob.objects.exists()


def test_downloads_and_deletions_are_for_the_staff_of_the_space_only(
    client, admin, sample, django_capture_on_commit_callbacks
):
    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(exports_url(sample), {"format": "json"})
    job = ExportJob.objects.get()
    download = reverse("backoffice:surveys:export_download", args=[job.pk])
    delete = reverse("backoffice:surveys:export_delete", args=[job.pk])
    progress = reverse("backoffice:surveys:export_progress", args=[job.pk])
    client.logout()
    assert client.get(download).status_code == 302
    client.force_login(UserFactory())
    assert client.get(download).status_code == 403
    other_admin = make_space_role(QuestionnaireFactory().module.space, SpaceMembership.Role.ADMIN)
    client.force_login(other_admin)  # staff of another space
    for url in (download, progress):
        assert client.get(url).status_code == 403
    assert client.post(delete).status_code == 403
    assert client.post(exports_url(sample), {"format": "csv"}).status_code == 403
    space_admin = make_space_role(sample.questionnaire.module.space, SpaceMembership.Role.ADMIN)
    client.force_login(space_admin)
    assert client.get(download).status_code == 200
    assert client.get(delete).status_code == 405  # deleting is a POST
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(delete).status_code == 302
    assert not ExportJob.objects.exists()


def test_an_export_file_is_never_served_as_public_media(client, admin, sample, django_capture_on_commit_callbacks):
    from django.conf import settings

    client.force_login(admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(exports_url(sample), {"format": "csv"})
    job = ExportJob.objects.get()
    assert client.get(settings.MEDIA_URL + job.file.name).status_code == 404


def test_an_unfinished_export_cannot_be_downloaded(client, admin, sample):
    client.force_login(admin)
    job = ExportJob.objects.create(questionnaire=sample.questionnaire, requested_by=admin, format="csv")
    assert client.get(reverse("backoffice:surveys:export_download", args=[job.pk])).status_code == 404


def test_an_export_whose_worker_stopped_is_no_longer_polled_and_can_be_deleted(client, admin, sample):
    import datetime

    from django.utils import timezone

    client.force_login(admin)
    job = ExportJob.objects.create(
        questionnaire=sample.questionnaire, requested_by=admin, format="csv", status="running", total=2, done=1
    )
    ExportJob.objects.filter(pk=job.pk).update(created_at=timezone.now() - datetime.timedelta(hours=3))
    page = client.get(exports_url(sample)).content.decode()
    assert "Cet export ne progresse plus" in page and "hx-trigger" not in page
    assert reverse("backoffice:surveys:export_delete", args=[job.pk]) in page
