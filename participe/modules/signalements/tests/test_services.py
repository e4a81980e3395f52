import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from participe.assignments.models import AssignmentEvent
from participe.assignments.selectors import assignment_of
from participe.modules.signalements import selectors, services
from participe.modules.signalements.models import Report, Status
from participe.modules.signalements.tests.factories import NORTH, OUTSIDE, SOUTH, make_world, report_data
from participe.notifications.models import Notification
from participe.permissions.refusals import Refused
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_it_places_routes_and_follows_a_signed_in_report(django_capture_on_commit_callbacks):
    w = make_world()
    resident = UserFactory()
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_create(actor=resident, module=w.module, data=report_data(w.pothole))
    assert report.territory == w.north
    assert report.confirmed_at is not None
    assert assignment_of(report).service == w.voirie
    assert report.followers_count == 1
    assert Notification.objects.filter(recipient=w.agent).exists()


def test_the_same_category_goes_to_another_service_in_another_quartier():
    w = make_world()
    report = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole, SOUTH))
    assert report.territory == w.south
    assert assignment_of(report).service == w.metropole


def test_a_point_outside_every_territory_is_refused_and_nothing_is_written():
    w = make_world()
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole, OUTSIDE))
    assert "en dehors du territoire" in str(exc.value.message_dict["lat"])
    assert not Report.objects.exists()


def test_required_questions_and_choices_are_checked():
    w = make_world()
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.lamp))
    assert "q_allumee" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.report_create(
            actor=UserFactory(), module=w.module, data=report_data(w.lamp, answers={"allumee": "peut-être"})
        )
    report = services.report_create(
        actor=UserFactory(), module=w.module, data=report_data(w.lamp, answers={"allumee": "non"})
    )
    assert report.answers == {"allumee": "non"}


def test_a_one_off_report_waits_for_its_link_then_is_routed(django_capture_on_commit_callbacks):
    w = make_world()
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=AnonymousUser(), module=w.module, data=report_data(w.pothole))
    assert {"reporter_name", "reporter_email"} <= set(exc.value.message_dict)
    with django_capture_on_commit_callbacks(execute=True):
        report = services.report_create(
            actor=AnonymousUser(),
            module=w.module,
            data=report_data(w.pothole, reporter_name="Jo", reporter_email="jo@example.org"),
        )
    assert report.confirmed_at is None and assignment_of(report) is None
    assert len(mail.outbox) == 1 and report.confirmation_token in mail.outbox[0].body
    assert report not in selectors.public_reports(w.module)
    confirmed = services.report_confirm(token=report.confirmation_token)
    assert confirmed.confirmed_at is not None
    assert assignment_of(confirmed).service == w.voirie
    assert services.report_confirm(token="nope") is None


def test_duplicates_are_open_reports_of_the_category_within_the_radius():
    w = make_world()
    near = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    services.report_create(
        actor=UserFactory(), module=w.module, data=report_data(w.pothole, (NORTH[0] + 0.002, NORTH[1]))
    )  # ~220 m away
    services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.lamp, answers={"allumee": "oui"}))
    found = selectors.duplicates(w.module, w.pothole, NORTH[0] + 0.0002, NORTH[1], 50)
    assert [r.pk for r in found] == [near.pk]
    assert found[0].distance <= 50


def test_me_too_supports_and_follows():
    w = make_world()
    report = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    neighbour = UserFactory()
    services.report_me_too(actor=neighbour, report=report)
    services.report_me_too(actor=neighbour, report=report)
    report.refresh_from_db()
    assert report.supports_count == 1 and report.followers_count == 2


def test_an_agent_acknowledges_with_a_template_and_the_reporter_is_told(django_capture_on_commit_callbacks):
    from participe.modules.signalements.models import ResponseTemplate

    w = make_world()
    resident = UserFactory()
    report = services.report_create(actor=resident, module=w.module, data=report_data(w.pothole))
    template = ResponseTemplate.objects.create(
        module=w.module, status=Status.ACKNOWLEDGED, title="Reçu", text="Nous avons bien reçu votre signalement."
    )
    with pytest.raises(Refused):
        services.report_update(actor=w.other_agent, report=report, status=Status.ACKNOWLEDGED)
    with django_capture_on_commit_callbacks(execute=True):
        update = services.report_update(actor=w.agent, report=report, status=Status.ACKNOWLEDGED, template=template)
    assert update.text == template.text
    report.refresh_from_db()
    assert report.status == Status.ACKNOWLEDGED and report.acknowledged_at is not None
    assert Notification.objects.filter(recipient=resident, event="signalements.updated").exists()


