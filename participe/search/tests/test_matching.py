"""What search offers modules: the ids of one model's items a query matches, and items with similar titles."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from participe.search import matching
from participe.search.matching import Matches, matching_ids, similar_titles
from participe.search.services import index_object
from participe.spaces.models import Space
from tests.factories import ModuleFactory, SpaceFactory
from tests.testapp.models import Item

pytestmark = pytest.mark.django_db


def full_text_queries(queries) -> list[str]:
    return [q["sql"] for q in queries.captured_queries if "search_fts" in q["sql"] or "search_vector" in q["sql"]]


def test_it_finds_the_ids_of_the_matching_items_once(indexed_item):
    school = indexed_item(title="Rénover les écoles", body="")
    park = indexed_item(title="Un parc", body="Près de l'école")
    indexed_item(title="Un parking", body="")
    with CaptureQueriesContext(connection) as queries:
        found = matching_ids(Item, "ECOLE")
        ids = set(found.apply(Item.objects.all()).values_list("pk", flat=True))
    assert sorted(found.ids) == sorted([school.pk, park.pk])
    assert not found.too_many
    assert ids == {school.pk, park.pk}
    assert len(full_text_queries(queries)) == 1  # the list then filters on the ids


def test_it_reads_queries_as_the_search_page_does(indexed_item):
    bench = indexed_item(title="Des bancs rue Haute", body="")
    indexed_item(title="Des bancs rue Basse", body="")
    tree = indexed_item(title="Des arbres", body="")
    assert matching_ids(Item, '"rue haute"').ids == [bench.pk]
    assert set(matching_ids(Item, "banc -basse").ids) == {bench.pk}
    assert set(matching_ids(Item, "haute OR arbre").ids) == {bench.pk, tree.pk}
    assert matching_ids(Item, "piscine").ids == []
    assert matching_ids(Item, "piscine").apply(Item.objects.all()).count() == 0


def test_an_empty_query_keeps_every_row(indexed_item):
    indexed_item()
    found = matching_ids(Item, "  ")
    assert found == Matches(everything=True)
    assert found.apply(Item.objects.all()).count() == 1


def test_it_keeps_the_items_of_a_module_or_a_space(indexed_item):
    mine = indexed_item(title="Des bancs", body="")
    theirs = indexed_item(title="Des bancs", body="", module=ModuleFactory())
    assert matching_ids(Item, "banc", module=mine.module).ids == [mine.pk]
    assert matching_ids(Item, "banc", space=theirs.module.space).ids == [theirs.pk]
    assert matching_ids("testapp.Item", "banc").too_many is False


def test_it_refuses_a_model_the_index_does_not_hold():
    with pytest.raises(ValueError, match="not held by the search index"):
        matching_ids("spaces.Phase", "banc")


def test_it_knows_the_other_indexed_models():
    space = SpaceFactory(title="Budget participatif des écoles")
    index_object(space)
    assert matching_ids(Space, "ecole").ids == [space.pk]


@pytest.mark.parametrize("drive", [1_000, 1])
def test_beyond_the_limit_each_row_is_checked_and_the_set_is_the_same(indexed_item, monkeypatch, drive):
    """Over the limit the ids are not read; ``apply`` checks each row (EXISTS on the entry's unique key). Under it,
    on SQLite beyond SQLITE_IDS_DRIVE, the list is read in its own order: the same items every way."""
    monkeypatch.setattr(matching, "SQLITE_IDS_DRIVE", drive)
    items = [indexed_item(title=f"Des bancs n° {n}", body="") for n in range(3)]
    indexed_item(title="Un parking", body="")
    under = matching_ids(Item, "banc")
    over = matching_ids(Item, "banc", limit=2)
    assert (under.too_many, over.too_many, over.ids) == (False, True, [])
    expected = {item.pk for item in items}
    assert set(under.apply(Item.objects.all()).values_list("pk", flat=True)) == expected
    with CaptureQueriesContext(connection) as queries:
        assert set(over.apply(Item.objects.all()).values_list("pk", flat=True)) == expected
    assert len(full_text_queries(queries)) == 1  # the match runs inside the list's query
    assert set(Item.objects.filter(over.condition()).values_list("pk", flat=True)) == expected


def test_matches_made_without_a_query_have_no_per_row_check():
    with pytest.raises(ValueError, match="no per-row check"):
        Matches(everything=True).condition()


def test_similar_titles_give_the_share_of_the_words_they_hold(indexed_item):
    close = indexed_item(title="Installer des bancs place du Marché", body="")
    partial = indexed_item(title="Des bancs au parc", body="", module=close.module)
    indexed_item(title="Une piscine couverte", body="", module=close.module)
    elsewhere = indexed_item(title="Des bancs place du marché", body="")
    found = similar_titles(Item.objects.order_by("pk"), "Des bancs sur la place du marché", module=close.module)
    assert found == [(1.0, close), (pytest.approx(1 / 3), partial)]
    assert [item for _share, item in similar_titles(Item.objects.order_by("pk"), "marché")] == [close, elsewhere]
    assert similar_titles(Item.objects.exclude(pk=close.pk), "bancs place", module=close.module) == [(0.5, partial)]
    assert similar_titles(Item.objects.all(), "le la les") == []
    assert similar_titles(Item.objects.all(), "") == []


def test_similar_titles_read_a_bounded_pool_of_candidates(indexed_item):
    items = [indexed_item(title=f"Des bancs n° {n}", body="") for n in range(4)]
    found = similar_titles(Item.objects.all(), "bancs", pool=2)
    assert sorted(item.pk for _share, item in found) == [items[2].pk, items[3].pk]  # the most recently indexed
