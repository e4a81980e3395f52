"""The ballot service's API: open elections with the reasons, casting with an Idempotency-Key, 409 and 422, receipts
and results after the count, the tally file."""

from __future__ import annotations

import hashlib

import pytest

from participe.ballots import services
from participe.ballots.models import RollEntry, StagedBallot
from participe.ballots.tests.factories import ElectionFactory, voter
from tests.factories import UserFactory, make_org_admin

pytestmark = pytest.mark.django_db

KEY = "0b7e4a52-3c6f-4f5e-9d1a-7c2b8e6f1a90"


def post(client, election, body, key=KEY):
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return client.post(
        f"/api/v1/ballots/elections/{election.pk}/ballots", body, content_type="application/json", **headers
    )


def test_open_elections_say_whether_the_caller_may_vote_and_why_not(client):
    election = ElectionFactory()
    answer = client.get("/api/v1/ballots/elections").json()
    assert [(e["id"], e["can_vote"]) for e in answer] == [(election.pk, False)]
    assert answer[0]["reasons"][0]["code"] == "sign_in"
    assert answer[0]["ballot_schema"]["method"] == "choices"
    client.force_login(voter())
    assert client.get(f"/api/v1/ballots/elections/{election.pk}").json()["can_vote"] is True


def test_casting_answers_the_receipt_once_and_replays_it_for_the_same_key(client):
    election = ElectionFactory()
    alice = voter()
    client.force_login(alice)
    first = post(client, election, {"content": {"choices": ["2"]}})
    assert first.status_code == 201, first.content
    again = post(client, election, {"content": {"choices": ["3"]}})
    assert again.status_code == 200 and again.json()["receipt"] == first.json()["receipt"] and again.json()["replayed"]
    other = post(client, election, {"content": {"choices": ["3"]}}, key="f" * 36)
    assert other.status_code == 409 and "en ligne" in other.json()["detail"]
    assert RollEntry.objects.count() == 1 and StagedBallot.objects.count() == 1
    detail = client.get(f"/api/v1/ballots/elections/{election.pk}").json()
    assert detail["voted"]["channel"] == "online" and detail["reasons"][0]["code"] == "already_voted"


def test_a_ballot_against_the_schema_is_a_422_with_the_pages_words(client):
    election = ElectionFactory()
    client.force_login(voter())
    answer = post(client, election, {"content": {"choices": ["1", "2"]}})
    assert answer.status_code == 422
    assert answer.json()["detail"] == [
        {"type": "ballot", "loc": ["body", "content", "choices"], "msg": "Choisissez une option."}
    ]
    assert post(client, election, {"content": {"choices": ["1"]}}, key="court").status_code == 422
    assert not RollEntry.objects.exists()


def test_refusals_are_403_and_signing_in_is_required(client):
    election = ElectionFactory()
    assert post(client, election, {"content": {"choices": ["1"]}}).status_code == 401
    election.module.phases.update(phase_type="information")
    client.force_login(UserFactory())
    answer = post(client, election, {"content": {"choices": ["1"]}})
    assert answer.status_code == 403 and answer.json()["detail"] == "Le vote n'est pas ouvert en ce moment."


def test_receipts_results_and_tally_after_the_count(client):
    election = ElectionFactory(publish_receipts=True)
    client.force_login(voter())
    receipt = post(client, election, {"content": {"choices": ["3"]}}).json()["receipt"]
    assert client.get(f"/api/v1/ballots/elections/{election.pk}/results").status_code == 409
    assert client.get(f"/api/v1/ballots/elections/{election.pk}/receipts/{receipt}").status_code == 409
    admin = make_org_admin()
    services.election_close(actor=admin, election=election)
    services.election_count(actor=admin, election=election)

    found = client.get(f"/api/v1/ballots/elections/{election.pk}/receipts/{receipt.lower()}").json()
    assert found == {
        "receipt": receipt,
        "found": True,
        "kind": "valid",
        "content": {"choices": ["3"]},
        "display": "Érable",
    }
    missing = client.get(f"/api/v1/ballots/elections/{election.pk}/receipts/0000-0000-0000").json()
    assert missing["found"] is False
    results = client.get(f"/api/v1/ballots/elections/{election.pk}/results").json()
    assert results["totals"]["ballots"] == 1
    tally = client.get(f"/api/v1/ballots/elections/{election.pk}/tally")
    body = b"".join(tally.streaming_content)
    assert hashlib.sha256(body).hexdigest() == results["tally_sha256"]
    assert tally["Digest"].startswith("sha-256=")
