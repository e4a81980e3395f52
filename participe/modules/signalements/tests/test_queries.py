"""The pages read a fixed number of queries whatever the number of reports (no query per row), and the map feed is
the GeoJSON its markers need, escaped as JSON (decision 0028)."""

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participe.modules.signalements import services
from participe.modules.signalements.models import Report, Status
from participe.modules.signalements.tests.factories import NORTH, SOUTH, make_world, report_data
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def _reports(w, n, start=0):
    made = []
    for i in range(start, start + n):
        point = NORTH if i % 2 else SOUTH
        category = w.pothole if i % 3 else w.lamp
        data = report_data(category, point, title=f"Signalement {i}", answers={"allumee": "oui"})
        report = services.report_create(actor=UserFactory(), module=w.module, data=data)
        if i % 4 == 0:
            services.report_update(actor=w.admin, report=report, status=Status.FIXED, text="Réparé")
        made.append(report)
    return made


def _queries(client, url):
    client.get(url)  # per-process caches (content types, the organisation) filled first
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    return len(ctx.captured_queries)


def test_each_page_reads_as_many_queries_for_3_reports_as_for_15(client):
    w = make_world()
    reports = _reports(w, 3)
    agent = client.__class__()
    agent.force_login(w.agent)
    pages = [
        (client, "/signalements/"),
        (client, f"/signalements/?category={w.pothole.pk}&status=open"),
        (client, f"/signalements/carte.geojson?territory={w.north.pk}"),
        (client, f"/signalements/{reports[0].pk}/"),
        (client, "/signalements/statistiques/"),
        (agent, "/gestion/m/signalements/"),
        (agent, "/gestion/m/signalements/statistiques/"),
    ]
    few = [_queries(who, url) for who, url in pages]
    _reports(w, 12, start=3)
    assert [_queries(who, url) for who, url in pages] == few


def test_the_feed_is_geojson_with_what_the_markers_need_escaped_as_json(client):
    w = make_world()
    title = 'Trou « profond » "ici" </script> \\ \u2028 fin'
    report = services.report_create(
        actor=UserFactory(), module=w.module, data=report_data(w.pothole, NORTH, title=title)
    )
    response = client.get("/signalements/carte.geojson")
    assert response["Content-Type"].startswith("application/geo+json")
    feed = json.loads(response.content)
    assert feed["type"] == "FeatureCollection" and feed["url"] == "/signalements/"
    assert feed["statuses"]["nouveau"] == "nouveau"
    (feature,) = feed["features"]
    assert feature["geometry"] == {"type": "Point", "coordinates": [round(NORTH[1], 6), round(NORTH[0], 6)]}
    report.refresh_from_db()  # the title as stored (the service cleans some characters)
    assert feature["properties"] == {
        "id": report.pk,
        "title": report.title,
        "status": "nouveau",
        "category": "Nid-de-poule",
    }


def test_the_queue_gives_the_same_page_through_either_plan(monkeypatch):
    from participe.modules.signalements import selectors

    w = make_world()
    _reports(w, 9)
    services.report_reassign(actor=w.admin, report=Report.objects.order_by("pk").first(), service=w.metropole)
    filters = selectors.QueueFilters(status="all")
    for who, service in ((w.agent, None), (w.other_agent, None), (w.admin, w.metropole.pk)):
        chosen = selectors.QueueFilters(status="all", service=service) if service else filters
        through_assignments = [r.pk for r in selectors.queue(who, w.module, chosen)]
        monkeypatch.setattr(selectors, "SPARSE", 1)  # every service counts as a large one: newest first, probed
        newest_first = [r.pk for r in selectors.queue(who, w.module, chosen)]
        monkeypatch.undo()
        assert through_assignments == newest_first and through_assignments
