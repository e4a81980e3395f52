"""The bilan's reads: its figures (participants, kinds, territories against their population, channels), every
contribution with its answer or none, in a number of queries that does not grow with the contributions."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participe.comments.tests.factories import CommentFactory
from participe.restitution.selectors import bilan_of
from participe.restitution.selectors.contributions import contributions_of
from participe.restitution.selectors.figures import figures_of
from tests.factories import ItemFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def quartiers():
    commune = TerritoryFactory(name="Lumerac", kind="commune", population=20_000)
    nord = TerritoryFactory(name="Nord", parent=commune, population=5_000)
    sud = TerritoryFactory(name="Sud", parent=commune, population=15_000)
    return commune, nord, sud


def test_participants_are_counted_once_whatever_they_gave(module, quartiers):
    _, nord, _ = quartiers
    author = UserFactory(territory=nord)
    item = ItemFactory(module=module, author=author)
    CommentFactory(item=item, author=author)
    CommentFactory(item=item, author=UserFactory())
    figures = figures_of([module])
    assert figures.participants == 2
    assert figures.contributions == 3
    assert {(k.label, k.count) for k in figures.kinds} == {("items", 1), ("commentaires", 2)}


def test_unpublished_and_official_contributions_are_not_counted(module, quartiers):
    ItemFactory(module=module, author=UserFactory(), moderation_status="hidden")
    shown = ItemFactory(module=module, author=UserFactory())
    CommentFactory(item=shown, official_role="service")
    CommentFactory(item=shown, deleted_at="2026-01-01T00:00:00Z")
    assert [(k.label, k.count) for k in figures_of([module]).kinds] == [("items", 1)]


def test_representativeness_compares_the_shares_of_participants_and_population(module, quartiers):
    _, nord, sud = quartiers
    for _ in range(3):
        ItemFactory(module=module, author=UserFactory(territory=nord))
    ItemFactory(module=module, author=UserFactory(territory=sud))
    ItemFactory(module=module, author=UserFactory(territory=None))
    rows = {row.territory.name if row.territory else None: row for row in figures_of([module]).territories}
    assert set(rows) == {"Nord", "Sud", None}  # the finest territories with a population, not their commune
    assert (rows["Nord"].participants, rows["Sud"].participants, rows[None].participants) == (3, 1, 1)
    assert (rows["Nord"].population_share, rows["Nord"].participants_share) == (25.0, 75.0)
    assert rows["Nord"].index == 3.0 and rows["Nord"].verdict == "over"
    assert rows["Sud"].verdict == "under"


def test_without_population_the_territories_still_say_where_people_come_from(module):
    quartier = TerritoryFactory(name="Centre")
    ItemFactory(module=module, author=UserFactory(territory=quartier))
    figures = figures_of([module])
    assert not figures.has_population
    assert [(r.territory, r.participants, r.index) for r in figures.territories] == [(quartier, 1, None)]


def test_channels_count_what_agents_entered(module):
    agent = UserFactory()
    item = ItemFactory(module=module, author=UserFactory())
    CommentFactory(item=item, author=UserFactory(), entered_by=agent)
    CommentFactory(item=item, author=UserFactory())
    channels = {c.key: c.contributions for c in figures_of([module]).channels}
    assert channels == {"online": 2, "paper": 0, "meeting": 0, "agent": 1}


def test_a_contribution_is_answered_by_an_official_reply(module, item):
    answered = CommentFactory(item=item, author=UserFactory(), body="Des bancs, vite !")
    CommentFactory(item=item, author=UserFactory(), parent=answered, official_role="service", body="C'est prévu.")
    CommentFactory(item=item, author=UserFactory(), body="Et des arbres ?")
    part = contributions_of(module, AnonymousUser())
    comments = next(g for g in part.groups if g.label == "commentaires")
    assert (comments.answered, comments.unanswered) == (1, 1)
    first, second = comments.contributions
    assert (first.answered, first.answer_text, first.about) == (True, "C'est prévu.", item)
    assert (second.answered, second.answer) == (False, "")


@pytest.mark.parametrize("limit", [2, 3, 10])
def test_the_counts_are_over_every_contribution_beyond_those_listed(module, item, monkeypatch, limit):
    monkeypatch.setattr("participe.restitution.selectors.contributions.MAX_ITEMS", limit)
    for n in range(3):
        ItemFactory(module=module, author=UserFactory())
        answered = CommentFactory(item=item, author=UserFactory(), body=f"Question {n}")
        if n:
            CommentFactory(item=item, author=UserFactory(), parent=answered, official_role="service", body="Oui.")
    part = contributions_of(module, AnonymousUser())
    items = next(g for g in part.groups if g.label == "items")
    comments = next(g for g in part.groups if g.label == "commentaires")
    assert (len(items.contributions), items.more) == (min(4, limit), max(4 - limit, 0))
    assert (len(comments.contributions), comments.more) == (min(3, limit), max(3 - limit, 0))
    assert (comments.answered, comments.unanswered) == (2, 1)


def test_the_bilan_reads_in_a_number_of_queries_that_does_not_grow(space, module, manager):
    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            bilan_of(space, AnonymousUser())
        return len(captured)

    item = ItemFactory(module=module, author=UserFactory())
    CommentFactory(item=item, author=UserFactory())
    few = queries()
    for _ in range(10):
        CommentFactory(item=ItemFactory(module=module, author=UserFactory()), author=UserFactory())
    assert queries() == few
