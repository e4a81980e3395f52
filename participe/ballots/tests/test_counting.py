"""Closing (the roll sealed), counting (refused with the differences, else the box sealed and the tally file
published), the recount script, receipts after the count, annulment."""

from __future__ import annotations

import datetime
import hashlib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.ballots import identity, selectors, services
from participe.ballots.models import Ballot, Election, StagedBallot
from participe.ballots.tests.factories import ElectionFactory, StationFactory, voter
from participe.permissions.refusals import Refused
from tests.factories import make_agent, make_org_admin

pytestmark = pytest.mark.django_db

RECOUNT = Path(__file__).resolve().parents[1] / "recount.py"


@pytest.fixture
def admin():
    return make_org_admin()


def _vote(election, choices):
    receipts = []
    for choice in choices:
        receipts.append(services.ballot_cast(actor=voter(), election=election, content={"choices": [choice]}).receipt)
    return receipts


def _paper(election, codes):
    agents = [make_agent(), make_agent()]
    station = StationFactory(module=election.module, name="Salle des fêtes")
    station.agents.add(*agents)
    for n in range(len(codes)):
        person = identity.from_documents(f"Papier{n}", "Votant", datetime.date(1960, 1, 1 + n), territory=None)
        services.roll_sign_paper(actor=agents[0], election=election, station=station, voter=person)
    for agent in agents:
        services.batch_enter(
            actor=agent, election=election, station=station, number=1, declared_count=len(codes), codes=codes
        )
    return station


def test_closing_seals_the_roll_and_mixes_what_waits(admin):
    election = ElectionFactory(batch_size=10)
    _vote(election, ["1", "2"])
    assert StagedBallot.objects.count() == 2
    services.election_close(actor=admin, election=election)
    assert election.status == "closed" and election.closed_at is not None
    assert not StagedBallot.objects.exists() and Ballot.objects.count() == 2
    with pytest.raises(Refused) as refused:
        services.ballot_cast(actor=voter(), election=election, content={"choices": ["1"]})
    assert refused.value.codes == ["closed"]
    assert AuditEntry.objects.filter(action="election.close", actor=admin).exists()


def test_the_vote_phase_ending_closes_the_election_without_an_actor():
    election = ElectionFactory()
    assert services.elections_close_due(election.module) == 0
    election.module.phases.update(end=timezone.now() - datetime.timedelta(seconds=1))
    assert services.elections_close_due(election.module) == 1
    election.refresh_from_db()
    assert election.status == "closed"
    assert AuditEntry.objects.get(action="election.close").actor is None


def test_counting_is_refused_with_the_difference_per_station(admin):
    election = ElectionFactory()
    _vote(election, ["1"])
    station = StationFactory(module=election.module, name="École Jules-Ferry")
    agent = make_agent()
    station.agents.add(agent)
    person = identity.from_documents("Sans", "Bulletin", datetime.date(1950, 2, 2), territory=None)
    services.roll_sign_paper(actor=agent, election=election, station=station, voter=person)
    with pytest.raises(ValidationError):
        services.election_count(actor=admin, election=election)  # not closed yet
    services.election_close(actor=admin, election=election)
    with pytest.raises(ValidationError) as error:
        services.election_count(actor=admin, election=election)
    assert "École Jules-Ferry : 1 émargements, 0 bulletins (écart : +1)." in error.value.messages
    election.refresh_from_db()
    assert election.status == "closed" and not election.tally_file


