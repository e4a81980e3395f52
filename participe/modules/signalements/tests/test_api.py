import pytest

from participe.modules.signalements import services
from participe.modules.signalements.models import Report, Status
from participe.modules.signalements.tests.factories import NORTH, OUTSIDE, make_world, report_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

API = "/api/v1/signalements"


def test_categories_reports_and_one_report_with_its_public_timeline(client):
    w = make_world()
    report = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    services.report_update(actor=w.agent, report=report, status=Status.ACKNOWLEDGED, text="Vu")
    services.report_reassign(actor=w.agent, report=report, service=w.metropole, reason="interne")
    services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.unsafe))
    assert {c["code"] for c in client.get(f"{API}/categories").json()} == {"nid-de-poule", "eclairage", "danger"}
    listed = client.get(f"{API}/reports").json()
    assert [r["id"] for r in listed] == [report.pk]
    assert client.get(f"{API}/reports", {"status": "closed"}).json() == []
    one = client.get(f"{API}/reports/{report.pk}").json()
    assert [u["text"] for u in one["updates"]] == ["", "Vu"]  # the internal step is not there
    private = Report.objects.get(category=w.unsafe)
    assert client.get(f"{API}/reports/{private.pk}").status_code == 404
    near = client.get(f"{API}/duplicates", {"lat": NORTH[0], "lon": NORTH[1], "category": "nid-de-poule"}).json()
    assert [r["id"] for r in near] == [report.pk]
    # a point off the globe is a 422 in the validation shape, not a server error (found by the API fuzzing)
    off = client.get(f"{API}/duplicates", {"lat": -5e-324, "lon": -3.0150355640973904e16})
    assert off.status_code == 422 and off.json()["detail"][0]["loc"] == ["query", "lon"]
    assert client.get(f"{API}/duplicates", {"lat": -90, "lon": -180}).json() == []  # at the pole: no server error


def test_reporting_through_the_api(client):
    make_world()
    body = {"category": "nid-de-poule", "title": "Trou", "lat": NORTH[0], "lon": NORTH[1]}
    assert client.post(f"{API}/reports", body, content_type="application/json").status_code == 403
    client.force_login(UserFactory())
    unknown = client.post(f"{API}/reports", {**body, "category": "nope"}, content_type="application/json")
    assert unknown.status_code == 422 and unknown.json()["detail"][0]["loc"] == ["body", "payload", "category"]
    outside = client.post(
        f"{API}/reports", {**body, "lat": OUTSIDE[0], "lon": OUTSIDE[1]}, content_type="application/json"
    )
    assert outside.status_code == 422 and "lat" in {d["loc"][-1] for d in outside.json()["detail"]}
    assert not Report.objects.exists()
    created = client.post(f"{API}/reports", body, content_type="application/json")
    assert created.status_code == 201 and created.json()["category"] == "nid-de-poule"
    assert Report.objects.get().source == "api"
