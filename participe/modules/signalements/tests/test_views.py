import datetime
import io
import re

import pytest
from django.core import mail, signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image

from participe.assignments.selectors import assignment_of
from participe.attachments.models import Attachment
from participe.modules.signalements import photos, services
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


def test_without_javascript_a_typed_address_is_placed_by_the_geocoder(client, settings):
    from participe.modules.signalements.tests.fake_ban import fake_ban

    w = make_world()
    client.force_login(UserFactory())
    with fake_ban() as url:
        settings.PARTICIPE_GEOCODER_URL = url
        response = client.post("/signalements/nouveau/", _post(w, lat="", lon="", address="12 rue des Lilas"))
        assert response.status_code == 302
        report = Report.objects.get()
        assert report.address == "12 Rue des Lilas 51100 Lumerac" and report.territory == w.north
        suggestions = client.get("/signalements/adresses/", {"q": "3 place du Marché"}).json()
        assert suggestions["results"][0]["label"].startswith("3 Place")
        assert client.get("/signalements/adresses/", {"lat": 49.26, "lon": 4.03}).json()["results"]
        missing = client.post("/signalements/nouveau/", _post(w, lat="", lon="", address="Nulle part"))
        assert "Adresse introuvable" in missing.text
    settings.PARTICIPE_GEOCODER_URL = "http://127.0.0.1:9"
    assert client.get("/signalements/adresses/", {"q": "12 rue"}).status_code == 503


def test_the_open_data_export_has_no_personal_data_and_nothing_private():
    from participe.modules.signalements.open_data import stream

    w = make_world()
    services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    services.report_create(actor=UserFactory(), module=w.module, data={**report_data(w.unsafe), "title": "Secret"})
    csv_text = "".join(stream(w.module, "csv"))
    assert csv_text.count("\n") == 2 and "Nid-de-poule" in csv_text and "Lieu dangereux" not in csv_text
    import json

    geojson = json.loads("".join(stream(w.module, "geojson")))
    assert len(geojson["features"]) == 1


def _jpeg_at(lat_dms: tuple[float, float, float], lon_dms: tuple[float, float, float]) -> io.BytesIO:
    exif = Image.Exif()
    exif.get_ifd(0x8825).update({1: "N", 2: lat_dms, 3: "E", 4: lon_dms})
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (10, 120, 30)).save(buffer, "JPEG", exif=exif)
    buffer.seek(0)
    buffer.name = "gps.jpg"
    return buffer


def test_a_photo_taken_there_suggests_the_place_then_its_position_is_stripped(client):
    w = make_world()
    client.force_login(UserFactory())
    photo = _jpeg_at((49.0, 15.0, 36.0), (4.0, 1.0, 48.0))  # 49.26, 4.03: the north quartier
    page = client.post("/signalements/nouveau/", _post(w, lat="", lon="", photos=[photo], title="Photo située"))
    assert page.status_code == 200 and "Le lieu est repris de votre photo" in page.text
    assert 'value="49.26"' in page.text and not Report.objects.exists()
    tokens = re.findall(r'name="kept_photos" value="([^"]+)"', page.text)
    assert len(tokens) == 1  # the photo is kept: it is not asked again
    response = client.post("/signalements/nouveau/", _post(w, lat="49.26", lon="4.03", kept_photos=tokens))
    assert response.status_code == 302
    stored = Attachment.objects.get()
    with stored.file.open("rb") as handle, Image.open(handle) as image:
        assert not image.getexif().get_ifd(0x8825)


def test_bulk_update_from_the_queue(client):
    w = make_world()
    mine = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    theirs = services.report_create(
        actor=UserFactory(), module=w.module, data=report_data(w.pothole, (49.24, 4.03))
    )  # the south quartier: the métropole's
    client.force_login(w.agent)
    client.post(
        "/gestion/m/signalements/lot/",
        {"report": [mine.pk, theirs.pk], "status": Status.PLANNED, "text": "Programmé la semaine prochaine"},
    )
    assert Report.objects.get(pk=mine.pk).status == Status.PLANNED
    assert Report.objects.get(pk=theirs.pk).status == Status.NEW


def _kept(page) -> list[str]:
    return re.findall(r'name="kept_photos" value="([^"]+)"', page.text)


