"""The retention periods applied (``manage.py retention``, every night: decision 0035, docs/data-rights.md).

Each step deletes what outlived its period in ``settings.PARTICIPE_RETENTION`` (days) and says how many; the run is
audited with those counts. Running it twice in a row changes nothing the second time.

- Inactive accounts: an account nobody signed in to (``last_login``, else ``date_joined``) for the period minus the
  warning is warned (by email when it has one) and marked; still unused when the period is over, and at least the
  warning's days after it, it is anonymised by the account deletion of decision 0021. Signing in cancels the warning.
  The staff (organisation administrators, Django staff) are never anonymised by time: their roles are withdrawn first.
- The audit log, email confirmation links, drafts (each module's ``Hooks.purge_drafts``), expired archives of
  « Mes données ».
"""

from __future__ import annotations

import datetime
import logging
from typing import Any

from allauth.account.models import EmailConfirmation
from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.db.models import F, Q, QuerySet
from django.db.models.functions import Coalesce
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from participe.accounts.models import User
from participe.accounts.services import account_delete
from participe.activity.models import AuditEntry
from participe.activity.services import audit
from participe.core.registry import registry
from participe.dataright.services import expire_exports

logger = logging.getLogger(__name__)


def _days(key: str) -> datetime.timedelta:
    return datetime.timedelta(days=settings.PARTICIPE_RETENTION[key])


def _ordinary_accounts() -> QuerySet[User]:
    """Accounts time may anonymise, with the date of their last sign-in (or of their creation) as ``last_seen``."""
    return User.objects.filter(is_deleted=False, is_org_admin=False, is_staff=False, is_superuser=False).annotate(
        last_seen=Coalesce("last_login", "date_joined")
    )


def warn_inactive(now: datetime.datetime) -> int:
    """Warn the accounts unused for the period minus the warning, not warned since they were last seen."""
    threshold = now - _days("inactive_account") + _days("inactive_warning")
    due = (
        _ordinary_accounts()
        .filter(last_seen__lt=threshold)
        .filter(Q(inactivity_warned_at__isnull=True) | Q(inactivity_warned_at__lt=F("last_seen")))
    )
    count = 0
    for user in due.order_by("pk").iterator():
        User.objects.filter(pk=user.pk).update(inactivity_warned_at=now)
        if user.email:
            try:
                _send_warning(user, now + _days("inactive_warning"))
            except Exception:  # one bad address must not stop the others; the warning stands, as for a managed account
                logger.exception("The inactivity warning of account %s could not be sent.", user.pk)
        count += 1
    return count


def _send_warning(user: User, on: datetime.datetime) -> None:
    context = {
        "date": on,
        "login_url": settings.SITE_URL.rstrip("/") + reverse("account_login"),
        "data_url": settings.SITE_URL.rstrip("/") + reverse("dataright:index"),
        "site_url": settings.SITE_URL,
    }
    body = render_to_string("emails/dataright/inactivity_warning.txt", context)
    EmailMessage(subject=_("Votre compte sera anonymisé faute d'utilisation"), body=body, to=[user.email]).send()


def anonymise_inactive(now: datetime.datetime) -> int:
    """Anonymise the accounts warned at least the warning's days ago, unused since, past the inactivity period."""
    due = _ordinary_accounts().filter(
        last_seen__lt=now - _days("inactive_account"),
        inactivity_warned_at__isnull=False,
        inactivity_warned_at__lte=now - _days("inactive_warning"),
        inactivity_warned_at__gte=F("last_seen"),
    )
    count = 0
    for user in due.order_by("pk").iterator():
        account_delete(user=User.objects.get(pk=user.pk), actor=None)
        count += 1
    return count


def run(now: datetime.datetime | None = None) -> dict[str, Any]:
    """Apply every period once; return the counts (also written to the audit log)."""
    now = now or timezone.now()
    counts: dict[str, int] = {
        "accounts_warned": warn_inactive(now),
        "accounts_anonymised": anonymise_inactive(now),
    }
    with transaction.atomic():
        counts["audit_entries"] = AuditEntry.objects.filter(created_at__lt=now - _days("audit_log")).delete()[0]
        counts["email_confirmations"] = EmailConfirmation.objects.filter(
            created__lt=now - _days("email_confirmation")
        ).delete()[0]
    counts["drafts"] = registry.purge_drafts(now - _days("draft"))
    counts["data_exports"] = expire_exports(now=now)
    audit(
        actor=None,
        action="retention.run",
        after={"counts": counts, "periods_days": dict(settings.PARTICIPE_RETENTION)},
    )
    return counts
