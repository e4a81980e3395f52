import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection

from participe.core.models import ModerationStatus
from participe.search.models import SearchEntry, SearchEntryTerritory, SearchEntryTheme
from participe.search.services import index_object, indexed_models, reindex, unindex_object
from participe.spaces.models import Space
from tests.factories import ItemFactory, ModuleFactory, SpaceFactory, TerritoryFactory, ThemeFactory, UserFactory

from .factories import NewsPostFactory

pytestmark = pytest.mark.django_db


def fts_rows():
    if connection.vendor != "sqlite":
        return None
    with connection.cursor() as cursor:
        cursor.execute("SELECT rowid, title, body FROM search_fts ORDER BY rowid")
        return cursor.fetchall()


def test_index_item_copies_title_text_space_and_module(indexed_item):
    item = indexed_item(title="Un banc < 2 m", body="<p>Près de l'école &amp; du parc</p>")
    entry = SearchEntry.objects.get()
    assert entry.kind == "testapp.item"
    assert entry.object_id == item.pk
    assert entry.title == "Un banc < 2 m"
    assert entry.body == "Près de l'école & du parc"
    assert entry.space_id == item.module.space_id
    assert entry.module_id == item.module_id
    assert entry.url == item.get_absolute_url()
    assert entry.space_status == Space.Status.PUBLISHED
    assert entry.space_public is True
    if connection.vendor == "sqlite":
        assert fts_rows() == [(entry.pk, "un banc 2 m", "pre de l ecole du parc")]


def test_index_again_replaces_the_entry(indexed_item):
    item = indexed_item(title="Avant")
    item.title = "Après"
    item.save()
    index_object(item)
    assert list(SearchEntry.objects.values_list("title", flat=True)) == ["Après"]
    if connection.vendor == "sqlite":
        assert [r[1] for r in fts_rows()] == ["apre"]


def test_unindex_removes_entry_and_fulltext_row(indexed_item):
    item = indexed_item()
    unindex_object(item)
    assert not SearchEntry.objects.exists()
    if connection.vendor == "sqlite":
        assert fts_rows() == []


def test_deleting_a_space_deletes_its_entries(indexed_item):
    item = indexed_item()
    index_object(item.module.space)
    item.module.space.delete()
    assert not SearchEntry.objects.exists()
    if connection.vendor == "sqlite":
        assert fts_rows() == []


def test_moderation_status_is_copied(indexed_item):
    indexed_item(moderation_status=ModerationStatus.HIDDEN)
    assert SearchEntry.objects.get().moderation_status == ModerationStatus.HIDDEN


def test_space_entry_with_territories_and_themes():
    territory, theme = TerritoryFactory(), ThemeFactory()
    space = SpaceFactory(summary="Résumé", description="<p>Une <em>longue</em> description</p>")
    space.territories.add(territory)
    space.themes.add(theme)
    index_object(space)
    entry = SearchEntry.objects.get()
    assert entry.kind == "spaces.space"
    assert entry.body == "Résumé\nUne longue description"
    assert list(SearchEntryTerritory.objects.values_list("territory_id", flat=True)) == [territory.pk]
    assert list(SearchEntryTheme.objects.values_list("theme_id", flat=True)) == [theme.pk]


def test_indexing_a_space_refreshes_what_its_items_copy(indexed_item):
    item = indexed_item()
    space = item.module.space
    territory = TerritoryFactory()
    space.territories.add(territory)
    space.visibility = Space.Visibility.PRIVATE
    space.status = Space.Status.ARCHIVED
    space.save()
    index_object(space)
    entry = SearchEntry.objects.get(kind="testapp.item")
    assert entry.space_public is False
    assert entry.space_status == Space.Status.ARCHIVED
    assert list(SearchEntryTerritory.objects.filter(entry=entry).values_list("territory_id", flat=True)) == [
        territory.pk
    ]


def test_indexing_a_module_refreshes_publication(indexed_item):
    item = indexed_item()
    item.module.is_published = False
    item.module.save()
    index_object(item.module)
    assert SearchEntry.objects.get().module_published is False


def test_news_post_entry():
    post = NewsPostFactory(body="<p>Réunion publique</p>")
    index_object(post)
    entry = SearchEntry.objects.get()
    assert entry.kind == "spaces.newspost"
    assert entry.url == f"/espaces/{post.space.slug}/actualites/{post.pk}/" or entry.url.endswith(f"/{post.pk}/")
    assert entry.date == post.published_at


def test_objects_that_are_not_searchable_are_ignored():
    index_object(UserFactory())
    index_object(ModuleFactory())
    assert not SearchEntry.objects.exists()


def test_indexed_models():
    labels = {m._meta.label for m in indexed_models()}
    assert {"spaces.Space", "spaces.NewsPost", "testapp.Item"} <= labels


def test_reindex_rebuilds_and_removes_stale_entries():
    items = ItemFactory.create_batch(5)
    ghost = ItemFactory()
    index_object(ghost)
    ct = ContentType.objects.get_for_model(ghost)
    ghost_pk = ghost.pk
    ghost.delete()  # deleted without unindexing: the rebuild removes it
    seen = []
    count = reindex(batch_size=2, progress=lambda label, done, total: seen.append((label, done, total)))
    spaces = Space.objects.count()
    assert count == 5 + spaces
    assert SearchEntry.objects.filter(kind="testapp.item").count() == 5
    assert not SearchEntry.objects.filter(content_type=ct, object_id=ghost_pk).exists()
    assert ("testapp.Item", 5, 5) in seen
    assert SearchEntry.objects.filter(object_id=items[0].pk, kind="testapp.item").exists()
    if connection.vendor == "sqlite":
        assert len(fts_rows()) == SearchEntry.objects.count()
