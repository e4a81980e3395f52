"""What accounts hold about a person, for « Mes données » (decision 0035): the account, its email addresses, the
audit log's entries about the person (activity sits below accounts and registers nothing itself)."""

from __future__ import annotations

from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from participe.accounts.models import User
from participe.activity.models import AuditEntry
from participe.core.personal_data import Tables, plain, rows

ACCOUNT_FIELDS = (
    "pseudonym",
    "email",
    "first_name",
    "last_name",
    "show_real_name",
    "phone",
    "territory",
    "email_frequency",
    "date_joined",
    "last_login",
    "is_org_admin",
    "managed_by",
)


def personal_data(user: User) -> Tables:
    user_type = ContentType.objects.get_for_model(User)
    entries = AuditEntry.objects.filter(
        Q(actor=user) | Q(on_behalf_of=user) | Q(target_type=user_type, target_id=str(user.pk))
    ).select_related("target_type")
    return {
        "compte": rows([user], ACCOUNT_FIELDS),
        "adresses_electroniques": rows(
            EmailAddress.objects.filter(user=user).order_by("pk"), ("email", "verified", "primary")
        ),
        "journal": [_entry(entry, user) for entry in entries.order_by("created_at", "pk")],
    }


def _entry(entry: AuditEntry, user: User) -> dict[str, Any]:
    """An audit entry about the person: who acted is « vous » or « un agent » (another person's name is theirs)."""
    return {
        "date": plain(entry.created_at),
        "action": entry.action,
        "par": "vous" if entry.actor_id == user.pk else ("un agent" if entry.actor_id else "la plateforme"),
        "pour_vous": entry.on_behalf_of_id == user.pk,
        "objet_type": str(entry.target_type) if entry.target_type_id else "",
        "objet_id": entry.target_id,
        "objet": entry.target_repr,
        "avant": plain(entry.before),
        "apres": plain(entry.after),
        "motif": entry.reason,
        "adresse_ip": entry.ip_address or "",
    }
