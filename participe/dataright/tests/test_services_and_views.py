"""« Mes données »: asking (no second archive while one is prepared, throttled, audited), the progress, the email,
the link that works for its account only and until it expires, and a GET that writes nothing (decision 0035)."""

from __future__ import annotations

import datetime
import io
import time
import types
import zipfile
from unittest import mock

import pytest
from django.core import mail, signing
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.core.throttle import Throttled
from participe.dataright import services
from participe.dataright.models import DataExport
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


def link_in(body: str) -> str:
    return next(word for word in body.split() if "/compte/mes-donnees/telecharger/" in word)


def path_of(url: str) -> str:
    return url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])


@pytest.fixture
def resident():
    return UserFactory(email="odette@example.org", pseudonym="odette-du-13")


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_asking_prepares_the_archive_in_the_background_and_emails_a_link(resident):
    client = signed_in(resident)
    response = client.post(reverse("dataright:index"))
    assert response.status_code == 302
    export = DataExport.objects.get(user=resident)
    assert export.status == DataExport.Status.READY and export.percent == 100  # the tests' tasks run at once
    assert export.file.name.startswith("exports/mes-donnees/")  # a private prefix, never served as a public file
    assert AuditEntry.objects.filter(action="dataright.request", actor=resident).exists()
    [email] = mail.outbox
    assert email.to == ["odette@example.org"]
    url = link_in(email.body)
    download = client.get(path_of(url))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/zip"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(download.streaming_content)))
    assert "accounts/compte.json" in archive.namelist()


def test_the_link_works_only_for_its_account(resident):
    signed_in(resident).post(reverse("dataright:index"))
    url = path_of(link_in(mail.outbox[0].body))
    other = signed_in(UserFactory())
    response = other.get(url)
    assert response.status_code == 403
    assert "ne correspond pas au compte connecté" in response.content.decode()
    anonymous = Client().get(url)
    assert anonymous.status_code == 302 and "/compte/login/" in anonymous["Location"]


def test_an_expired_link_is_refused_with_a_clear_message_and_the_file_goes(resident, settings):
    client = signed_in(resident)
    client.post(reverse("dataright:index"))
    url = path_of(link_in(mail.outbox[0].body))
    export = DataExport.objects.get(user=resident)
    delta = datetime.timedelta(days=settings.PARTICIPE_RETENTION["data_export"], hours=1)
    clock = types.SimpleNamespace(time=lambda: time.time() + delta.total_seconds())
    later = timezone.now() + delta
    with mock.patch.object(signing, "time", clock), mock.patch.object(services.timezone, "now", lambda: later):
        response = client.get(url)
        assert response.status_code == 410
        assert "Ce lien a expiré" in response.content.decode()
        storage, name = export.file.storage, export.file.name
        assert services.expire_exports() == 1
        assert not storage.exists(name)
        assert client.get(url).status_code == 410  # the archive gone: the same words


def test_a_tampered_link_is_refused(resident):
    client = signed_in(resident)
    client.post(reverse("dataright:index"))
    url = path_of(link_in(mail.outbox[0].body))
    response = client.get(url[:-3] + "abc/")
    assert response.status_code == 404
    assert "pas valide" in response.content.decode()


def test_one_archive_is_prepared_at_a_time_and_requests_are_throttled(resident, settings):
    working = DataExport.objects.create(user=resident)
    assert services.export_request(actor=resident) == working  # a double click: the same request
    working.delete()
    from django.core.cache import caches

    caches["throttles"].clear()
    settings.PARTICIPE_THROTTLES = {"data_export": {"account": "1/d"}}
    services.export_request(actor=resident)
    with pytest.raises(Throttled):
        services.export_request(actor=resident)
    caches["throttles"].clear()


def test_the_page_shows_the_progress_and_polls_while_it_is_prepared(resident):
    client = signed_in(resident)
    export = DataExport.objects.create(user=resident, status=DataExport.Status.RUNNING, total=4, done=1)
    page = client.get(reverse("dataright:index")).content.decode()
    assert 'value="25"' in page and "Actualiser la page" in page  # the bar, and a link without JavaScript
    assert 'hx-trigger="every 2s"' in page
    assert "Télécharger mes données</button>" not in page  # no second request while one is prepared
    fragment = client.get(reverse("dataright:status"), HTTP_HX_REQUEST="true").content.decode()
    assert "<html" not in fragment and 'value="25"' in fragment
    export.status, export.done = DataExport.Status.READY, 4
    export.expires_at = timezone.now() + datetime.timedelta(days=7)
    export.save()
    fragment = client.get(reverse("dataright:status"), HTTP_HX_REQUEST="true").content.decode()
    assert "hx-trigger" not in fragment and "Votre archive est prête" in fragment  # polling stops


def test_a_get_writes_nothing(resident):
    client = signed_in(resident)
    client.get(reverse("dataright:index"))
    client.get(reverse("dataright:status"), HTTP_HX_REQUEST="true")
    assert not DataExport.objects.exists()


def test_a_failed_preparation_says_so_and_a_new_request_may_follow(resident, monkeypatch):
    def broken(user, progress=None):
        raise RuntimeError("source en panne")

    monkeypatch.setattr(services.archive, "collect", broken)
    export = services.export_request(actor=resident)
    export.refresh_from_db()
    assert export.status == DataExport.Status.FAILED and not mail.outbox
    page = signed_in(resident).get(reverse("dataright:index")).content.decode()
    assert "a échoué" in page and "Télécharger mes données</button>" in page


def test_deleting_the_account_deletes_its_archives(resident):
    from participe.accounts.services import account_delete

    signed_in(resident).post(reverse("dataright:index"))
    export = DataExport.objects.get(user=resident)
    storage, name = export.file.storage, export.file.name
    account_delete(user=resident, actor=resident)
    assert not DataExport.objects.exists() and not storage.exists(name)
