"""Paper ballots: a person found in the census or by their account signs the roll at a station, once across
channels; batches are typed twice and placed in the box when both typings agree."""

from __future__ import annotations

import datetime

import pytest
from django.core.exceptions import ValidationError

from participe.activity.models import AuditEntry
from participe.ballots import identity, services
from participe.ballots.models import Ballot, Election, PaperBatch, RollEntry, RollKey
from participe.ballots.tests.factories import ElectionFactory, StationFactory, voter
from participe.core.capabilities import Cap
from participe.permissions.refusals import Refused
from participe.verifications.models import EligibilityRule
from participe.verifications.services import census_import, census_verify
from tests.factories import TerritoryFactory, UserFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db

CENSUS = "nom;prenom;date_naissance;territoire\nDUPONT;Marcel;05/01/1941;Q04\nLefèvre;Camille;14/07/1985;Q01\n"
BORN = datetime.date(1941, 1, 5)


@pytest.fixture
def town():
    TerritoryFactory(name="La Croix-Rouge", slug="croix-rouge", code="Q04")
    TerritoryFactory(name="Centre", slug="centre", code="Q01")
    census_import(actor=make_org_admin(), filename="recensement.csv", data=CENSUS.encode())


@pytest.fixture
def election():
    return ElectionFactory(channels=Election.Channels.BOTH)


@pytest.fixture
def station(election):
    agent = make_agent()
    station = StationFactory(module=election.module)
    station.agents.add(agent)
    station.agent = agent
    return station


def test_an_agent_signs_the_roll_for_a_person_found_in_the_census(town, election, station):
    person = identity.find_in_census("Dupont", "marcel", BORN)
    assert person is not None and person.territory.code == "Q04"
    entry = services.roll_sign_paper(actor=station.agent, election=election, station=station, voter=person)
    assert (entry.channel, entry.station, entry.recorded_by, entry.voter) == ("paper", station, station.agent, None)
    assert RollKey.objects.get(entry=entry).key == person.keys[0]
    assert not Ballot.objects.exists()  # the ballot goes in the urn; it is typed later, apart
    audit = AuditEntry.objects.get(action="ballot.sign_paper")
    assert audit.actor == station.agent and audit.after == {"station": station.pk, "found_by": "census"}


def test_the_same_person_cannot_sign_twice_whatever_the_spelling(town, election, station):
    services.roll_sign_paper(
        actor=station.agent, election=election, station=station, voter=identity.find_in_census("DUPONT", "Marcel", BORN)
    )
    again = identity.from_documents("Dupont ", "MARCEL", BORN, territory=None)
    with pytest.raises(ValidationError) as error:
        services.roll_sign_paper(actor=station.agent, election=election, station=station, voter=again)
    assert f"au bureau de vote « {station.name} »" in error.value.messages[0]
    assert RollEntry.objects.count() == 1


def test_a_resident_who_voted_on_paper_cannot_vote_online_and_the_reverse(town, election, station):
    marcel = UserFactory(first_name="Marcel", last_name="Dupont")
    census_verify(user=marcel, last_name="DUPONT", first_name="Marcel", birth_date=BORN)
    services.roll_sign_paper(
        actor=station.agent, election=election, station=station, voter=identity.find_in_census("Dupont", "Marcel", BORN)
    )
    with pytest.raises(Refused) as refused:
        services.ballot_cast(actor=marcel, election=election, content={"choices": ["1"]})
    assert refused.value.codes == ["already_voted"]
    assert station.name in str(refused.value)

    camille = UserFactory(first_name="Camille", last_name="Lefèvre")
    census_verify(user=camille, last_name="Lefèvre", first_name="Camille", birth_date=datetime.date(1985, 7, 14))
    services.ballot_cast(actor=camille, election=election, content={"choices": ["2"]})
    with pytest.raises(ValidationError) as error:
        services.roll_sign_paper(
            actor=station.agent,
            election=election,
            station=station,
            voter=identity.find_in_census("LEFEVRE", "Camille", datetime.date(1985, 7, 14)),
        )
    assert "en ligne" in error.value.messages[0]


