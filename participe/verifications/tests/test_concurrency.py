"""Two accounts racing for the same census record: the row lock lets exactly one of them have it."""

from __future__ import annotations

import datetime

import pytest

from participe.verifications import services
from participe.verifications.models import CensusRecord, Verification
from tests.concurrency import race
from tests.factories import UserFactory, make_agent

BORN = datetime.date(1985, 7, 14)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_gives_a_census_record_to_one_account_only_under_concurrency():
    services.census_import(
        actor=make_agent(), filename="r.csv", data="nom;prenom;date_naissance\nKerhervé;Anastasie;14/07/1985\n".encode()
    )
    users = [UserFactory() for _n in range(6)]
    outcomes = race(
        [
            lambda user=user: services.census_verify(
                user=user, last_name="Kerhervé", first_name="Anastasie", birth_date=BORN
            )
            for user in users
        ]
    )
    assert sorted(outcomes) == ["ok"] + ["refused"] * (len(users) - 1)
    assert Verification.objects.filter(handler="census").count() == 1
    assert CensusRecord.objects.get().used_by_id == Verification.objects.get().user_id
