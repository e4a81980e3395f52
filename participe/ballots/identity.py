"""Who a voter is, for the one-émargement rule: the keys of a person, whichever channel they vote by.

A voter has one or several keys, all unique per election in the roll (``RollKey``):

- ``u:<id>``: their account, when they have one;
- ``p:<digest>``: their person digest, the census's keyed hash of (nom, prénom, date de naissance)
  (``participe.verifications.census.digest``): the digest of every census record their account used, and the one
  of the names and birth date of their account when an agent verified them.

An agent at a polling station finds a person by these same fields (in the census, or on documents) or by their
account, so that a resident who voted on paper is refused online and the reverse, however each was found.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q
from django.utils import timezone

from participe.accounts.models import User
from participe.organisation.models import Territory
from participe.verifications import census
from participe.verifications.models import CensusRecord, Verification


def person_key(last_name: str, first_name: str, birth_date: datetime.date) -> str:
    return f"p:{census.digest(last_name, first_name, birth_date)}"


def user_keys(user: Any) -> list[str]:
    """Every key of a signed-in voter: their account, and the person digests known for it (kept on the user
    object for the request)."""
    if "_ballot_keys" not in user.__dict__:
        user.__dict__["_ballot_keys"] = _user_keys(user)
    return list(user.__dict__["_ballot_keys"])


def _user_keys(user: Any) -> list[str]:
    digests = set(CensusRecord.objects.filter(used_by=user).values_list("digest", flat=True))
    keys = [f"u:{user.pk}", *(f"p:{d}" for d in sorted(digests))]
    return _merge(keys, user_keys_but_census(user))


def user_keys_but_census(user: Any) -> list[str]:
    """The keys of a signed-in voter that are not read from the census records their account used: their account,
    and the digest of their account's names with each verified birth date (the casting statement on PostgreSQL adds
    the census ones itself: ``CENSUS_KEYS_SQL``)."""
    keys = [f"u:{user.pk}"]
    if user.last_name and user.first_name:
        verified = Verification.objects.active().filter(user=user, birth_date__isnull=False)
        births: set[datetime.date] = {b for b in verified.values_list("birth_date", flat=True) if b is not None}
        for birth in sorted(births):
            key = person_key(user.last_name, user.first_name, birth)
            if key not in keys:
                keys.append(key)
    return keys


# The census keys of an account, in SQL (one parameter: the account's id): ``'p:' || digest`` of every census record
# it used, as ``_user_keys`` reads them.
CENSUS_KEYS_SQL = f"SELECT 'p:' || digest FROM {CensusRecord._meta.db_table} WHERE used_by_id = %s"  # noqa: S608


@dataclass
class PaperVoter:
    """A person an agent found at a polling station: their keys, and what the eligibility rule needs."""

    found_by: str  # "census", "account", "documents"
    keys: list[str]
    territory: Territory | None = None
    birth_date: datetime.date | None = None
    user: User | None = None
    notes: list[str] = field(default_factory=list)


def _census_records(digest: str) -> list[CensusRecord]:
    today = timezone.localdate()
    return list(
        CensusRecord.objects.select_related("territory", "used_by")
        .filter(digest=digest, census__is_active=True)
        .filter(Q(census__valid_until__isnull=True) | Q(census__valid_until__gte=today))
    )


def find_in_census(last_name: str, first_name: str, birth_date: datetime.date) -> PaperVoter | None:
    """The person of the census in force with these names and birth date (and their account if one used it)."""
    key = person_key(last_name, first_name, birth_date)
    records = _census_records(key[2:])
    if not records:
        return None
    record = records[0]
    voter = PaperVoter(found_by="census", keys=[key], territory=record.territory, birth_date=birth_date)
    if record.used_by is not None:
        voter.user = record.used_by
        voter.keys = _merge(voter.keys, user_keys(record.used_by))
    return voter


def from_documents(
    last_name: str, first_name: str, birth_date: datetime.date, territory: Territory | None
) -> PaperVoter:
    """A person the agent checked on documents (identity and address): their person digest."""
    return PaperVoter(
        found_by="documents",
        keys=[person_key(last_name, first_name, birth_date)],
        territory=territory,
        birth_date=birth_date,
    )


def from_account(user: User) -> PaperVoter:
    """A resident found by their account."""
    return PaperVoter(found_by="account", keys=user_keys(user), territory=user.territory, user=user)


def _merge(first: list[str], second: list[str]) -> list[str]:
    return first + [k for k in second if k not in first]
