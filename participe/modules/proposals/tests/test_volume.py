"""The volume hook writes proposals whose counters match their supports and comments, as the lists rely on them."""

from __future__ import annotations

import random

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Count, Q

from participe.comments.models import Comment
from participe.harness.volume import heavy_tailed
from participe.modules.proposals.models import Proposal, StatusChange
from participe.search.models import SearchEntry
from participe.supports.models import Support

pytestmark = pytest.mark.django_db


def test_heavy_tailed_counts_add_up_and_respect_the_cap():
    counts = heavy_tailed(random.Random(3), 1000, 20_000, cap=300)
    assert sum(counts) == 20_000
    assert max(counts) <= 300
    assert sorted(counts)[500] < 20  # most items get few, a few get a lot
    assert heavy_tailed(random.Random(3), 5, 100, cap=10) == [10] * 5


def test_seed_volume_writes_consistent_proposals(tmp_path):
    call_command(
        "seed_volume",
        no_progress=True,
        accounts=80,
        spaces=8,
        territories=1,
        items_per_module=40,
        supports_per_item=6,
        comments_per_item=3,
    )
    proposals = Proposal.objects.all()
    assert proposals.count() >= 40
    content_type = ContentType.objects.get_for_model(Proposal)
    supports = dict(Support.objects.filter(content_type=content_type).values_list("object_id").annotate(n=Count("pk")))
    comments = {
        row["object_id"]: row
        for row in Comment.objects.filter(content_type=content_type)
        .values("object_id")
        .annotate(
            n=Count("pk"),
            favorable=Count("pk", filter=Q(parent__isnull=True, stance="favorable")),
            unfavorable=Count("pk", filter=Q(parent__isnull=True, stance="unfavorable")),
        )
    }
    assert sum(supports.values()) > 0 and comments
    for proposal in proposals:
        assert proposal.supports_count == supports.get(proposal.pk, 0)
        row = comments.get(proposal.pk, {"n": 0, "favorable": 0, "unfavorable": 0})
        assert proposal.comments_count == row["n"]
        assert proposal.comments_favorable_count == row["favorable"]
        assert proposal.comments_unfavorable_count == row["unfavorable"]
        if proposal.status == Proposal.Status.DRAFT:
            assert proposal.published_at is None and proposal.supports_count == 0
    for parent in Comment.objects.filter(parent__isnull=True, replies_count__gt=0)[:20]:
        assert parent.replies.count() == parent.replies_count
        assert not parent.replies.exclude(object_id=parent.object_id).exists()
    published = proposals.exclude(status=Proposal.Status.DRAFT)
    history = StatusChange.objects.filter(proposal__in=published)
    assert history.filter(kind="published").count() == published.count()
    assert history.filter(kind="withdrawn").count() == proposals.filter(status="withdrawn").count()
    assert history.filter(kind="answered").count() == proposals.filter(answered_at__isnull=False).count()
    assert not proposals.filter(status="withdrawn", supports_count__gt=0).exists()
    indexed = proposals.filter(status="published", moderation_status="published")
    entries = SearchEntry.objects.filter(kind="proposals.proposal")
    assert entries.count() == indexed.count()
    sample = indexed.first()
    entry = entries.get(object_id=sample.pk)
    assert entry.url == sample.get_absolute_url() and entry.module_id == sample.module_id
    assert entry.title == sample.title
    by_module = proposals.values("module").annotate(n=Count("pk"), top=Count("reference", distinct=True))
    assert all(row["n"] == row["top"] for row in by_module)  # references unique within a module
