"""Reads of user accounts for the back-office (searching a resident or an agent)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from participe.accounts.models import User


def users_search(query: str) -> QuerySet[User]:
    """Accounts whose email, pseudonym, first or last name contain every word of ``query``."""
    qs = User.objects.filter(is_deleted=False)
    words = query.split()
    if not words:
        return qs.none()
    for word in words[:5]:
        qs = qs.filter(
            Q(email__icontains=word)
            | Q(pseudonym__icontains=word)
            | Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
        )
    return qs.order_by("last_name", "first_name", "pseudonym")


def user_by_identifier(identifier: str) -> User | None:
    """The account whose email or pseudonym is exactly ``identifier`` (case-insensitive)."""
    identifier = identifier.strip()
    if not identifier:
        return None
    return (
        User.objects.filter(is_deleted=False)
        .filter(Q(email__iexact=identifier) | Q(pseudonym__iexact=identifier))
        .first()
    )


def managed_accounts() -> QuerySet[User]:
    """Accounts of residents without email, created by agents."""
    return User.objects.filter(managed_by__isnull=False, is_deleted=False).select_related("managed_by", "territory")
