"""The open-data catalogue: the files the modules declare as open data in their manifest (``exports``), for the
modules a visitor may see whose setting publishes them now. See docs/decisions/0007-the-module-contract.md."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.urls import reverse
from django.utils.module_loading import import_string

from participe.core.registry import Export, registry
from participe.spaces.models import Module, Space

FORMAT_LABELS = {"csv": "CSV", "json": "JSON", "geojson": "GeoJSON", "zip": "ZIP"}
CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json; charset=utf-8",
    "geojson": "application/geo+json; charset=utf-8",
    "zip": "application/zip",
}


@dataclass(frozen=True)
class Dataset:
    """One open-data export of one module, with a download address per format."""

    module: Module
    export: Export

    @property
    def key(self) -> str:
        return f"{self.module.pk}-{self.export.key}"

    @property
    def space(self) -> Space:
        return self.module.space

    def url(self, fmt: str) -> str:
        kwargs = {"slug": self.module.space.slug, "module_slug": self.module.slug, "export": self.export.key}
        return reverse("opendata:download", kwargs={**kwargs, "fmt": fmt})

    @property
    def files(self) -> list[tuple[str, str, str]]:
        """(format, label, url) of each format the export offers."""
        return [(fmt, FORMAT_LABELS.get(fmt, fmt.upper()), self.url(fmt)) for fmt in self.export.formats]


def is_published(module: Module, export: Export) -> bool:
    """A visitor may see the module, and the export is open data that the module publishes now."""
    if not export.open_data or not export.stream:
        return False
    if not AnonymousUser().has_perm("spaces.view_module", module):
        return False
    return bool(import_string(export.is_open)(module)) if export.is_open else True


def datasets() -> Iterator[Dataset]:
    """Every published open-data export, démarche by démarche (newest first), module by module."""
    types = [m.key for m in registry.all() if any(e.open_data for e in m.exports)]
    modules = (
        Module.objects.filter(
            module_type__in=types,
            is_published=True,
            space__status__in=[Space.Status.PUBLISHED, Space.Status.ARCHIVED],
            space__visibility=Space.Visibility.PUBLIC,
        )
        .select_related("space")
        .prefetch_related("phases")
        .order_by("-space__start_date", "space__pk", "position", "pk")
    )
    for module in modules:
        manifest = registry.get(module.module_type)
        for export in manifest.exports if manifest else ():
            if is_published(module, export):
                yield Dataset(module, export)


def dataset(space_slug: str, module_slug: str, key: str) -> Dataset | None:
    """The published export ``key`` of that module, or None."""
    module = Module.objects.select_related("space").filter(space__slug=space_slug, slug=module_slug).first()
    manifest = registry.get(module.module_type) if module else None
    export = next((e for e in manifest.exports if e.key == key), None) if manifest else None
    if module is None or export is None or not is_published(module, export):
        return None
    return Dataset(module, export)