def test_counting_publishes_totals_results_and_a_tally_file_anyone_can_recount(admin, tmp_path):
    election = ElectionFactory(publish_receipts=True, min_group=2)
    receipts = _vote(election, ["1", "1", "2", "3", "1"])
    station = _paper(election, ["2", "2", "B", "X"])
    services.election_close(actor=admin, election=election)
    counted = services.election_count(actor=admin, election=election)

    assert counted.status == "counted"
    assert counted.totals["ballots"] == 9 and counted.totals["signed"] == 9
    assert counted.totals["by_kind"] == {"valid": 7, "blank": 1, "null": 1}
    assert counted.totals["by_channel"] == {"online": 5, "paper": 4}
    assert counted.totals["by_station"] == [{"id": station.pk, "name": "Salle des fêtes", "signed": 4, "ballots": 4}]
    votes = {o["id"]: o["votes"] for o in counted.results["overall"]["options"]}
    assert votes == {"1": 3, "2": 3, "3": 1}
    assert counted.results["by_channel"]["paper"]["kinds"] == {"valid": 2, "blank": 1, "null": 1}

    data = b"".join(selectors.tally_chunks(counted))
    assert hashlib.sha256(data).hexdigest() == counted.tally_sha256
    tally = json.loads(data)
    assert tally["format"] == "participe-tally/1" and tally["schema"]["method"] == "choices"
    assert sorted(b["receipt"] for b in tally["ballots"] if b["channel"] == "online") == sorted(receipts)
    assert AuditEntry.objects.get(action="election.count").after["sha256"] == counted.tally_sha256

    path = tmp_path / "depouillement.json"
    path.write_bytes(data)
    run = subprocess.run(
        [sys.executable, str(RECOUNT), str(path), "--sha256", counted.tally_sha256],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Décompte conforme." in run.stdout

    tampered = tmp_path / "modifie.json"
    tampered.write_text(json.dumps({**tally, "ballots": tally["ballots"][1:]}))
    run = subprocess.run(
        [sys.executable, str(RECOUNT), str(tampered), "--sha256", counted.tally_sha256],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 1 and "l'empreinte publiée" in run.stdout


def test_without_published_receipts_the_file_groups_identical_ballots_and_names_no_receipt(admin):
    election = ElectionFactory(publish_receipts=False)
    receipt = _vote(election, ["1", "1", "2"])[0]
    services.election_close(actor=admin, election=election)
    counted = services.election_count(actor=admin, election=election)
    tally = json.loads(b"".join(selectors.tally_chunks(counted)))
    assert sorted((b["content"]["choices"], b["count"]) for b in tally["ballots"]) == [(["1"], 2), (["2"], 1)]
    assert receipt.encode() not in b"".join(selectors.tally_chunks(counted))
    assert selectors.ballot_by_receipt(counted, receipt.lower().replace("-", " ")) is not None


def test_a_small_group_is_counted_but_not_detailed(admin):
    election = ElectionFactory(min_group=3)
    _vote(election, ["1", "2", "1"])
    _paper(election, ["3"])
    services.election_close(actor=admin, election=election)
    counted = services.election_count(actor=admin, election=election)
    assert counted.results["by_channel"]["paper"] == {"ballots": 1, "hidden": True}
    tally = json.loads(b"".join(selectors.tally_chunks(counted)))
    assert [b["station"] for b in tally["ballots"] if b["channel"] == "paper"] == [None]


def test_a_counted_box_accepts_nothing_and_administrators_can_only_annul(admin):
    election = ElectionFactory()
    _vote(election, ["1"])
    services.election_close(actor=admin, election=election)
    services.election_count(actor=admin, election=election)
    with pytest.raises(ValidationError):
        services.election_count(actor=admin, election=election)
    with pytest.raises(ValidationError):
        services.election_annul(actor=admin, election=election, reason=" ")
    annulled = services.election_annul(actor=admin, election=election, reason="Irrégularité constatée au bureau 2.")
    assert annulled.status == Election.Status.ANNULLED
    assert AuditEntry.objects.get(action="election.annul").reason == "Irrégularité constatée au bureau 2."


def test_only_the_staff_of_the_space_manage_an_election():
    election = ElectionFactory()
    with pytest.raises(Refused):
        services.election_close(actor=make_agent(), election=election)
    with pytest.raises(Refused):
        services.election_annul(actor=voter(), election=election, reason="Non.")
