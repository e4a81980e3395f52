"""Concurrent writes on PostgreSQL: one person voting at once by the web, the API and a polling station leaves one
émargement and at most one ballot; casts racing the closing are wholly in or wholly refused."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.test import Client

from participe.ballots import identity, selectors, services
from participe.ballots.models import Ballot, Election, RollEntry, StagedBallot
from participe.ballots.tests.factories import ElectionFactory, StationFactory, voter
from participe.permissions.refusals import Refused
from participe.verifications.services import census_import, census_verify
from tests.concurrency import race
from tests.factories import TerritoryFactory, UserFactory, make_agent, make_org_admin

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]

BORN = datetime.date(1972, 4, 9)


class Refusal(Exception):
    """An HTTP answer saying no (409: already voted), as the race helper counts refusals."""


def api_cast(client: Client, election: Election, key: str) -> None:
    answer = client.post(
        f"/api/v1/ballots/elections/{election.pk}/ballots",
        {"content": {"choices": ["1"]}},
        content_type="application/json",
        HTTP_IDEMPOTENCY_KEY=key,
    )
    if answer.status_code == 409:
        raise Refusal(answer.json()["detail"])
    assert answer.status_code in (200, 201), answer.content


def test_one_person_voting_everywhere_at_once_leaves_one_emargement_and_one_ballot():
    TerritoryFactory(code="Q09")
    census_import(
        actor=make_org_admin(),
        filename="c.csv",
        data=b"nom;prenom;date_naissance;territoire\nROUX;Lina;09/04/1972;Q09\n",
    )
    lina = UserFactory(first_name="Lina", last_name="Roux")
    census_verify(user=lina, last_name="Roux", first_name="Lina", birth_date=BORN)
    election = ElectionFactory(batch_size=1)
    station = StationFactory(module=election.module)
    agents = [make_agent() for _n in range(2)]
    station.agents.add(*agents)
    clients = []
    for _n in range(8):
        client = Client()
        client.force_login(lina)
        clients.append(client)

    def web(n: int):  # the page's form posts to the same service with its one-time token
        return lambda: services.ballot_cast(
            actor=UserFactory._meta.model.objects.get(pk=lina.pk),
            election=election,
            content={"choices": ["2"]},
            idempotency_key=f"formulaire-{n:012d}",
        )

    def paper(n: int):
        def sign():
            person = identity.find_in_census("ROUX", "Lina", BORN)
            services.roll_sign_paper(actor=agents[n % 2], election=election, station=station, voter=person)

        return sign

    calls = [lambda c=c, n=n: api_cast(c, election, f"api-{n:032d}") for n, c in enumerate(clients)]
    calls += [web(n) for n in range(8)] + [paper(n) for n in range(8)]
    outcomes = race(calls, refused=(Refused, ValidationError, Refusal))

    assert outcomes.count("ok") == 1, outcomes
    assert RollEntry.objects.filter(election=election).count() == 1
    entry = RollEntry.objects.get(election=election)
    online = StagedBallot.objects.filter(election=election).count() + Ballot.objects.filter(election=election).count()
    assert online == (1 if entry.channel == "online" else 0)


def race_the_closing(election: Election, admin, voters: list) -> tuple[list[str], dict[int, str]]:
    """Casts of ``voters`` and the closing, released together; the receipts of the casts that went through."""
    done: dict[int, str] = {}

    def cast(person):
        def run():
            done[person.pk] = services.ballot_cast(actor=person, election=election, content={"choices": ["1"]}).receipt

        return run

    def close():
        services.election_close(actor=admin, election=election)

    return race([cast(v) for v in voters] + [close], refused=(Refused,)), done


def test_casts_racing_the_closing_are_wholly_in_or_wholly_refused():
    admin = make_org_admin()
    for round_number in range(3):
        election = ElectionFactory(batch_size=4, key=f"course-{round_number}")
        outcomes, done = race_the_closing(election, admin, [voter() for _n in range(12)])
        assert outcomes.count("ok") == len(done) + 1
        election.refresh_from_db()
        assert election.status == "closed"
        # Every cast that returned a receipt has its émargement and its ballot; every refused one has neither.
        assert RollEntry.objects.filter(election=election).count() == len(done)
        boxed = sorted(Ballot.objects.filter(election=election).values_list("receipt", flat=True))
        assert boxed == sorted(done.values())
        assert not StagedBallot.objects.filter(election=election).exists()
        assert all(line.difference == 0 for line in selectors.count_lines(election))
        services.election_count(actor=admin, election=election)
