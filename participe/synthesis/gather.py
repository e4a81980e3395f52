"""The contributions of a space, from every module, through the manifest contract (no module is imported).

A resource a module declares with ``contribution_fields`` (``participe.core.registry.Resource``) is a contribution:
its published, visible items in the modules of the space are read, their text being those fields (HTML stripped).
A resource with ``contribution_items`` says itself which of its items are (a signalements module's public reports),
or hands ``Contribution`` records for what has no item to link (a questionnaire's free-text answers).
Its territory is the item's own (``territory``) or else its author's; its stance the item's ``stance`` when it has
one (a debate's comments); its question the item it answers when it answers one (a comment's subject). The space's
imported contributions (``ImportedContribution``) come last. Reads only, in chunks: a space of 100,000
contributions is read without holding its rows."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from participe.core import resources
from participe.core.registry import Contribution, Resource, registry
from participe.core.sanitize import plain_text
from participe.spaces.models import Module, Space
from participe.synthesis.models import ImportedContribution

CHUNK = 2_000


@dataclass
class Gathered:
    reference: str
    kind: str
    url: str
    text: str
    territory_name: str = ""
    stance: str = ""
    question: str = ""
    date: Any = None
    content_type_id: int | None = None
    object_id: int | None = None
    imported_id: int | None = None


def contribution_resources() -> list[Resource]:
    return [r for r in registry.resources() if r.contribution_fields or r.contribution_items]


def plain(value: Any) -> str:
    return plain_text(str(value or ""))


def _published(model: type[Model], rows: QuerySet[Any]) -> QuerySet[Any]:
    names = {f.name for f in model._meta.get_fields()}
    if "status" in names:
        rows = rows.filter(status="published")
    if "moderation_status" in names:
        rows = rows.filter(moderation_status=resources.PUBLISHED)
    if "deleted_at" in names:
        rows = rows.filter(deleted_at__isnull=True)
    if "official_role" in names:  # the collectivité's answers are not contributions
        rows = rows.filter(official_role="")
    return _related(model, rows)


def _related(model: type[Model], rows: QuerySet[Any]) -> QuerySet[Any]:
    names = {f.name for f in model._meta.get_fields()}
    related = [n for n in ("territory", "author", "module") if n in names]
    if "author" in names and "territory" not in names:
        related.append("author__territory")
    rows = rows.select_related(*related)
    targets = [f.name for f in model._meta.private_fields if isinstance(f, GenericForeignKey)]
    return rows.prefetch_related(*targets)


def _territory(item: Any) -> str:
    territory = getattr(item, "territory", None)
    if territory is None:
        author = getattr(item, "author", None)
        territory = getattr(author, "territory", None) if author is not None else None
    return str(territory) if territory is not None else ""


def _question(item: Any) -> str:
    target = getattr(item, "target", None)
    return plain(target)[:300] if target is not None else ""


def _date(item: Any) -> Any:
    stamp = getattr(item, "published_at", None) or getattr(item, "created_at", None)
    return stamp.date() if stamp is not None else None


def _items(resource: Resource, modules: list[Module]) -> Iterator[Gathered]:
    model = apps.get_model(resource.model)
    if "module" not in {f.name for f in model._meta.get_fields()}:
        return
    if resource.contribution_items:
        yield from _declared(resource, model, modules)
        return
    rows = _published(model, model._default_manager.filter(module__in=modules)).order_by("pk")
    yield from _rows(resource, model, rows)


def _declared(resource: Resource, model: type[Model], modules: list[Module]) -> Iterator[Gathered]:
    """The contributions a module names itself, for its modules among ``modules``."""
    items = import_string(str(resource.contribution_items))
    keys = {m.key for m in registry.all() if resource in m.resources}
    for module in modules:
        if module.module_type not in keys:
            continue
        found = items(module)
        if isinstance(found, QuerySet):
            yield from _rows(resource, model, _related(model, found).order_by("pk"))
            continue
        for record in found:
            gathered = _record(module, record)
            if gathered.text:
                yield gathered


def _record(module: Module, record: Contribution) -> Gathered:
    return Gathered(
        reference=record.reference[:120],
        kind=f"{module.title} — {record.kind}" if record.kind else str(module.title),
        url=record.url,
        text=plain(record.text),
        territory_name=record.territory[:200],
        question=record.question[:300],
        date=record.date,
    )


def _rows(resource: Resource, model: type[Model], rows: QuerySet[Any]) -> Iterator[Gathered]:
    content_type = ContentType.objects.get_for_model(model)
    label = model._meta.label_lower
    for item in rows.iterator(chunk_size=CHUNK):
        text = "\n".join(t for t in (plain(getattr(item, f, "")) for f in resource.contribution_fields) if t)
        if not text:
            continue
        yield Gathered(
            reference=f"{label}:{item.pk}",
            kind=f"{item.module.title} — {model._meta.verbose_name}",
            url=item.get_absolute_url(),
            text=text,
            territory_name=_territory(item)[:200],
            stance=getattr(item, "stance", "") or "",
            question=_question(item),
            date=_date(item),
            content_type_id=content_type.pk,
            object_id=item.pk,
        )


def _imported(space: Space) -> Iterator[Gathered]:
    kind = _("Contribution importée")
    rows = ImportedContribution.objects.filter(space=space).select_related("batch").order_by("pk")
    for row in rows.iterator(chunk_size=CHUNK):
        yield Gathered(
            reference=f"import:{row.external_id}"[:120],
            kind=f"{kind} — {row.batch.name}"[:100],
            url=row.get_absolute_url(),
            text=row.text,
            territory_name=row.territory_name,
            question=row.question,
            date=row.date,
            imported_id=row.pk,
        )


def gather(space: Space, *, module: Module | None = None, imported: bool = True) -> Iterator[Gathered]:
    """Every contribution of ``space``: its modules' published items of the contribution resources (of ``module``
    only, when given), then what was imported into it (unless ``imported`` is false)."""
    modules = [module] if module is not None else list(Module.objects.filter(space=space))
    for resource in contribution_resources():
        yield from _items(resource, modules)
    if imported:
        yield from _imported(space)
