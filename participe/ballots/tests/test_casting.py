"""Casting online: the émargement and the staged ballot together, the mixer, receipts, idempotency, refusals."""

from __future__ import annotations

import datetime
import re

import pytest
from django.core import mail
from django.core.exceptions import ValidationError
from django.utils import timezone

from participe.activity.models import AuditEntry
from participe.ballots import services
from participe.ballots.models import Ballot, Election, RollEntry, RollKey, StagedBallot
from participe.ballots.tests.factories import ElectionFactory, voter
from participe.core.capabilities import Cap
from participe.permissions.explain import explain
from participe.permissions.refusals import Refused
from participe.verifications.models import EligibilityRule
from tests.factories import TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db

TILLEUL = {"choices": ["1"]}


def test_it_writes_the_emargement_and_stages_the_ballot_without_the_voter(django_capture_on_commit_callbacks):
    election = ElectionFactory()
    alice = voter()
    with django_capture_on_commit_callbacks(execute=True):
        cast = services.ballot_cast(actor=alice, election=election, content=TILLEUL)
    assert re.fullmatch(r"[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}", cast.receipt)
    entry = RollEntry.objects.get(election=election)
    assert (entry.voter, entry.channel, entry.station) == (alice, "online", None)
    assert set(RollKey.objects.filter(entry=entry).values_list("key", flat=True)) == {f"u:{alice.pk}"}
    staged = StagedBallot.objects.get(election=election)  # one ballot: below the batch size of 3, it waits
    assert staged.content == TILLEUL
    assert staged.receipt == cast.receipt
    assert not Ballot.objects.exists()
    assert AuditEntry.objects.filter(action="ballot.cast", actor=alice).count() == 1


def test_it_moves_a_full_batch_into_the_box_with_random_ids_and_the_day(django_capture_on_commit_callbacks):
    election = ElectionFactory(batch_size=3)
    receipts = set()
    for _n in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            receipts.add(services.ballot_cast(actor=voter(), election=election, content=TILLEUL).receipt)
    assert not StagedBallot.objects.exists()
    ballots = list(Ballot.objects.filter(election=election))
    assert {b.receipt for b in ballots} == receipts
    assert {b.day for b in ballots} == {timezone.localdate()}
    assert len({b.pk.version for b in ballots}) == 1 and ballots[0].pk.version == 4


def test_a_repeated_request_with_the_same_key_answers_the_first_receipt():
    election = ElectionFactory()
    alice = voter()
    first = services.ballot_cast(actor=alice, election=election, content=TILLEUL, idempotency_key="k" * 20)
    again = services.ballot_cast(actor=alice, election=election, content={"choices": ["2"]}, idempotency_key="k" * 20)
    assert again.receipt == first.receipt and again.replayed
    assert RollEntry.objects.count() == 1 and StagedBallot.objects.count() == 1


def test_a_second_ballot_is_refused_saying_the_channel_never_the_vote():
    election = ElectionFactory()
    alice = voter()
    services.ballot_cast(actor=alice, election=election, content=TILLEUL)
    with pytest.raises(Refused) as refused:
        services.ballot_cast(actor=alice, election=election, content={"choices": ["2"]})
    assert refused.value.codes == ["already_voted"]
    assert "en ligne" in str(refused.value) and "Tilleul" not in str(refused.value)
    assert StagedBallot.objects.count() == 1


def test_an_idempotency_key_too_short_to_be_secret_is_refused():
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(actor=voter(), election=ElectionFactory(), content=TILLEUL, idempotency_key="1")
    assert "idempotency_key" in error.value.message_dict
    assert not RollEntry.objects.exists()


@pytest.mark.parametrize(
    ("content", "message"),
    [({"choices": []}, "Choisissez une option."), ({"choices": ["9"]}, "Cette option n'existe pas.")],
)
def test_a_ballot_against_the_schema_is_refused_next_to_its_field_and_nothing_is_written(content, message):
    with pytest.raises(ValidationError) as error:
        services.ballot_cast(actor=voter(), election=ElectionFactory(), content=content)
    assert error.value.message_dict == {"choices": [message]}
    assert not RollEntry.objects.exists() and not StagedBallot.objects.exists()


def test_a_blank_vote_is_a_ballot_without_content_when_the_election_allows_it():
    election = ElectionFactory(allow_blank=True)
    services.ballot_cast(actor=voter(), election=election, content=None, blank=True)
    assert StagedBallot.objects.get().kind == "blank"
    election.allow_blank = False
    election.save()
    with pytest.raises(ValidationError):
        services.ballot_cast(actor=voter(), election=election, content=None, blank=True)


def test_refusals_come_with_their_reasons():
    election = ElectionFactory()
    gare = TerritoryFactory(name="Gare")
    rule = EligibilityRule.objects.create(module=election.module, action=Cap.VOTE, require_verification=True)
    rule.territories.set([gare])
    with pytest.raises(Refused) as refused:
        services.ballot_cast(actor=UserFactory(), election=election, content=TILLEUL)
    assert refused.value.codes == ["not_eligible"]
    assert refused.value.reasons[0].action_url == "/verification/"
    assert explain(voter(), "ballots.cast_ballot", election).reasons[0].code == "not_eligible"

    election.module.phases.update(end=timezone.now() - datetime.timedelta(minutes=1))
    assert explain(voter(), "ballots.cast_ballot", election).reasons[0].code == "not_open"
    Election.objects.filter(pk=election.pk).update(status=Election.Status.CLOSED)
    election.refresh_from_db()
    assert explain(voter(), "ballots.cast_ballot", election).reasons[0].code == "closed"


def test_a_paper_only_election_refuses_online_ballots():
    election = ElectionFactory(channels=Election.Channels.PAPER)
    with pytest.raises(Refused) as refused:
        services.ballot_cast(actor=voter(), election=election, content=TILLEUL)
    assert refused.value.codes == ["paper_only"]


def test_the_receipt_is_sent_by_email_only_when_asked(django_capture_on_commit_callbacks):
    election = ElectionFactory()
    with django_capture_on_commit_callbacks(execute=True):
        services.ballot_cast(actor=voter(), election=election, content=TILLEUL)
    assert mail.outbox == []
    alice = voter()
    with django_capture_on_commit_callbacks(execute=True):
        cast = services.ballot_cast(actor=alice, election=election, content=TILLEUL, email_receipt=True)
    assert len(mail.outbox) == 1 and mail.outbox[0].to == [alice.email]
    assert cast.receipt in mail.outbox[0].body and "Tilleul" not in mail.outbox[0].body


def test_the_receipt_depends_on_the_voter_and_the_key_and_nothing_else():
    election = ElectionFactory()
    alice, bob = voter(), voter()
    assert services.receipt_for(election, alice, "x" * 20) == services.receipt_for(election, alice, "x" * 20)
    assert services.receipt_for(election, alice, "x" * 20) != services.receipt_for(election, bob, "x" * 20)
    assert services.receipt_for(election, alice, "x" * 20) != services.receipt_for(election, alice, "y" * 20)
