"""The ballot service's back-office: the election's counts and acts, a station's émargement desk, double entry of a
batch with a mismatch, counting refused with the difference, then counted."""

from __future__ import annotations

import pytest

from participe.ballots import identity, services
from participe.ballots.models import Ballot, Election, PollingStation, RollEntry
from participe.ballots.tests.factories import ElectionFactory, StationFactory, voter
from participe.verifications.services import census_import
from tests.factories import TerritoryFactory, make_agent, make_org_admin

pytestmark = pytest.mark.django_db


@pytest.fixture
def election():
    TerritoryFactory(code="Q01", name="Centre")
    census_import(
        actor=make_org_admin(),
        filename="c.csv",
        data="nom;prenom;date_naissance;territoire\nMOREAU;Inès;03/02/1990;Q01\nPETIT;Luc;04/05/1980;Q01\n".encode(),
    )
    return ElectionFactory(channels=Election.Channels.BOTH)


def test_the_manager_adds_a_station_and_its_agents(client, election):
    admin = make_org_admin()
    agent = make_agent()
    client.force_login(admin)
    page = client.get(f"/gestion/scrutins/{election.pk}/")
    assert page.status_code == 200 and "Ajouter un bureau de vote" in page.content.decode()
    answer = client.post(
        f"/gestion/scrutins/{election.pk}/bureaux/ajouter/",
        {
            "name": "École Jules-Ferry",
            "place": "12 rue des Écoles",
            "opening_hours": "8 h – 19 h",
            "agents": [agent.pk],
        },
    )
    assert answer.status_code == 302
    station = PollingStation.objects.get()
    assert list(station.agents.all()) == [agent]


def test_an_agent_signs_voters_in_and_two_agents_type_a_batch(client, election):
    first, second = make_agent(), make_agent()
    station = StationFactory(module=election.module)
    station.agents.add(first, second)
    client.force_login(first)
    desk = f"/gestion/scrutins/{election.pk}/bureaux/{station.pk}/"
    assert (
        client.post(desk, {"last_name": "Moreau", "first_name": "Ines", "birth_date": "1990-02-03"}).status_code == 302
    )
    unknown = client.post(desk, {"last_name": "Inconnu", "first_name": "Jean", "birth_date": "1990-02-03"})
    assert "Personne de ce nom" in unknown.content.decode()
    assert (
        client.post(
            desk, {"last_name": "Inconnu", "first_name": "Jean", "birth_date": "1990-02-03", "documents": "on"}
        ).status_code
        == 302
    )
    again = client.post(desk, {"last_name": "MOREAU", "first_name": "Inès", "birth_date": "1990-02-03"})
    assert "Cette personne a déjà voté à ce scrutin, au bureau de vote" in again.content.decode()
    assert RollEntry.objects.count() == 2

    batches = f"/gestion/scrutins/{election.pk}/bureaux/{station.pk}/lots/"
    assert client.post(batches, {"number": 1, "declared_count": 2, "codes": "1\n2"}).status_code == 302
    client.force_login(second)
    mismatch = client.post(batches, {"number": 1, "declared_count": 2, "codes": "1\n3"})
    assert "votre saisie diffère de la première sur 1 ligne" in mismatch.content.decode()
    assert not Ballot.objects.exists()
    assert client.post(batches, {"number": 1, "declared_count": 2, "codes": "1 2"}).status_code == 302
    assert Ballot.objects.filter(station=station).count() == 2


def test_counting_refused_with_the_difference_then_counted(client, election):
    admin = make_org_admin()
    services.ballot_cast(actor=voter(), election=election, content={"choices": ["1"]})
    station = StationFactory(module=election.module, name="Gymnase")
    agent = make_agent()
    station.agents.add(agent)

    services.roll_sign_paper(
        actor=agent,
        election=election,
        station=station,
        voter=identity.find_in_census("Petit", "Luc", __import__("datetime").date(1980, 5, 4)),
    )
    client.force_login(admin)
    assert client.post(f"/gestion/scrutins/{election.pk}/clore/").status_code == 302
    refused = client.post(f"/gestion/scrutins/{election.pk}/depouiller/")
    assert "Gymnase : 1 émargements, 0 bulletins (écart : +1)." in refused.content.decode()
    for typist in (agent, admin):
        services.batch_enter(actor=typist, election=election, station=station, number=1, declared_count=1, codes=["2"])
    assert client.post(f"/gestion/scrutins/{election.pk}/depouiller/").status_code == 302
    election.refresh_from_db()
    assert election.status == "counted"
    assert client.get(f"/scrutins/{election.pk}/recu/?code=0000-0000-0000").status_code == 200


def test_residents_and_agents_of_other_stations_see_nothing(client, election):
    client.force_login(make_agent())
    assert client.get(f"/gestion/scrutins/{election.pk}/").status_code == 404
    client.force_login(voter())
    assert client.get(f"/gestion/scrutins/{election.pk}/").status_code == 403