def test_resolving_marks_the_assignment_done_and_the_reporter_reopens_within_30_days():
    w = make_world()
    resident = UserFactory()
    report = services.report_create(actor=resident, module=w.module, data=report_data(w.pothole))
    services.report_update(actor=w.agent, report=report, status=Status.FIXED, text="Rebouché.")
    assert assignment_of(Report.objects.get(pk=report.pk)).done_at is not None
    with pytest.raises(Refused):
        services.report_reopen(actor=UserFactory(), report=Report.objects.get(pk=report.pk))
    services.report_reopen(actor=resident, report=Report.objects.get(pk=report.pk), text="Toujours là.")
    report = Report.objects.get(pk=report.pk)
    assert report.status == Status.ACKNOWLEDGED and report.resolved_at is None
    assignment = assignment_of(report)
    assert assignment.service == w.voirie and assignment.done_at is None


def test_reopening_after_30_days_is_refused():
    w = make_world()
    resident = UserFactory()
    report = services.report_create(actor=resident, module=w.module, data=report_data(w.pothole))
    services.report_update(actor=w.agent, report=report, status=Status.FIXED)
    Report.objects.filter(pk=report.pk).update(resolved_at=timezone.now() - datetime.timedelta(days=31))
    with pytest.raises(Refused):
        services.report_reopen(actor=resident, report=Report.objects.get(pk=report.pk))


def test_reassigning_moves_the_report_and_tells_the_new_service(django_capture_on_commit_callbacks):
    w = make_world()
    report = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    with django_capture_on_commit_callbacks(execute=True):
        services.report_reassign(actor=w.agent, report=report, service=w.metropole, reason="Voie métropolitaine")
    assert assignment_of(Report.objects.get(pk=report.pk)).service == w.metropole
    assert AssignmentEvent.objects.filter(kind="reassigned", to_service=w.metropole).exists()
    assert Notification.objects.filter(recipient=w.other_agent).exists()
    # The first service no longer handles it.
    with pytest.raises(Refused):
        services.report_update(actor=w.agent, report=Report.objects.get(pk=report.pk), status=Status.PLANNED)


def test_changing_the_category_routes_again_by_the_place():
    w = make_world()
    report = services.report_create(
        actor=UserFactory(), module=w.module, data=report_data(w.lamp, SOUTH, answers={"allumee": "oui"})
    )
    assert assignment_of(report).service == w.voirie
    services.report_reassign(actor=w.agent, report=report, category=w.pothole)
    assert assignment_of(Report.objects.get(pk=report.pk)).service == w.metropole


def test_a_private_category_is_seen_by_its_reporter_and_the_service_only():
    w = make_world()
    resident = UserFactory()
    report = services.report_create(actor=resident, module=w.module, data=report_data(w.unsafe))
    assert resident.has_perm("signalements.view_report", report)
    assert not UserFactory().has_perm("signalements.view_report", report)
    assert not AnonymousUser().has_perm("signalements.view_report", report)
    assert w.agent.has_perm("signalements.view_report", report)
    assert report not in selectors.public_reports(w.module)


def test_api_keys_are_issued_hashed_and_revocable():
    w = make_world()
    key, raw = services.apikey_issue(actor=w.admin, module=w.module, name="Appli des agents")
    assert raw not in key.digest and services.apikey_check(raw) == key
    with pytest.raises(Refused):
        services.apikey_issue(actor=w.agent, module=w.module, name="x")
    services.apikey_revoke(actor=w.admin, key=key)
    assert services.apikey_check(raw) is None


def test_the_daily_digest_tells_each_service_its_open_and_overdue_reports():
    from django.core.management import call_command

    w = make_world()
    report = services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole))
    services.report_create(actor=UserFactory(), module=w.module, data=report_data(w.pothole, SOUTH))
    from participe.assignments.models import Assignment

    Assignment.objects.filter(object_id=report.pk).update(due_at=timezone.now() - datetime.timedelta(days=1))
    call_command("signalements_digest")
    notes = Notification.objects.filter(event="signalements.digest")
    assert {n.recipient_id for n in notes} == {w.agent.pk, w.other_agent.pk}
    mine = notes.get(recipient=w.agent)
    assert "dont 1 en retard" in mine.context["subject"]
