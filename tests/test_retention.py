"""``manage.py retention``: inactive accounts warned, then anonymised; old logs, links, drafts and archives
deleted; each run audited; a second run changes nothing (decision 0035)."""

from __future__ import annotations

import datetime
from io import StringIO

import pytest
from allauth.account.models import EmailAddress, EmailConfirmation
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from participe.accounts.models import User
from participe.activity.models import AuditEntry
from participe.dataright import retention
from participe.dataright.models import DataExport
from participe.modules.proposals.models import Proposal
from participe.modules.proposals.tests.factories import ProposalFactory
from tests.factories import UserFactory, make_org_admin

pytestmark = pytest.mark.django_db

NOW = timezone.now()
DAY = datetime.timedelta(days=1)


def seen(user: User, days_ago: int) -> User:
    User.objects.filter(pk=user.pk).update(last_login=NOW - days_ago * DAY, date_joined=NOW - 4000 * DAY)
    return User.objects.get(pk=user.pk)


def test_an_unused_account_is_warned_then_anonymised_and_each_run_is_audited(settings):
    inactive, warning = (
        settings.PARTICIPE_RETENTION["inactive_account"],
        settings.PARTICIPE_RETENTION["inactive_warning"],
    )
    sleeper = seen(UserFactory(email="dormeur@example.org", pseudonym="dormeur"), inactive - warning + 1)
    active = seen(UserFactory(email="active@example.org"), 10)
    admin = seen(make_org_admin(email="admin@example.org"), inactive + 100)

    assert retention.run(NOW)["accounts_warned"] == 1
    [email] = mail.outbox
    assert email.to == ["dormeur@example.org"] and "/compte/login/" in email.body
    sleeper.refresh_from_db()
    assert sleeper.inactivity_warned_at == NOW and not sleeper.is_deleted

    again = retention.run(NOW)  # idempotent: warned once, nothing else to do
    assert again["accounts_warned"] == 0 and again["accounts_anonymised"] == 0 and len(mail.outbox) == 1

    later = NOW + warning * DAY
    assert retention.run(later)["accounts_anonymised"] == 1
    sleeper.refresh_from_db()
    assert sleeper.is_deleted and sleeper.email is None and sleeper.pseudonym == f"supprime-{sleeper.pk}"
    assert retention.run(later)["accounts_anonymised"] == 0
    active.refresh_from_db()
    admin.refresh_from_db()
    assert not active.is_deleted and not admin.is_deleted  # the staff are never anonymised by time

    runs = AuditEntry.objects.filter(action="retention.run").order_by("created_at")
    assert runs.count() == 4
    assert runs.last().after["counts"]["accounts_anonymised"] == 0
    assert runs.last().after["periods_days"]["inactive_account"] == inactive
    assert AuditEntry.objects.filter(action="account.delete", actor=None).exists()  # by the deletion of decision 0021


def test_signing_in_after_the_warning_keeps_the_account(settings):
    inactive, warning = (
        settings.PARTICIPE_RETENTION["inactive_account"],
        settings.PARTICIPE_RETENTION["inactive_warning"],
    )
    user = seen(UserFactory(), inactive - warning + 1)
    retention.run(NOW)
    User.objects.filter(pk=user.pk).update(last_login=NOW + DAY)  # came back the next day
    result = retention.run(NOW + (warning + 1) * DAY)
    assert result["accounts_anonymised"] == 0 and result["accounts_warned"] == 0
    user.refresh_from_db()
    assert not user.is_deleted


def test_old_logs_links_drafts_and_archives_go(settings):
    periods = settings.PARTICIPE_RETENTION
    user = UserFactory()
    old_entry = AuditEntry.objects.create(action="old.thing")
    AuditEntry.objects.filter(pk=old_entry.pk).update(created_at=NOW - (periods["audit_log"] + 1) * DAY)
    recent_entry = AuditEntry.objects.create(action="recent.thing")
    address = EmailAddress.objects.create(user=user, email="lien@example.org")
    EmailConfirmation.objects.create(
        email_address=address, key="a" * 64, created=NOW - (periods["email_confirmation"] + 1) * DAY
    )
    EmailConfirmation.objects.create(email_address=address, key="b" * 64, created=NOW)
    old_draft = ProposalFactory(author=user, status=Proposal.Status.DRAFT)
    Proposal.objects.filter(pk=old_draft.pk).update(updated_at=NOW - (periods["draft"] + 1) * DAY)
    new_draft = ProposalFactory(author=user, status=Proposal.Status.DRAFT)
    DataExport.objects.create(user=user, status=DataExport.Status.READY, expires_at=NOW - DAY)
    kept = DataExport.objects.create(user=user, status=DataExport.Status.READY, expires_at=NOW + DAY)

    counts = retention.run(NOW)
    assert counts["audit_entries"] == 1 and counts["email_confirmations"] == 1
    assert counts["drafts"] == 1 and counts["data_exports"] == 1
    assert (
        not AuditEntry.objects.filter(pk=old_entry.pk).exists()
        and AuditEntry.objects.filter(pk=recent_entry.pk).exists()
    )
    assert list(EmailConfirmation.objects.values_list("key", flat=True)) == ["b" * 64]
    assert list(Proposal.objects.values_list("pk", flat=True)) == [new_draft.pk]
    assert list(DataExport.objects.all()) == [kept]
    second = retention.run(NOW)
    assert not any(second.values())


def test_the_command_says_what_it_did():
    out = StringIO()
    call_command("retention", stdout=out)
    assert "accounts_warned: 0" in out.getvalue()
    assert AuditEntry.objects.filter(action="retention.run").count() == 1