def test_an_account_verified_at_the_counter_is_the_person_an_agent_finds_on_documents(election, station):
    jeanne = voter(first_name="Jeanne", last_name="Martin")  # verified at the counter, born 1980-05-17
    services.ballot_cast(actor=jeanne, election=election, content={"choices": ["1"]})
    person = identity.from_documents("MARTIN", "Jeanne", datetime.date(1980, 5, 17), territory=None)
    with pytest.raises(ValidationError):
        services.roll_sign_paper(actor=station.agent, election=election, station=station, voter=person)


def test_the_eligibility_rule_applies_to_paper_voters(town, election, station):
    rule = EligibilityRule.objects.create(module=election.module, action=Cap.VOTE, min_age=18)
    rule.territories.set([TerritoryFactory(name="Gare")])
    person = identity.find_in_census("Dupont", "Marcel", BORN)
    with pytest.raises(ValidationError) as error:
        services.roll_sign_paper(actor=station.agent, election=election, station=station, voter=person)
    assert "réservée aux habitants d'un autre territoire" in error.value.messages[0]


def test_only_the_agents_of_the_station_and_the_staff_run_it(town, election, station):
    person = identity.find_in_census("Dupont", "Marcel", BORN)
    with pytest.raises(Refused):
        services.roll_sign_paper(actor=make_agent(), election=election, station=station, voter=person)


def _sign(election, station, count):
    for n in range(count):
        person = identity.from_documents(f"Nom{n}", "Prénom", datetime.date(1970, 1, 1 + n), territory=None)
        services.roll_sign_paper(actor=station.agent, election=election, station=station, voter=person)


def test_a_batch_typed_twice_with_a_mismatch_is_flagged_then_validated(election, station):
    _sign(election, station, 4)
    second = make_agent()
    station.agents.add(second)
    first = services.batch_enter(
        actor=station.agent, election=election, station=station, number=1, declared_count=4, codes=["1", "2", "B", "X"]
    )
    assert first.waiting and not Ballot.objects.exists()
    typo = services.batch_enter(
        actor=second, election=election, station=station, number=1, declared_count=4, codes=["1", "3", "B", "X"]
    )
    assert typo.mismatches == [(2, "3", "2")] and not Ballot.objects.exists()
    fixed = services.batch_enter(
        actor=second, election=election, station=station, number=1, declared_count=4, codes=["1", "2", "b", "x"]
    )
    assert fixed.validated
    assert sorted(Ballot.objects.values_list("kind", flat=True)) == ["blank", "null", "valid", "valid"]
    assert set(Ballot.objects.values_list("station", flat=True)) == {station.pk}
    assert not Ballot.objects.filter(receipt__isnull=False).exists()
    assert PaperBatch.objects.get().status == "validated"
    with pytest.raises(ValidationError):
        services.batch_enter(
            actor=second, election=election, station=station, number=1, declared_count=4, codes=["1", "2", "B", "X"]
        )


def test_a_batch_is_refused_with_the_lines_the_schema_refuses_or_a_wrong_count(election, station):
    with pytest.raises(ValidationError) as error:
        services.batch_enter(
            actor=station.agent, election=election, station=station, number=1, declared_count=2, codes=["1", "7"]
        )
    assert error.value.messages == ["Ligne 2 (« 7 ») : Cette option n'existe pas."]
    with pytest.raises(ValidationError) as error:
        services.batch_enter(
            actor=station.agent, election=election, station=station, number=1, declared_count=3, codes=["1", "2"]
        )
    assert "Le lot compte 3 bulletins, mais 2 lignes sont saisies." in error.value.messages
    assert not PaperBatch.objects.exists()


def test_a_station_never_holds_more_ballots_than_emargements(election, station):
    _sign(election, station, 1)
    second = make_agent()
    station.agents.add(second)
    for agent in (station.agent, second):
        outcome = None
        try:
            outcome = services.batch_enter(
                actor=agent, election=election, station=station, number=1, declared_count=2, codes=["1", "2"]
            )
        except ValidationError as error:
            assert "qui ne compte que 1 émargements" in error.messages[0]
    assert outcome is None or not outcome.validated
    assert not Ballot.objects.exists()
