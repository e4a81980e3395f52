"""Open311 client: a category forwarded to an external GeoReport v2 endpoint. The endpoint is a real GeoReport v2
server over HTTP: our own /open311/v2/ in a live server, standing for a city's existing back-end (its own category
« chaussee », an API key it issued), and a port where nothing listens for the retries."""

from __future__ import annotations

import datetime
import io
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image

from participe.modules.signalements import forwarding, selectors, services
from participe.modules.signalements.models import Category, Forward, Forwarding, Report, Status, Update
from participe.modules.signalements.tests.factories import make_world, report_data
from participe.notifications.models import Notification
from participe.permissions.refusals import Refused
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)
NOWHERE = "http://127.0.0.1:9/open311/v2/"  # nothing listens there


@pytest.fixture
def world(live_server: Any, settings: Any) -> Any:
    settings.PARTICIPE_SITE_URL = live_server.url
    w = make_world()
    w.remote = Category.objects.create(
        module=w.module, name="Chaussée (métropole)", code="chaussee", default_service=w.voirie
    )
    _key, w.raw = services.apikey_issue(actor=w.admin, module=w.module, name="Plateforme de la commune")
    w.endpoint = f"{live_server.url}/open311/v2/"
    w.forwarding = forwarding.forwarding_save(
        actor=w.admin,
        category=w.pothole,
        data={"endpoint": w.endpoint, "api_key": w.raw, "service_code": "chaussee", "is_active": True},
    )
    return w


def _photo() -> ContentFile[bytes]:
    buffer = io.BytesIO()
    Image.new("RGB", (64, 48), (120, 120, 120)).save(buffer, "JPEG")
    return ContentFile(buffer.getvalue(), name="trou.jpg")


def _remote(forward: Forward) -> Report:
    return Report.objects.get(pk=int(forward.service_request_id))


def test_a_new_report_is_posted_and_the_endpoint_s_answers_come_back(world: Any) -> None:
    resident = UserFactory()
    report = services.report_create(
        actor=resident, module=world.module, data=report_data(world.pothole, address="3 rue Haute"), photos=[_photo()]
    )
    forward = Forward.objects.get(report=report)
    assert forward.state == Forward.State.SENT and forward.attempts == 1 and forward.last_error == ""
    remote = _remote(forward)
    assert remote.category == world.remote and remote.source == "open311"
    assert remote.title == report.title and remote.description.endswith(report.description)
    assert (remote.lat, remote.lon, remote.address) == (report.lat, report.lon, "3 rue Haute")
    assert remote.media_url.startswith(world.endpoint.split("/open311")[0] + "/media/attachments/")
    assert remote.reporter_email == "" and remote.reporter_name == ""  # no personal data leaves
    assert report.updates.filter(is_public=False, text__contains=f"n° {remote.pk}").exists()

    # The city's back-end resolves it: the sweep resolves the report here, with its words, and tells the resident.
    services.report_update(actor=world.agent, report=remote, status=Status.FIXED, text="Rebouché par la métropole.")
    assert forwarding.sweep() == {"sent": 0, "failed": 0, "updated": 1}
    report.refresh_from_db()
    assert report.status == Status.FIXED and report.resolved_at is not None
    step = report.updates.get(status_after=Status.FIXED)
    assert step.is_public and step.text == "Rebouché par la métropole." and step.author is None
    assert Notification.objects.filter(recipient=resident, event="signalements.updated").exists()
    assert forwarding.sweep()["updated"] == 0  # nothing new: nothing written

    # Reopened there: open again here.
    services.report_update(actor=world.agent, report=remote, status=Status.ACKNOWLEDGED, text="Le trou est revenu.")
    assert forwarding.sweep()["updated"] == 1
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED


def test_a_one_off_report_is_forwarded_once_confirmed(world: Any) -> None:
    data = report_data(world.pothole, reporter_name="Jo", reporter_email="jo@example.org")
    report = services.report_create(actor=_anonymous(), module=world.module, data=data)
    assert not Forward.objects.exists()  # not published yet: nothing leaves
    services.report_confirm(token=report.confirmation_token)
    assert Forward.objects.get(report=report).state == Forward.State.SENT


def _anonymous() -> Any:
    from django.contrib.auth.models import AnonymousUser

    return AnonymousUser()


