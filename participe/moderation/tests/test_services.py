"""Reports, the threshold, decisions with their audit entries, notifications to the author, account blocks."""

import dataclasses
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.core.capabilities import Cap
from participe.core.registry import registry
from participe.moderation import services
from participe.moderation.models import AccountBlock, ModerationCase, Report
from participe.spaces.predicates import can_participate
from tests.factories import ItemFactory, UserFactory

pytestmark = pytest.mark.django_db


def report(item, n=1, reason="spam"):
    for _ in range(n):
        services.report_create(actor=UserFactory(), target=item, reason=reason, details="")


def test_it_counts_a_report_and_opens_a_case(item):
    reporter = UserFactory()
    created = services.report_create(actor=reporter, target=item, reason="abusive", details=" Insulte ")
    item.refresh_from_db()
    assert (item.reports_count, item.moderation_status) == (1, "published")
    assert (created.details, created.module, created.reason) == ("Insulte", item.module, "abusive")
    case = ModerationCase.objects.get()
    assert (case.is_open, case.reports_count, case.space, case.author) == (True, 1, item.module.space, item.author)
    assert AuditEntry.objects.filter(action="moderation.report", actor=reporter, reason="Insulte").exists()


def test_a_second_report_by_the_same_person_is_refused_kindly(item):
    reporter = UserFactory()
    services.report_create(actor=reporter, target=item, reason="spam")
    with pytest.raises(services.AlreadyReported, match="déjà signalé"):
        services.report_create(actor=reporter, target=item, reason="other", details="encore")
    item.refresh_from_db()
    assert item.reports_count == 1 and Report.objects.count() == 1


def test_other_reason_needs_details(item):
    with pytest.raises(ValidationError) as exc:
        services.report_create(actor=UserFactory(), target=item, reason="other", details="  ")
    assert "details" in exc.value.message_dict
    with pytest.raises(ValidationError):
        services.report_create(actor=UserFactory(), target=item, reason="nimporte", details="")


