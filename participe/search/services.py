"""The search index: written explicitly by the services that change searchable items (no signals).

``index_object(obj)`` after creating or editing a space, a news post or a searchable resource (and after a
change of a space's status or visibility, or of a module's publication, which the entries below them copy);
``unindex_object(obj)`` when it is deleted. ``reindex()`` rebuilds everything in batches
(``manage.py search_reindex``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone

from participe.core import pagecache, resources
from participe.core.registry import Resource, registry
from participe.search import text
from participe.search.models import SearchEntry, SearchEntryTerritory, SearchEntryTheme
from participe.spaces.models import Module, NewsPost, Space

BODY_LIMIT = 100_000  # characters of text indexed per item: PostgreSQL's tsvector stays far below its 1 MB limit
PLATFORM_MODELS = ("spaces.Space", "spaces.NewsPost")


def index_object(obj: Model, *, added: bool = False) -> None:
    """Add or refresh ``obj`` (a searchable resource, a space, a news post) in the search index.

    Indexing a space also refreshes what its entries copy from it (status, visibility, territories, themes);
    indexing a module refreshes whether its entries are published. Anything else is ignored. ``added``: a new
    contribution (a comment just posted), which the kept search pages show after the grace (decision 0045).
    """
    with transaction.atomic():
        pagecache.search_changed(grace=added)  # the kept search pages, once this commits
        if isinstance(obj, Module):
            SearchEntry.objects.filter(module=obj).update(module_published=obj.is_published)
            return
        if obj.pk is None or not is_indexed_model(type(obj)):
            return
        _write_batch(type(obj), [obj], _Places())
        if isinstance(obj, Space):
            _refresh_space_entries(obj)


def unindex_object(obj: Model) -> None:
    """Remove ``obj`` from the search index (its full-text row goes with it)."""
    with transaction.atomic():
        pagecache.search_changed()
        ct = ContentType.objects.get_for_model(obj)
        _delete_entries(SearchEntry.objects.filter(content_type=ct, object_id=obj.pk))


def delete_for(target: Model) -> None:
    """The index rows about one item (decision 0006: each shared app exposes it for module delete services)."""
    unindex_object(target)


def indexed_models() -> list[type[Model]]:
    """The models search indexes: spaces, news posts and every resource flagged ``searchable``."""
    labels = [*PLATFORM_MODELS, *(r.model for r in registry.resources() if r.searchable)]
    found: list[type[Model]] = []
    for label in labels:
        try:
            model = apps.get_model(label)
        except LookupError:
            continue
        if model not in found:
            found.append(model)
    return found


def is_indexed_model(model: type[Model]) -> bool:
    if model._meta.label in PLATFORM_MODELS:
        return True
    resource = registry.resource(model._meta.label)
    return resource is not None and resource.searchable


def reindex(
    *,
    models: Sequence[type[Model]] | None = None,
    batch_size: int = 1000,
    progress: Callable[[str, int, int], None] | None = None,
) -> int:
    """Rebuild the index of ``models`` (default: all indexed models) in batches; returns the number of entries.

    Each batch is written in its own transaction, so search keeps answering during a rebuild; entries of
    objects that no longer exist are removed at the end.
    """
    total = 0
    pagecache.search_changed()
    for model in models or indexed_models():
        ct = ContentType.objects.get_for_model(model)
        count = model._default_manager.count()
        done = 0
        places = _Places()
        for batch in _batches(_indexing_queryset(model), batch_size):
            with transaction.atomic():
                _write_batch(model, batch, places)
            done += len(batch)
            if progress:
                progress(model._meta.label, done, count)
        with transaction.atomic():
            stale = SearchEntry.objects.filter(content_type=ct).exclude(
                object_id__in=model._default_manager.values("pk")
            )
            _delete_entries(stale)
        total += done
    pagecache.search_changed()  # and again at the end: pages kept during the rebuild showed part of it
    return total


# --- building entries ---


@dataclass
class _Entry:
    entry: SearchEntry
    territory_ids: list[int]
    theme_ids: list[int]


class _Places:
    """Status, visibility, territories and themes of spaces, read once per space for a whole batch."""

    def __init__(self) -> None:
        self.spaces: dict[int, dict[str, Any]] = {}

    def load(self, space_ids: Iterable[int]) -> None:
        missing = {pk for pk in space_ids if pk is not None and pk not in self.spaces}
        if not missing:
            return
        for pk, status, visibility in Space.objects.filter(pk__in=missing).values_list("pk", "status", "visibility"):
            self.spaces[pk] = {"status": status, "public": visibility == Space.Visibility.PUBLIC, "t": [], "th": []}
        through_t = Space.territories.through.objects.filter(space_id__in=missing)
        for space_id, territory_id in through_t.values_list("space_id", "territory_id"):
            self.spaces[space_id]["t"].append(territory_id)
        through_th = Space.themes.through.objects.filter(space_id__in=missing)
        for space_id, theme_id in through_th.values_list("space_id", "theme_id"):
            self.spaces[space_id]["th"].append(theme_id)

    def get(self, space_id: int | None) -> dict[str, Any]:
        if space_id is None:  # a city-wide item, outside any space: public
            return {"status": Space.Status.PUBLISHED, "public": True, "t": [], "th": []}
        if space_id not in self.spaces:
            return {"status": "", "public": False, "t": [], "th": []}
        return self.spaces[space_id]


def _indexing_queryset(model: type[Model]) -> QuerySet[Any]:
    qs = model._default_manager.order_by("pk")
    if model is NewsPost:
        return qs.select_related("space")
    if model is Space:
        return qs
    if _has_field(model, "module"):
        return qs.select_related("module__space")
    return qs


def _batches(qs: QuerySet[Any], size: int) -> Iterator[list[Model]]:
    """Batches by primary key ranges (keyset), so the millionth row costs what the first did."""
    last = None
    while True:
        page = qs.filter(pk__gt=last) if last is not None else qs
        batch = list(page[:size])
        if not batch:
            return
        yield batch
        last = batch[-1].pk


def _write_batch(model: type[Model], objs: list[Model], places: _Places) -> None:
    ct = ContentType.objects.get_for_model(model)
    # An item may keep itself out of the index (a draft): decision 0006, ``is_searchable``.
    searchable = [obj for obj in objs if resources.is_searchable(obj)]
    built = [_build(obj, ct, places) for obj in _with_spaces(searchable, places)]
    _delete_entries(SearchEntry.objects.filter(content_type=ct, object_id__in=[o.pk for o in objs]))
    entries = SearchEntry.objects.bulk_create([b.entry for b in built], batch_size=500)
    for b, entry in zip(built, entries, strict=True):
        b.entry = entry
    if connection.vendor == "postgresql":
        pass  # the tsvector is a generated column
    elif connection.vendor == "sqlite" and any(e.pk is None for e in entries):
        # Old SQLite versions do not return ids from bulk inserts: read them back.
        ids = dict(
            SearchEntry.objects.filter(content_type=ct, object_id__in=[o.pk for o in objs]).values_list(
                "object_id", "pk"
            )
        )
        for b in built:
            b.entry.pk = ids[b.entry.object_id]
    if connection.vendor == "sqlite":
        write_fts_rows([(b.entry.pk, b.entry.title, b.entry.body) for b in built])
    SearchEntryTerritory.objects.bulk_create(
        [SearchEntryTerritory(entry_id=b.entry.pk, territory_id=t) for b in built for t in b.territory_ids],
        batch_size=1000,
    )
    SearchEntryTheme.objects.bulk_create(
        [SearchEntryTheme(entry_id=b.entry.pk, theme_id=t) for b in built for t in b.theme_ids], batch_size=1000
    )


def write_fts_rows(rows: Iterable[tuple[int, str, str]]) -> None:
    """Write the SQLite full-text rows of entries ``(id, title, body)``, normalised (see ``text.normalise``)."""
    with connection.cursor() as cursor:
        cursor.executemany(
            "INSERT INTO search_fts(rowid, title, body) VALUES (%s, %s, %s)",
            [(pk, text.normalise(title), text.normalise(body)) for pk, title, body in rows],
        )


def _with_spaces(objs: list[Model], places: _Places) -> list[Model]:
    places.load(_space_id(obj) for obj in objs)  # type: ignore[misc]
    return objs


def _space_id(obj: Model) -> int | None:
    if isinstance(obj, Space):
        return obj.pk
    if isinstance(obj, NewsPost):
        return obj.space_id
    module = resources.module_of(obj)
    return module.space_id if isinstance(module, Module) else None


def _build(obj: Model, ct: ContentType, places: _Places) -> _Entry:
    space_id = _space_id(obj)
    place = places.get(space_id)
    fields: dict[str, Any]
    if isinstance(obj, Space):
        fields = {
            "title": obj.title,
            "body": f"{obj.summary}\n{text.plain_text(obj.description)}",
            "url": obj.get_absolute_url(),
            "date": obj.published_at or obj.created_at,
        }
    elif isinstance(obj, NewsPost):
        fields = {
            "title": obj.title,
            "body": text.plain_text(obj.body),
            "url": reverse("spaces:news", kwargs={"slug": obj.space.slug, "pk": obj.pk}),
            "date": obj.published_at,
        }
    else:
        fields = _resource_fields(obj, registry.resource(obj._meta.label))
    module = resources.module_of(obj)
    entry = SearchEntry(
        content_type=ct,
        object_id=obj.pk,
        kind=obj._meta.label_lower,
        space_id=space_id,
        module_id=module.pk if isinstance(module, Module) else None,
        title=text.clean_line(fields["title"])[:300],  # plain text already: "<" is a character
        body=text.CONTROL.sub(" ", fields["body"])[:BODY_LIMIT],
        url=fields["url"][:500],
        date=fields["date"] or timezone.now(),
        space_status=place["status"],
        space_public=place["public"],
        module_published=module.is_published if isinstance(module, Module) else True,
        moderation_status=resources.moderation_status(obj),
    )
    territories = _own_ids(obj, "territories")
    themes = _own_ids(obj, "themes")
    return _Entry(
        entry=entry,
        territory_ids=territories if territories is not None else list(place["t"]),
        theme_ids=themes if themes is not None else list(place["th"]),
    )


def _resource_fields(obj: Model, resource: Resource | None) -> dict[str, Any]:
    title_field = resource.title_field if resource else "title"
    text_fields = resource.text_fields if resource else ()
    body = "\n".join(text.plain_text(str(getattr(obj, name, "") or "")) for name in text_fields)
    return {
        "title": str(getattr(obj, title_field, "") or obj),
        "body": body,
        "url": resources.item(obj).get_absolute_url(),
        "date": getattr(obj, "created_at", None),
    }


def _own_ids(obj: Model, name: str) -> list[int] | None:
    """Ids of the object's own territories or themes, or None when it takes those of its space."""
    if isinstance(obj, Space) or not _has_field(type(obj), name):
        return None  # a space's own are read with its status (``_Places``)
    if obj.pk is None:
        return []
    return list(getattr(obj, name).values_list("pk", flat=True))