def test_an_endpoint_down_is_retried_on_a_schedule_then_the_failure_is_shown_and_retried_by_hand(
    world: Any, client: Any
) -> None:
    Forwarding.objects.filter(pk=world.forwarding.pk).update(endpoint=NOWHERE)
    before = timezone.now()
    report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
    forward = Forward.objects.get(report=report)
    assert forward.state == Forward.State.PENDING and forward.attempts == 1 and forward.last_error
    assert forward.next_attempt_at >= before + datetime.timedelta(minutes=1)
    assert forwarding.sweep()["sent"] == 0 and Forward.objects.get(pk=forward.pk).attempts == 1  # not due yet
    for attempt in range(2, forwarding.MAX_ATTEMPTS + 1):
        Forward.objects.filter(pk=forward.pk).update(next_attempt_at=timezone.now())
        forwarding.sweep()
        forward.refresh_from_db()
        assert forward.attempts == attempt
    assert forward.state == Forward.State.FAILED and forward.next_attempt_at is None
    assert Update.objects.filter(report=report, is_public=False, text__startswith="Échec").count() == 1
    assert [f.report_id for f in selectors.failed_forwards(world.agent, world.module)] == [report.pk]

    client.force_login(world.agent)
    assert "Transmissions Open311 en échec" in client.get("/gestion/m/signalements/").text
    page = client.get(f"/gestion/m/signalements/{report.pk}/").text
    assert "échec de la transmission" in page and "Réessayer la transmission" in page
    Forwarding.objects.filter(pk=world.forwarding.pk).update(endpoint=world.endpoint)  # the back-end is back
    client.post(f"/gestion/m/signalements/{report.pk}/retransmettre/")
    forward.refresh_from_db()
    assert forward.state == Forward.State.SENT and _remote(forward).title == report.title


def test_a_refusal_of_the_endpoint_fails_at_once_with_its_words(world: Any) -> None:
    Forwarding.objects.filter(pk=world.forwarding.pk).update(api_key="o311_wrong")
    report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
    forward = Forward.objects.get(report=report)
    assert forward.state == Forward.State.FAILED and forward.attempts == 1
    assert "403" in forward.last_error and "Invalid api_key" in forward.last_error


def test_only_the_module_s_managers_set_a_forwarding_and_its_address_is_checked(world: Any, settings: Any) -> None:
    with pytest.raises(Refused):
        forwarding.forwarding_save(actor=world.agent, category=world.lamp, data={"endpoint": world.endpoint})
    settings.DEBUG = False
    with pytest.raises(Exception, match="https"):
        forwarding.forwarding_save(
            actor=world.admin, category=world.lamp, data={"endpoint": "http://example.org/", "service_code": "x"}
        )
    assert forwarding.forwarding_save(actor=world.admin, category=world.pothole, data={"endpoint": ""}) is None
    assert not Forwarding.objects.exists()
    report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
    assert not Forward.objects.filter(report=report).exists()


def test_the_category_page_sets_the_forwarding_and_keeps_what_was_typed_on_error(world: Any, client: Any) -> None:
    client.force_login(world.admin)
    url = f"/gestion/m/signalements/categories/{world.lamp.pk}/open311/"
    page = client.post(url, {"endpoint": world.endpoint, "api_key": "k", "service_code": ""})
    assert page.status_code == 200 and "Indiquez le code du service distant" in page.text
    assert world.endpoint in page.text and not Forwarding.objects.filter(category=world.lamp).exists()
    response = client.post(url, {"endpoint": world.endpoint, "api_key": "k", "service_code": "eclairage-ext"})
    assert response.status_code == 302
    assert Forwarding.objects.get(category=world.lamp).service_code == "eclairage-ext"


def test_a_forward_being_posted_is_left_by_another_worker_until_its_lease_ends(world: Any) -> None:
    Forwarding.objects.filter(pk=world.forwarding.pk).update(endpoint=NOWHERE)
    report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
    forward = Forward.objects.get(report=report)
    # A worker took it (its lease runs) and died before writing the outcome: nobody posts it meanwhile.
    Forward.objects.filter(pk=forward.pk).update(next_attempt_at=timezone.now() + forwarding.LEASE)
    assert forwarding.forward_send(forward.pk) is None
    Forwarding.objects.filter(pk=world.forwarding.pk).update(endpoint=world.endpoint)
    Forward.objects.filter(pk=forward.pk).update(next_attempt_at=timezone.now())  # the lease ended
    assert forwarding.sweep()["sent"] == 1
    assert Forward.objects.get(pk=forward.pk).attempts == 2