def test_a_visitor_without_account_sends_photos_kept_across_an_error(client, django_capture_on_commit_callbacks):
    w = make_world()
    visitor = {"reporter_name": "Jo", "reporter_email": "jo@example.org"}
    gps = _jpeg_at((49.0, 15.0, 36.0), (4.0, 1.0, 48.0))
    page = client.post("/signalements/nouveau/", _post(w, title="", photos=[gps, _jpeg("deux.jpg")], **visitor))
    assert page.status_code == 200 and "n'est pas encore envoyé" in page.text
    assert "Photos déjà jointes" in page.text and "gps.jpg" in page.text and "deux.jpg" in page.text
    tokens = _kept(page)
    assert len(tokens) == 2 and not Report.objects.exists()
    kept = photos.kept_photos(tokens)
    with default_storage.open(kept[0].path, "rb") as handle, Image.open(handle) as image:
        assert not image.getexif().get_ifd(0x8825)  # kept without its position
    # The second one unticked: only the first is sent, the kept files are then deleted.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/signalements/nouveau/", _post(w, title="Trou", kept_photos=tokens[:1], **visitor))
    assert response.status_code == 302, response.text[:2000]
    report = Report.objects.get()
    assert report.confirmed_at is None and report.author is None
    attached = Attachment.objects.get(object_id=report.pk)
    assert attached.uploaded_by is None and attached.original_name == "gps.jpg"
    assert not default_storage.exists(kept[0].path)
    client.post(f"/signalements/confirmer/{report.confirmation_token}/")
    assert "Photo du signalement" in client.get(f"/signalements/{report.pk}/").text


def test_a_visitor_s_file_that_is_not_an_image_is_refused_next_to_the_field(client):
    w = make_world()
    not_image = io.BytesIO(b"%PDF-1.4 hello")
    not_image.name = "photo.pdf"
    page = client.post(
        "/signalements/nouveau/",
        _post(w, photos=[not_image, _jpeg()], reporter_name="Jo", reporter_email="jo@example.org"),
    )
    assert page.status_code == 200 and "photo.pdf" in page.text and "pas une image" in page.text
    assert len(_kept(page)) == 1  # the good one is kept
    assert not Report.objects.exists()


def test_a_forged_or_expired_token_names_no_photo(client):
    w = make_world()
    default_storage.save("secret/other.jpg", ContentFile(b"x"))
    forged = signing.dumps({"p": "secret/other.jpg", "n": "x.jpg"}, salt="elsewhere")
    outside = signing.dumps({"p": "secret/other.jpg", "n": "x.jpg"}, salt=photos.SALT)
    assert photos.kept_photos([forged, outside, "nonsense"]) == []
    client.force_login(UserFactory())
    response = client.post("/signalements/nouveau/", _post(w, kept_photos=[forged, outside]))
    assert response.status_code == 302 and not Attachment.objects.exists()


def test_kept_photos_of_forms_never_sent_are_purged_after_a_day():
    w = make_world()
    kept = photos.photo_keep(actor=UserFactory(), module=w.module, photo=ContentFile(_jpeg().read(), name="a.jpg"))
    assert photos.purge() == 0 and default_storage.exists(kept.path)
    assert photos.purge(now=datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=2)) == 1
    assert not default_storage.exists(kept.path)


def test_the_queue_s_map_shows_what_its_filters_keep_for_the_agent_s_services(client):
    w = make_world()
    resident = UserFactory()
    pothole = services.report_create(actor=resident, module=w.module, data=report_data(w.pothole))
    lamp = services.report_create(
        actor=resident, module=w.module, data=report_data(w.lamp, title="Lampadaire éteint", answers={"allumee": "non"})
    )
    away = services.report_create(actor=resident, module=w.module, data=report_data(w.pothole, title="Ailleurs"))
    services.report_reassign(actor=w.agent, report=away, service=w.metropole)
    client.force_login(w.agent)
    queue = client.get("/gestion/m/signalements/")
    assert 'data-feed="/gestion/m/signalements/carte.geojson"' in queue.text
    feed = client.get("/gestion/m/signalements/carte.geojson").json()
    assert {f["properties"]["id"] for f in feed["features"]} == {pothole.pk, lamp.pk} and not feed["truncated"]
    assert feed["url"] == "/gestion/m/signalements/" and feed["features"][0]["properties"]["id"] == lamp.pk
    assert feed["features"][0]["geometry"]["coordinates"] == [round(lamp.lon, 6), round(lamp.lat, 6)]
    filtered = client.get(f"/gestion/m/signalements/?category={w.lamp.pk}")
    assert f"carte.geojson?category={w.lamp.pk}" in filtered.text
    feed = client.get(f"/gestion/m/signalements/carte.geojson?category={w.lamp.pk}").json()
    assert [f["properties"]["id"] for f in feed["features"]] == [lamp.pk]
    closed = client.get("/gestion/m/signalements/carte.geojson?status=closed").json()
    assert closed["features"] == []
    assert 'data-point data-lat="' in client.get(f"/gestion/m/signalements/{lamp.pk}/").text
    client.force_login(resident)
    assert client.get("/gestion/m/signalements/carte.geojson").status_code in (302, 403)
