"""The secret of the ballot from the database's point of view (PostgreSQL): someone who reads every table, every
system column and the raw pages after a batch is mixed cannot link a ballot to its émargement — by ids, times,
transaction ids (``xmin``), physical position (``ctid``) or row order. Before the batch they can (the documented
residual window), which is checked too, so that the documentation stays true.

The tests know each voter's receipt (the casting service returns it): that is what a voter alone knows, used here
only to measure what an observer could infer without it.
"""

from __future__ import annotations

import random

import pytest
from django.db import connection

from participe.anonymity import mixing
from participe.ballots import services
from participe.ballots.models import Ballot, RollEntry, StagedBallot
from participe.ballots.tests.factories import ElectionFactory, voter
from tests.factories import make_org_admin
from tests.ordering import follows

pytestmark = [pytest.mark.postgres_only, pytest.mark.django_db(transaction=True)]


def rows(sql: str, params: tuple = ()) -> list[tuple]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall() if cursor.description else []


def xmins(table: str, election_id: int) -> set[int]:
    return {int(x) for (x,) in rows(f"SELECT xmin::text FROM {table} WHERE election_id = %s", (election_id,))}


def box_in_page_order(election_id: int) -> list[str]:
    """The receipts of the box in the order of their position in the table's pages (what a raw scan returns)."""
    return [
        r for (r,) in rows("SELECT receipt FROM ballots_ballot WHERE election_id = %s ORDER BY ctid", (election_id,))
    ]


def cast_all(election, count: int) -> list[str]:
    """``count`` voters cast in turn, each in its own committed transaction; their receipts in émargement order."""
    return [
        services.ballot_cast(actor=voter(), election=election, content={"choices": [str(1 + n % 3)]}).receipt
        for n in range(count)
    ]


@pytest.fixture
def pageinspect():
    rows("CREATE EXTENSION IF NOT EXISTS pageinspect")


def raw_pages(relation: str) -> bytes:
    """Every byte of every page of ``relation`` (heap or index), dead tuples and free space included."""
    blocks = rows("SELECT pg_relation_size(%s::regclass) / current_setting('block_size')::int", (relation,))[0][0]
    return b"".join(bytes(rows("SELECT get_raw_page(%s, %s)", (relation, n))[0][0]) for n in range(blocks))


def staging_relations() -> list[str]:
    indexes = [name for (name,) in rows("SELECT indexname FROM pg_indexes WHERE tablename = 'ballots_stagedballot'")]
    return ["ballots_stagedballot", *indexes]


def test_before_the_batch_the_staged_ballot_is_linked_to_its_emargement_by_xmin():
    """The residual window, as documented: until k ballots wait, the staging row shares the émargement's xmin."""
    election = ElectionFactory(batch_size=5)
    cast_all(election, 2)
    assert StagedBallot.objects.count() == 2
    assert xmins("ballots_stagedballot", election.pk) == xmins("ballots_rollentry", election.pk)


def test_after_a_batch_nothing_links_the_box_to_the_roll(pageinspect):
    election = ElectionFactory(batch_size=60, min_group=1)
    order = cast_all(election, 60)  # the 60th cast completes the batch: mixed after its commit, then VACUUM

    assert not StagedBallot.objects.exists()
    assert sorted(Ballot.objects.values_list("receipt", flat=True)) == sorted(order)
    # Transaction ids: the box's rows share one, the mixer's, which no émargement has.
    box_xmins = xmins("ballots_ballot", election.pk)
    assert len(box_xmins) == 1
    assert not box_xmins & xmins("ballots_rollentry", election.pk)
    # Ids: random (UUID version 4), no sequence to sort by.
    assert {b.pk.version for b in Ballot.objects.all()} == {4}
    # Times: the box has no time column; its only date is the day, the same for the whole batch.
    types = dict(
        rows("SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'ballots_ballot'")
    )
    assert {t for t in types.values() if "time" in t} == set()
    assert Ballot.objects.values("day").distinct().count() == 1
    # Row order: the order of the box's pages is a shuffle of the émargement order.
    assert not follows(order, box_in_page_order(election.pk))
    # The deleted staging rows are gone from the pages (heap and indexes): no receipt, no content left.
    for relation in staging_relations():
        pages = raw_pages(relation)
        assert not [r for r in order if r.encode() in pages], relation


def test_the_box_follows_the_mixers_shuffle_not_the_order_of_casting(monkeypatch):
    shuffles: list[list[str]] = []
    seeded = random.Random(2026)

    def shuffle(items):
        seeded.shuffle(items)
        shuffles.append([item["receipt"] for item in items])

    monkeypatch.setattr(mixing._random, "shuffle", shuffle)
    election = ElectionFactory(batch_size=8)
    order = cast_all(election, 8)
    assert shuffles and sorted(shuffles[0]) == sorted(order) and shuffles[0] != order
    assert box_in_page_order(election.pk) == shuffles[0]


def test_after_the_count_the_batches_cannot_be_told_apart(pageinspect):
    election = ElectionFactory(batch_size=10, min_group=1)
    order = cast_all(election, 40)  # four batches of ten
    assert len(xmins("ballots_ballot", election.pk)) == 4
    services.election_close(actor=make_org_admin(), election=election)
    services.election_count(actor=make_org_admin(), election=election)

    final = xmins("ballots_ballot", election.pk)
    assert len(final) == 1 and not final & xmins("ballots_rollentry", election.pk)
    observed = box_in_page_order(election.pk)
    assert sorted(observed) == sorted(order)
    assert not follows(order, observed)
    # Which batch (of the order of voting) a ballot came from is no longer in the pages: after VACUUM, every tuple
    # left in the box's heap pages carries the count's transaction id.
    blocks = rows("SELECT pg_relation_size('ballots_ballot') / current_setting('block_size')::int")[0][0]
    tuple_xmins = {
        int(x)
        for n in range(blocks)
        for (x,) in rows(
            "SELECT t_xmin::text FROM heap_page_items(get_raw_page('ballots_ballot', %s)) WHERE t_xmin IS NOT NULL",
            (n,),
        )
    }
    assert tuple_xmins == final
    assert RollEntry.objects.filter(election=election).count() == 40