def test_the_endpoint_s_answer_closes_and_reopens_the_service_s_assignment_and_the_figures_follow(world: Any) -> None:
    from participe.activity.models import AuditEntry
    from participe.assignments.selectors import assignment_of, forget_assignment
    from participe.modules.signalements import figures

    report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
    forward = Forward.objects.get(report=report)
    assert assignment_of(report) is not None and not assignment_of(report).is_done  # type: ignore[union-attr]

    services.report_update(actor=world.agent, report=_remote(forward), status=Status.FIXED, text="Rebouché.")
    assert forwarding.sweep()["updated"] == 1
    forget_assignment(report)
    done = assignment_of(report)
    assert done is not None and done.is_done and done.done_by is None  # no person: the endpoint's answer
    entry = AuditEntry.objects.get(action="assignments.done", target_id=str(report.pk))
    assert entry.actor is None and "Open311" in entry.reason and world.endpoint in entry.reason
    assert figures.stored(world.module) == figures.recount(world.module)

    services.report_update(actor=world.agent, report=_remote(forward), status=Status.ACKNOWLEDGED, text="Revenu.")
    assert forwarding.sweep()["updated"] == 1
    forget_assignment(report)
    assert not assignment_of(report).is_done  # type: ignore[union-attr]
    assert figures.stored(world.module) == figures.recount(world.module)


def test_closing_an_assignment_with_no_actor_names_the_authority(world: Any) -> None:
    from participe.assignments import services as assignments

    report = services.report_create(actor=UserFactory(), module=world.module, data=report_data(world.pothole))
    with pytest.raises(ValueError):
        assignments.mark_done(actor=None, item=report)


class _DeferringEndpoint:
    """A GeoReport v2 server that defers creation (the specification's ``token``): the request id comes later,
    at ``tokens/{token}.json``; then ``requests.json`` answers its status."""

    def __init__(self) -> None:
        import http.server
        import json
        import threading
        import urllib.parse

        self.posted: list[dict[str, list[str]]] = []
        self.ready = False  # the city's back-end has not created the request yet
        self.status = "open"
        endpoint = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:
                pass

            def _answer(self, body: object) -> None:
                data = json.dumps(body).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def do_POST(self) -> None:
                length = int(self.headers.get("Content-Length") or 0)
                endpoint.posted.append(urllib.parse.parse_qs(self.rfile.read(length).decode()))
                self._answer([{"token": "tok-4242"}])

            def do_GET(self) -> None:
                path = urllib.parse.urlsplit(self.path)
                if path.path.endswith("/tokens/tok-4242.json"):
                    found = {"service_request_id": "77"} if endpoint.ready else {}
                    self._answer([{"token": "tok-4242", **found}])
                elif path.path.endswith("/requests.json"):
                    asked = urllib.parse.parse_qs(path.query).get("service_request_id", [""])[0].split(",")
                    notes = "Réparé par la métropole." if endpoint.status == "closed" else ""
                    answer = [{"service_request_id": "77", "status": endpoint.status, "status_notes": notes}]
                    self._answer(answer if "77" in asked else [])
                else:
                    self.send_error(404)

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/open311/v2/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_deferred_creation_gets_its_request_id_later_then_the_answers_come_back(world: Any) -> None:
    endpoint = _DeferringEndpoint()
    try:
        world.forwarding.endpoint = endpoint.url
        world.forwarding.save(update_fields=["endpoint"])
        resident = UserFactory()
        report = services.report_create(actor=resident, module=world.module, data=report_data(world.pothole))
        forward = Forward.objects.get(report=report)
        assert forward.state == Forward.State.SENT and forward.token == "tok-4242" and forward.service_request_id == ""
        assert endpoint.posted and endpoint.posted[0]["service_code"] == ["chaussee"]

        assert forwarding.sweep()["updated"] == 0  # not created there yet: the token is asked again next time
        forward.refresh_from_db()
        assert forward.service_request_id == ""

        endpoint.ready = True
        assert forwarding.sweep()["updated"] == 0  # the id now known; still open there
        forward.refresh_from_db()
        assert forward.service_request_id == "77" and forward.external_status == "open"

        endpoint.status = "closed"
        assert forwarding.sweep()["updated"] == 1
        report.refresh_from_db()
        assert report.status == Status.FIXED
        assert report.updates.filter(status_after=Status.FIXED, text="Réparé par la métropole.").exists()
        assert Notification.objects.filter(recipient=resident, event="signalements.updated").exists()
    finally:
        endpoint.close()