def test_reaching_the_threshold_hides_the_content_and_tells_its_author(
    item, notify, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        report(item, 2)
    item.refresh_from_db()
    assert item.moderation_status == "published" and not notify.called
    with django_capture_on_commit_callbacks(execute=True):
        report(item)
    item.refresh_from_db()
    assert (item.moderation_status, item.reports_count) == ("hidden", 3)
    assert item.moderated_at is not None
    assert AuditEntry.objects.filter(action="moderation.auto_hide", actor=None).exists()
    notify.assert_called_once()
    kwargs = notify.call_args.kwargs
    assert kwargs["event"] == "moderation.hidden" and kwargs["recipients"] == [item.author]
    assert "3 signalements" in kwargs["context"]["reason"]


def test_the_threshold_is_a_module_setting_then_a_platform_setting(item, settings):
    item.module.settings = {"report_threshold": 1}
    item.module.save()
    report(item)
    item.refresh_from_db()
    assert item.moderation_status == "hidden"
    other = ItemFactory()
    settings.PARTICIPE_REPORT_THRESHOLD = 2
    assert services.report_threshold(other.module) == 2
    del settings.PARTICIPE_REPORT_THRESHOLD
    assert services.report_threshold(other.module) == 3


def test_a_content_not_declared_reportable_cannot_be_reported(item):
    with pytest.raises(ValidationError):
        services.report_create(actor=UserFactory(), target=item.module, reason="spam")


def test_a_blocked_or_anonymous_person_cannot_report(item):
    blocked = UserFactory(blocked_at=timezone.now())
    with pytest.raises(PermissionDenied):
        services.report_create(actor=blocked, target=item, reason="spam")


def test_a_moderator_hides_then_unhides_with_audit_and_notifications(
    item, space_moderator, notify, django_capture_on_commit_callbacks
):
    report(item)
    with django_capture_on_commit_callbacks(execute=True):
        services.content_hide(actor=space_moderator, target=item, reason="Propos injurieux")
    item.refresh_from_db()
    assert (item.moderation_status, item.reports_count) == ("hidden", 0)
    assert Report.objects.get().resolution == "hidden"
    hide = AuditEntry.objects.get(action="moderation.hide")
    assert (hide.actor, hide.reason, hide.before, hide.after["moderation_status"]) == (
        space_moderator,
        "Propos injurieux",
        {"moderation_status": "published"},
        "hidden",
    )
    assert notify.call_args.kwargs == {
        "event": "moderation.hidden",
        "target": item,
        "actor": space_moderator,
        "recipients": [item.author],
        "context": {"reason": "Propos injurieux"},
    }
    assert not ModerationCase.objects.get().is_open
    with django_capture_on_commit_callbacks(execute=True):
        services.content_unhide(actor=space_moderator, target=item, reason="Erreur d'appréciation")
    item.refresh_from_db()
    assert item.moderation_status == "published"
    assert AuditEntry.objects.filter(action="moderation.unhide", reason="Erreur d'appréciation").exists()
    assert notify.call_args.kwargs["event"] == "moderation.unhidden"


def test_unhiding_a_content_hidden_by_reports_dismisses_them(item, space_moderator):
    item.module.settings = {"report_threshold": 2}
    item.module.save()
    report(item, 2)
    services.content_unhide(actor=space_moderator, target=item, reason="Rien d'illégal")
    item.refresh_from_db()
    assert (item.moderation_status, item.reports_count) == ("published", 0)
    assert set(Report.objects.values_list("resolution", flat=True)) == {"dismissed"}
    # New reports start again from zero.
    report(item)
    item.refresh_from_db()
    assert (item.moderation_status, item.reports_count) == ("published", 1)


def test_a_decision_needs_a_reason_and_a_moderator(item, space_moderator):
    with pytest.raises(ValidationError):
        services.content_hide(actor=space_moderator, target=item, reason="  ")
    with pytest.raises(PermissionDenied):
        services.content_hide(actor=UserFactory(), target=item, reason="Parce que")
    with pytest.raises(ValidationError, match="pas masqué"):
        services.content_unhide(actor=space_moderator, target=item, reason="Parce que")
    item.refresh_from_db()
    assert item.moderation_status == "published"
    assert not AuditEntry.objects.filter(action__startswith="moderation.").exists()


def test_dismissing_reports_keeps_the_content(item, space_moderator):
    report(item, 2)
    services.reports_dismiss(actor=space_moderator, target=item, reason="Critique légitime")
    item.refresh_from_db()
    assert (item.moderation_status, item.reports_count) == ("published", 0)
    assert AuditEntry.objects.filter(action="moderation.dismiss", reason="Critique légitime").exists()
    assert not ModerationCase.objects.get().is_open


def test_a_priori_a_pending_content_is_queued_then_published(
    item, org_admin, notify, django_capture_on_commit_callbacks
):
    item.module.settings = {"moderation_a_priori": True}
    item.module.save()
    assert services.initial_status(item.module) == "pending"
    assert services.initial_status(ItemFactory().module) == "published"
    item.moderation_status = services.initial_status(item.module)
    item.save()
    case = services.content_submit(target=item)
    assert case is not None and case.is_open and case.content_status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        services.content_publish(actor=org_admin, target=item, reason="Conforme à la charte")
    item.refresh_from_db()
    assert item.moderation_status == "published"
    assert AuditEntry.objects.filter(action="moderation.publish", actor=org_admin).exists()
    assert notify.call_args.kwargs["event"] == "moderation.published"
    with pytest.raises(ValidationError, match="pas en attente"):
        services.content_publish(actor=org_admin, target=item, reason="Encore")


def test_content_submit_ignores_a_published_content(item):
    assert services.content_submit(target=item) is None
    assert not ModerationCase.objects.exists()


def test_a_moderator_corrects_a_text_with_a_visible_note(
    item, space_moderator, notify, django_capture_on_commit_callbacks
):
    item.body = "Appelez-moi au 06 12 34 56 78 pour les bancs."
    item.save()
    assert services.editable_fields(item) == ["title", "body"]
    with django_capture_on_commit_callbacks(execute=True):
        services.content_edit_formatting(
            actor=space_moderator, target=item, field="body", new_value="Pour les bancs.", note="numéro retiré"
        )
    item.refresh_from_db()
    assert item.body == "Pour les bancs." and item.moderated_at is not None
    case = ModerationCase.objects.get()
    assert (case.edit_note, case.is_open) == ("numéro retiré", False)
    entry = AuditEntry.objects.get(action="moderation.edit")
    assert entry.before == {"body": "Appelez-moi au 06 12 34 56 78 pour les bancs."} and entry.reason == "numéro retiré"
    assert notify.call_args.kwargs["event"] == "moderation.edited"


def test_correcting_refuses_unknown_fields_and_missing_notes(item, space_moderator):
    with pytest.raises(ValidationError) as exc:
        services.content_edit_formatting(actor=space_moderator, target=item, field="author", new_value="x", note="n")
    assert "field" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.content_edit_formatting(actor=space_moderator, target=item, field="body", new_value="x", note="")
    assert "note" in exc.value.message_dict
    with pytest.raises(ValidationError) as exc:
        services.content_edit_formatting(actor=space_moderator, target=item, field="title", new_value="", note="n")
    assert "new_value" in exc.value.message_dict


def test_blocking_prevents_participation_and_unblocking_restores_it(item, org_admin):
    person = UserFactory()
    assert can_participate(Cap.COMMENT).test(person, item.module)
    block = services.user_block(actor=org_admin, user=person, reason="Insultes répétées")
    person.refresh_from_db()
    assert person.blocked_at is not None and block.reason == "Insultes répétées" and block.blocked_by == org_admin
    assert not can_participate(Cap.COMMENT).test(person, item.module)
    assert not can_participate(Cap.SUPPORT).test(person, item.module)
    assert person.has_perm("spaces.view_space", item.module.space)
    assert AuditEntry.objects.filter(action="moderation.block_user", reason="Insultes répétées").exists()
    with pytest.raises(ValidationError, match="déjà bloqué"):
        services.user_block(actor=org_admin, user=person, reason="Encore")
    services.user_unblock(actor=org_admin, user=person, reason="Excuses présentées")
    person.refresh_from_db()
    assert person.blocked_at is None and not AccountBlock.objects.exists()
    assert can_participate(Cap.COMMENT).test(person, item.module)
    assert AuditEntry.objects.filter(action="moderation.unblock_user", reason="Excuses présentées").exists()


def test_only_org_admins_block_and_never_an_admin_or_themselves(item, org_admin, space_moderator):
    person = UserFactory()
    with pytest.raises(PermissionDenied):
        services.user_block(actor=space_moderator, user=person, reason="x")
    with pytest.raises(ValidationError):
        services.user_block(actor=org_admin, user=org_admin, reason="x")
    with pytest.raises(ValidationError):
        services.user_block(actor=org_admin, user=UserFactory(is_org_admin=True), reason="x")
    with pytest.raises(ValidationError):
        services.user_block(actor=org_admin, user=person, reason="")


def test_delete_for_removes_reports_and_case(item):
    report(item, 2)
    services.delete_for(item)
    assert not Report.objects.exists() and not ModerationCase.objects.exists()


def test_moderation_events_are_declared():
    for key in ("moderation.hidden", "moderation.unhidden", "moderation.published", "moderation.edited"):
        assert registry.event(key) is not None


VISIBILITY_CHANGES: list[tuple[int, str, str]] = []


def _record_visibility(target, previous: str) -> None:
    VISIBILITY_CHANGES.append((target.pk, previous, target.moderation_status))


def test_a_resource_is_told_when_moderation_changes_the_visibility_of_an_item(item, space_moderator, monkeypatch):
    """``Resource.on_visibility_changed`` (the comments app recounts a thread there: see its tests)."""
    declared = dataclasses.replace(
        registry.resource("testapp.Item"), on_visibility_changed=f"{__name__}._record_visibility"
    )
    monkeypatch.setattr("participe.moderation.services.base.resource_of", lambda target: declared)
    VISIBILITY_CHANGES.clear()
    services.content_hide(actor=space_moderator, target=item, reason="Injurieux")
    services.content_unhide(actor=space_moderator, target=item, reason="Acceptable")
    assert [(item.pk, "published", "hidden"), (item.pk, "hidden", "published")] == VISIBILITY_CHANGES


def test_cases_sync_queues_pending_contents_a_module_did_not_submit(item):
    from django.core.management import call_command

    item.moderation_status = "pending"
    item.save()
    ItemFactory()  # published: not queued
    out = io.StringIO()
    call_command("moderation_sync", stdout=out)
    assert "1" in out.getvalue()
    case = ModerationCase.objects.get()
    assert (case.object_id, case.is_open, case.content_status) == (item.pk, True, "pending")
    assert services.cases_sync() == 0
