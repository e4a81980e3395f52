import pytest
import requests
from django.core.cache import cache
from georeport import GeoReport

from participe.modules.signalements import services
from participe.modules.signalements.models import Report, Status
from participe.modules.signalements.tests import open311_shapes as shapes
from participe.modules.signalements.tests.factories import NORTH, make_world, report_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

BASE = "/open311/v2"


@pytest.fixture
def world():
    w = make_world()
    services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    closed = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    services.report_update(actor=w.agent, report=closed, status=Status.FIXED, text="Rebouché")
    services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.unsafe))
    w.key, w.raw = services.apikey_issue(actor=w.admin, module=w.module, name="Appli terrain")
    return w


def test_discovery_and_services_in_xml_and_json(client, world):
    shapes.check_discovery_xml(client.get(f"{BASE}/discovery.xml").content)
    assert client.get(f"{BASE}/discovery.json").json()["endpoints"][0]["formats"] == ["text/xml", "application/json"]
    response = client.get(f"{BASE}/services.xml")
    assert response["Content-Type"] == "text/xml; charset=utf-8"
    shapes.check_services_xml(response.content)
    codes = [s["service_code"] for s in client.get(f"{BASE}/services.json").json()]
    assert codes == ["danger", "eclairage", "nid-de-poule"] or set(codes) == {"danger", "eclairage", "nid-de-poule"}


def test_service_definitions_carry_the_extra_questions(client, world):
    response = client.get(f"{BASE}/services/eclairage.xml")
    shapes.check_definition_xml(response.content)
    data = client.get(f"{BASE}/services/eclairage.json").json()
    assert data["attributes"][0]["code"] == "allumee"
    assert data["attributes"][0]["values"] == [{"key": "oui", "name": "Oui"}, {"key": "non", "name": "Non"}]
    missing = client.get(f"{BASE}/services/nope.xml")
    assert missing.status_code == 404
    shapes.check_errors_xml(missing.content, 404)


def test_requests_list_filters_and_hides_private_categories(client, world):
    found = shapes.check_requests_xml(client.get(f"{BASE}/requests.xml").content)
    assert len(found) == 2
    data = client.get(f"{BASE}/requests.json", {"status": "closed"}).json()
    shapes.check_requests_json(data)
    assert [r["status"] for r in data] == ["closed"]
    one = client.get(f"{BASE}/requests/{data[0]['service_request_id']}.json").json()
    assert one[0]["service_request_id"] == data[0]["service_request_id"]
    private = Report.objects.get(category=world.unsafe)
    assert client.get(f"{BASE}/requests/{private.pk}.json").status_code == 404
    too_long = client.get(
        f"{BASE}/requests.xml", {"start_date": "2026-01-01T00:00:00Z", "end_date": "2026-12-01T00:00:00Z"}
    )
    assert too_long.status_code == 400
    shapes.check_errors_xml(too_long.content, 400)


def test_post_needs_a_live_key_and_good_input_nothing_stored_otherwise(client, world):
    count = Report.objects.count()
    good = {"service_code": "nid-de-poule", "lat": NORTH[0], "long": NORTH[1], "description": "Trou"}
    no_key = client.post(f"{BASE}/requests.xml", good)
    assert no_key.status_code == 403
    shapes.check_errors_xml(no_key.content, 403)
    assert client.post(f"{BASE}/requests.json", {**good, "api_key": "o311_wrong"}).status_code == 403
    bad_lat = client.post(f"{BASE}/requests.json", {**good, "api_key": world.raw, "lat": "north"})
    assert bad_lat.status_code == 400 and bad_lat.json()[0]["code"] == 400
    unknown = client.post(f"{BASE}/requests.json", {**good, "api_key": world.raw, "service_code": "nope"})
    assert unknown.status_code == 404
    outside = client.post(f"{BASE}/requests.json", {**good, "api_key": world.raw, "lat": 48.85, "long": 2.35})
    assert outside.status_code == 400
    missing = client.post(f"{BASE}/requests.json", {**good, "api_key": world.raw, "service_code": "eclairage"})
    assert missing.status_code == 400 and "allumee" in missing.json()[0]["description"]
    assert Report.objects.count() == count
    created = client.post(
        f"{BASE}/requests.xml", {**good, "api_key": world.raw, "attribute[allumee]": "non", "service_code": "eclairage"}
    )
    assert created.status_code == 201, created.content
    shapes.check_post_xml(created.content)
    report = Report.objects.latest("pk")
    assert report.source == "open311" and report.api_key == world.key and report.answers == {"allumee": "non"}
    world.key.refresh_from_db()
    assert world.key.uses == 5  # every request with the key is counted
    services.apikey_revoke(actor=world.admin, key=world.key)
    assert client.post(f"{BASE}/requests.json", {**good, "api_key": world.raw}).status_code == 403


def test_posts_are_rate_limited_per_key(client, world, settings):
    settings.PARTICIPE_OPEN311_RATE = 2
    cache.clear()
    good = {"service_code": "nid-de-poule", "lat": NORTH[0], "long": NORTH[1], "api_key": world.raw}
    assert [client.post(f"{BASE}/requests.json", good).status_code for _ in range(3)] == [201, 201, 429]


@pytest.mark.django_db(transaction=True)
def test_the_georeport_client_lists_posts_with_a_photo_url_and_reads_back(live_server):
    w = make_world()
    _key, raw = services.apikey_issue(actor=w.admin, module=w.module, name="Client georeport")
    endpoint = f"{live_server.url}{BASE}"
    for fmt in ("json", "xml"):
        client = GeoReport(endpoint, api_key=raw, output_format=fmt)
        services_list = client.get_service_list()
        assert "nid-de-poule" in [s["service_code"] for s in services_list]
        assert client.get_service_definition("eclairage")
    # georeport reads only: the post is the form-encoded request any Open311 client sends.
    posted = requests.post(
        f"{endpoint}/requests.json",
        data={
            "api_key": raw,
            "service_code": "nid-de-poule",
            "lat": NORTH[0],
            "long": NORTH[1],
            "description": "Nid-de-poule profond",
            "media_url": "https://example.org/photo.jpg",
            "email": "a@example.org",
        },
        timeout=10,
    )
    assert posted.status_code == 201, posted.text
    request_id = posted.json()[0]["service_request_id"]
    read = GeoReport(endpoint, output_format="json").get_service_request(request_id)
    assert read["media_url"] == "https://example.org/photo.jpg" and read["status"] == "open"
    read_xml = GeoReport(endpoint, output_format="xml").get_service_request(request_id)
    assert read_xml["service_request_id"] == request_id
    listed = GeoReport(endpoint, output_format="xml").get_service_requests(service_request_id=request_id)
    assert listed["service_code"] == "nid-de-poule"
