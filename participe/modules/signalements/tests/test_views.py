import io

import pytest
from django.core import mail
from PIL import Image

from participe.assignments.selectors import assignment_of
from participe.attachments.models import Attachment
from participe.modules.signalements import services
from participe.modules.signalements.models import Report, ResponseTemplate, Status
from participe.modules.signalements.tests.factories import NORTH, OUTSIDE, make_world, report_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _jpeg(name: str = "photo.jpg") -> io.BytesIO:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 30, 30)).save(buffer, "JPEG")
    buffer.seek(0)
    buffer.name = name
    return buffer


def _post(w, **extra):
    return {"category": w.pothole.pk, "title": "Trou", "lat": NORTH[0], "lon": NORTH[1], "action": "send", **extra}


def test_the_module_page_lists_public_reports_and_filters_them(client):
    w = make_world()
    services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    services.report_create(actor=UserFactory(), module=w.module, data={**report_data(w.unsafe), "title": "Secret"})
    page = client.get("/signalements/")
    assert page.status_code == 200
    assert "Trou dans la chaussée" in page.text and "Secret" not in page.text
    assert "Trou dans la chaussée" not in client.get(f"/signalements/?category={w.lamp.pk}").text
    feed = client.get("/signalements/carte.geojson").json()
    assert len(feed["features"]) == 1


def test_a_signed_in_resident_reports_with_a_photo(client):
    w = make_world()
    resident = UserFactory()
    client.force_login(resident)
    assert client.get("/signalements/nouveau/").status_code == 200
    response = client.post("/signalements/nouveau/", _post(w, photos=[_jpeg()]))
    assert response.status_code == 302, response.text[:3000]
    report = Report.objects.get()
    assert response["Location"] == f"/signalements/{report.pk}/"
    assert Attachment.objects.filter(object_id=report.pk).count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_a_first_send_near_an_open_report_shows_it_before_submitting(client):
    w = make_world()
    services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    client.force_login(UserFactory())
    page = client.post("/signalements/nouveau/", _post(w, action="send_first", title="Autre trou"))
    assert page.status_code == 200
    assert "Déjà signalé tout près" in page.text and "Moi aussi" in page.text
    assert Report.objects.count() == 1
    assert 'value="Autre trou"' in page.text


def test_bad_input_is_shown_next_to_the_fields_and_nothing_is_written(client):
    w = make_world()
    client.force_login(UserFactory())
    page = client.post("/signalements/nouveau/", _post(w, lat=OUTSIDE[0], lon=OUTSIDE[1], title="Garde-moi"))
    assert "en dehors du territoire" in page.text and 'value="Garde-moi"' in page.text
    not_image = io.BytesIO(b"%PDF-1.4 hello")
    not_image.name = "photo.jpg"
    page = client.post("/signalements/nouveau/", _post(w, photos=[not_image]))
    assert page.status_code == 200 and "photos" in page.text
    assert not Report.objects.exists()


def test_without_javascript_the_address_is_geocoded_or_the_form_says_the_geocoder_is_down(client, settings):
    w = make_world()
    settings.PARTICIPE_GEOCODER_URL = "http://127.0.0.1:9"  # nothing listens there
    client.force_login(UserFactory())
    page = client.post("/signalements/nouveau/", _post(w, lat="", lon="", address="1 rue des Lilas"))
    assert page.status_code == 200
    assert "La recherche d&#x27;adresse ne répond pas" in page.text
    assert 'value="1 rue des Lilas"' in page.text


def test_a_visitor_reports_with_name_and_email_then_confirms_by_a_post(client, django_capture_on_commit_callbacks):
    w = make_world()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signalements/nouveau/", _post(w, reporter_name="Jo", reporter_email="jo@example.org"))
    assert response.status_code == 302
    report = Report.objects.get()
    url = f"/signalements/confirmer/{report.confirmation_token}/"
    assert url in mail.outbox[0].body
    assert client.get(url).status_code == 200
    assert Report.objects.get().confirmed_at is None  # a GET never writes
    client.post(url)
    assert Report.objects.get().confirmed_at is not None


def test_me_too_and_reopen_through_the_pages(client):
    w = make_world()
    resident = UserFactory()
    report = services.report_create(actor=resident, module=w.module, data=report_data(w.pothole))
    neighbour = UserFactory()
    client.force_login(neighbour)
    client.post(f"/signalements/{report.pk}/moi-aussi/")
    assert Report.objects.get(pk=report.pk).supports_count == 1
    services.report_update(actor=w.agent, report=report, status=Status.FIXED, text="Réparé")
    client.force_login(resident)
    page = client.get(f"/signalements/{report.pk}/")
    assert "Réparé" in page.text and "Rouvrir le signalement" in page.text
    client.post(f"/signalements/{report.pk}/rouvrir/", {"text": "Toujours là"})
    assert Report.objects.get(pk=report.pk).status == Status.ACKNOWLEDGED


def test_the_statistics_page(client):
    w = make_world()
    report = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    services.report_update(actor=w.agent, report=report, status=Status.FIXED)
    page = client.get("/signalements/statistiques/")
    assert page.status_code == 200 and "Nid-de-poule" in page.text


def test_the_backoffice_queue_report_page_update_and_reassign(client):
    w = make_world()
    report = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    template = ResponseTemplate.objects.create(module=w.module, status=Status.ACKNOWLEDGED, title="Reçu", text="Merci")
    client.force_login(w.agent)
    queue = client.get("/gestion/m/signalements/")
    assert queue.status_code == 200 and "Trou dans la chaussée" in queue.text
    assert client.get(f"/gestion/m/signalements/{report.pk}/").status_code == 200
    client.post(
        f"/gestion/m/signalements/{report.pk}/etat/",
        {"status": Status.ACKNOWLEDGED, "template": template.pk, "text": ""},
    )
    assert Report.objects.get(pk=report.pk).status == Status.ACKNOWLEDGED
    client.post(f"/gestion/m/signalements/{report.pk}/note/", {"body": "Voir avec la métropole"})
    response = client.post(
        f"/gestion/m/signalements/{report.pk}/reaffecter/", {"service": w.metropole.pk, "reason": "Voie métropolitaine"}
    )
    assert response.status_code == 302
    assert assignment_of(Report.objects.get(pk=report.pk)).service == w.metropole
    assert "Trou dans la chaussée" not in client.get("/gestion/m/signalements/").text
    client.force_login(w.other_agent)
    assert "Trou dans la chaussée" in client.get("/gestion/m/signalements/").text


def test_the_backoffice_configuration_pages(client):
    w = make_world()
    client.force_login(w.admin)
    for url in (
        "categories/",
        f"categories/{w.pothole.pk}/",
        "categories/ajouter/",
        "modeles/",
        "cles-open311/",
        "statistiques/",
    ):
        assert client.get(f"/gestion/m/signalements/{url}").status_code == 200, url
    page = client.post("/gestion/m/signalements/cles-open311/", {"name": "Appli terrain"})
    assert "o311_" in page.text
    client.force_login(w.agent)
    assert client.get("/gestion/m/signalements/cles-open311/").status_code == 403