def _space_related_ids(space: Space, name: str) -> list[int]:
    return list(getattr(space, name).values_list("pk", flat=True))


def _has_field(model: type[Model], name: str) -> bool:
    try:
        model._meta.get_field(name)
    except Exception:
        return False
    return True


def _refresh_space_entries(space: Space) -> None:
    """Entries under a space copy its status, visibility, territories and themes: refresh them all."""
    entries = SearchEntry.objects.filter(space=space)
    entries.update(space_status=space.status, space_public=space.visibility == Space.Visibility.PUBLIC)
    inheriting = [
        ct_id
        for ct_id in entries.order_by().values_list("content_type_id", flat=True).distinct()
        if not _models_own_places(ct_id)
    ]
    ids = list(entries.filter(content_type_id__in=inheriting).values_list("pk", flat=True))
    territories = _space_related_ids(space, "territories")
    themes = _space_related_ids(space, "themes")
    for chunk in _chunks(ids, 5000):
        SearchEntryTerritory.objects.filter(entry_id__in=chunk).delete()
        SearchEntryTheme.objects.filter(entry_id__in=chunk).delete()
        SearchEntryTerritory.objects.bulk_create(
            [SearchEntryTerritory(entry_id=e, territory_id=t) for e in chunk for t in territories], batch_size=1000
        )
        SearchEntryTheme.objects.bulk_create(
            [SearchEntryTheme(entry_id=e, theme_id=t) for e in chunk for t in themes], batch_size=1000
        )


def _models_own_places(content_type_id: int) -> bool:
    model = ContentType.objects.get_for_id(content_type_id).model_class()
    return model is None or model is Space or _has_field(model, "territories")


def _chunks(values: list[int], size: int) -> Iterator[list[int]]:
    for i in range(0, len(values), size):
        yield values[i : i + size]


def _delete_entries(entries: QuerySet[SearchEntry]) -> None:
    # On SQLite a trigger removes the full-text rows of deleted entries (migration 0002).
    entries.delete()
