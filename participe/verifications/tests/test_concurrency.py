"""Two accounts racing for the same census record: the row lock lets exactly one of them have it."""

from __future__ import annotations

import datetime
import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from participe.verifications import services
from participe.verifications.models import CensusRecord, Verification
from tests.factories import UserFactory, make_agent

BORN = datetime.date(1985, 7, 14)


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_it_gives_a_census_record_to_one_account_only_under_concurrency():
    services.census_import(
        actor=make_agent(), filename="r.csv", data="nom;prenom;date_naissance\nKerhervé;Anastasie;14/07/1985\n".encode()
    )
    users = [UserFactory() for _n in range(6)]
    barrier = threading.Barrier(len(users))
    outcomes: list[str] = []

    def verify(user):
        try:
            barrier.wait()
            services.census_verify(user=user, last_name="Kerhervé", first_name="Anastasie", birth_date=BORN)
            outcomes.append("granted")
        except ValidationError:
            outcomes.append("refused")
        finally:
            connection.close()

    threads = [threading.Thread(target=verify, args=(user,)) for user in users]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(outcomes) == ["granted"] + ["refused"] * (len(users) - 1)
    assert Verification.objects.filter(handler="census").count() == 1
    assert CensusRecord.objects.get().used_by_id == Verification.objects.get().user_id
